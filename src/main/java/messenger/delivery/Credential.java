package messenger.delivery;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * The token a device's connection was opened with.
 *
 * @param tokenId its {@code jti}; null for a token without one
 * @param generation the user's token generation it belongs to
 * @param expiresAt when the token expires
 */
public record Credential(String tokenId, int generation, Instant expiresAt) {
  /** Whether the revocation ends connections opened with this token. */
  boolean isRevokedBy(DeviceMessage.Revoked revoked) {
    boolean ended = generation < revoked.generation() && !isToken(revoked.keptTokenId());
    return ended || isToken(revoked.tokenId());
  }

  private boolean isToken(String id) {
    return tokenId != null && tokenId.equals(id);
  }

  /** Whether a connection's token is still good, i.e. not revoked since the connection opened. */
  @FunctionalInterface
  public interface Check {
    CompletionStage<Boolean> stillValid(String userId, Credential credential);
  }
}
