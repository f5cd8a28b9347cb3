package messenger.push;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/** The HTTP exchange the providers share: one POST, its answer mapped to a {@link PushOutcome}. */
final class PushHttp {
  /** Enough of an error body to log why; endpoints are user-supplied, so never read it all. */
  static final int MAX_REASON_BYTES = 512;

  private PushHttp() {}

  static CompletableFuture<PushOutcome> post(HttpClient http, HttpRequest request, Clock clock) {
    return http.sendAsync(request, info -> new LimitedBody(MAX_REASON_BYTES))
        .handle(
            (response, error) -> {
              if (error != null) return new PushOutcome.Failed(unwrap(error));
              String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
              return PushOutcome.ofStatus(
                  response.statusCode(), retryAfter(retryAfter, clock), response.body());
            });
  }

  /**
   * One request whose answer's body is read up to {@code maxBytes}; for a push service the operator
   * configured (FCM), whose error bodies say which field was wrong.
   */
  static CompletableFuture<HttpResponse<String>> exchange(
      HttpClient http, HttpRequest request, int maxBytes) {
    return http.sendAsync(request, info -> new LimitedBody(maxBytes));
  }

  static Throwable cause(Throwable t) {
    return unwrap(t);
  }

  /** {@code Retry-After} as delay-seconds or an HTTP date (RFC 9110 §10.2.3); null if absent. */
  static Duration retryAfter(String header, Clock clock) {
    if (header == null || header.isBlank()) return null;
    String value = header.strip();
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration delay = Duration.between(clock.instant(), at.toInstant());
        return delay.isNegative() ? Duration.ZERO : delay;
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  /**
   * Keeps the first {@code limit} bytes of the body and then cancels, so an endpoint that answers
   * with an endless body cannot hold the request open or fill memory.
   */
  private static final class LimitedBody implements HttpResponse.BodySubscriber<String> {
    private final int limit;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<String> body = new CompletableFuture<>();
    private Flow.Subscription subscription;

    LimitedBody(int limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<String> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      for (ByteBuffer buffer : buffers) {
        int n = Math.min(buffer.remaining(), limit - bytes.size());
        byte[] chunk = new byte[n];
        buffer.get(chunk);
        bytes.write(chunk, 0, n);
      }
      if (bytes.size() >= limit) {
        subscription.cancel();
        onComplete();
      } else {
        subscription.request(1);
      }
    }

    @Override
    public void onError(Throwable error) {
      body.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      body.complete(bytes.toString(StandardCharsets.UTF_8));
    }
  }
}
