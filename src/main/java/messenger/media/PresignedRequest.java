package messenger.media;

import java.time.Instant;
import java.util.Map;

/**
 * A request the client makes to the object store itself: {@code method} to {@code url} with exactly
 * {@code headers} (they are signed), before {@code expiresAt}.
 */
public record PresignedRequest(
    String url, String method, Map<String, String> headers, Instant expiresAt) {

  public PresignedRequest {
    headers = Map.copyOf(headers);
  }
}
