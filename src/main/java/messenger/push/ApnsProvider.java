package messenger.push;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.auth.ApnsSigningKey;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Pushes to iOS and macOS apps through Apple's push service: HTTP/2 with a JWT signed by the team's
 * p8 key (token-based provider authentication), through Pushy, which keeps the connection open and
 * renews the JWT before Apple stops accepting it (after an hour).
 *
 * <p>Headers: {@code apns-topic} the app's bundle id, {@code apns-push-type: alert}, {@code
 * apns-priority} 10 or 5, {@code apns-expiration} now + TTL, {@code apns-collapse-id} the
 * dispatcher's topic (so Apple keeps one undelivered notification per conversation).
 */
public final class ApnsProvider implements PushProvider, AutoCloseable {
  /** Apple's limit for {@code apns-collapse-id}. */
  static final int MAX_COLLAPSE_ID_BYTES = 64;

  private final ApnsClient client;
  private final String topic;
  private final DeliveryPriority priority;
  private final Clock clock;

  ApnsProvider(ApnsClient client, String topic, boolean highPriority, Clock clock) {
    this.client = client;
    this.topic = topic;
    this.priority = highPriority ? DeliveryPriority.IMMEDIATE : DeliveryPriority.CONSERVE_POWER;
    this.clock = clock;
  }

  /**
   * A client for {@code settings}; it connects on the first push.
   *
   * @throws IllegalStateException if the key or the trusted certificates cannot be read
   */
  public static ApnsProvider create(ApnsSettings settings, Duration connectTimeout) {
    try {
      ApnsClientBuilder builder =
          new ApnsClientBuilder()
              .setApnsServer(settings.host(), settings.port())
              .setSigningKey(
                  ApnsSigningKey.loadFromPkcs8File(
                      new File(settings.keyFile()), settings.teamId(), settings.keyId()))
              .setConnectionTimeout(connectTimeout);
      if (!settings.trustedCertificates().isEmpty()) {
        builder.setTrustedServerCertificateChain(new File(settings.trustedCertificates()));
      }
      return new ApnsProvider(
          builder.build(), settings.topic(), settings.highPriority(), Clock.systemUTC());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(
          "messenger.push.apns: could not load the key file "
              + settings.keyFile()
              + " or the trusted certificates: "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public CompletionStage<PushOutcome> send(
      PushSubscription subscription, Notification notification, String collapseKey, Duration ttl) {
    if (subscription.kind() != PushKind.APNS) {
      return CompletableFuture.completedFuture(
          new PushOutcome.Rejected(0, "not an APNs subscription"));
    }
    var push =
        new SimpleApnsPushNotification(
            subscription.endpoint(),
            topic,
            NativePayloads.apns(notification),
            expiration(ttl),
            priority,
            PushType.ALERT,
            collapseId(collapseKey));
    return client
        .sendNotification(push)
        .handle(
            (response, error) ->
                error != null
                    ? new PushOutcome.Failed(PushHttp.cause(error))
                    : outcomeOf(
                        response.isAccepted(),
                        response.getStatusCode(),
                        response.getRejectionReason().orElse(null)));
  }

  /**
   * Apple's answer as an outcome. The token is dropped, as a Web Push 410 drops an endpoint, on 410
   * {@code Unregistered} (the app was removed or the token renewed), 400 {@code BadDeviceToken}
   * (not a token of this environment: a development build's token sent to production, or the
   * reverse) and 400 {@code DeviceTokenNotForTopic} (a token of another app). 429 and 5xx are
   * retried; so is 403 {@code ExpiredProviderToken} (Pushy signs a new JWT). Everything else is a
   * request that will not work next time either.
   */
  static PushOutcome outcomeOf(boolean accepted, int status, String reason) {
    if (accepted) return new PushOutcome.Delivered();
    if (status == 410) return new PushOutcome.Gone(status);
    if (status == 400
        && ("BadDeviceToken".equals(reason) || "DeviceTokenNotForTopic".equals(reason))) {
      return new PushOutcome.Gone(status);
    }
    if (status == 403 && "ExpiredProviderToken".equals(reason)) {
      return new PushOutcome.RetryLater(null, status);
    }
    // APNs sends no Retry-After: the dispatcher's backoff decides.
    if (status == 429 || status >= 500) return new PushOutcome.RetryLater(null, status);
    return new PushOutcome.Rejected(status, reason);
  }

  private Instant expiration(Duration ttl) {
    // Pushy writes the epoch second; the epoch itself is APNs' 0, "now or never".
    return ttl.isZero() ? Instant.EPOCH : clock.instant().plus(ttl);
  }

  private static String collapseId(String key) {
    if (key == null || key.getBytes(StandardCharsets.UTF_8).length > MAX_COLLAPSE_ID_BYTES) {
      return null;
    }
    return key;
  }

  /** Closes the connections to Apple; pushes still on their way fail. */
  public CompletableFuture<Void> closeAsync() {
    return client.close();
  }

  @Override
  public void close() {
    closeAsync().join();
  }
}
