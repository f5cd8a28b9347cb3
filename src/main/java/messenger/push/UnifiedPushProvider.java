package messenger.push;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * UnifiedPush to an app's distributor endpoint: the JSON payload as the plain body of a POST, with
 * a {@code TTL} header. Nothing is encrypted, so the distributor's server can read previews; a
 * caller that minds should send these without one.
 */
public final class UnifiedPushProvider implements PushProvider {
  private final HttpClient http;
  private final Duration requestTimeout;
  private final Clock clock;

  public UnifiedPushProvider(HttpClient http, Duration requestTimeout) {
    this(http, requestTimeout, Clock.systemUTC());
  }

  public UnifiedPushProvider(HttpClient http, Duration requestTimeout, Clock clock) {
    this.http = http;
    this.requestTimeout = requestTimeout;
    this.clock = clock;
  }

  public static UnifiedPushProvider create(HttpClient http, PushSettings settings) {
    return new UnifiedPushProvider(http, settings.requestTimeout());
  }

  /** The topic is not sent: UnifiedPush distributors do not define one. */
  @Override
  public CompletionStage<PushOutcome> send(
      PushSubscription subscription, Notification notification, String topic, Duration ttl) {
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(URI.create(subscription.endpoint()))
              .timeout(requestTimeout)
              .header("Content-Type", "application/json")
              .header("TTL", Long.toString(ttl.toSeconds()))
              .POST(HttpRequest.BodyPublishers.ofByteArray(notification.toJson()))
              .build();
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(
          new PushOutcome.Rejected(0, "not sent: " + e.getMessage()));
    }
    return PushHttp.post(http, request, clock);
  }
}
