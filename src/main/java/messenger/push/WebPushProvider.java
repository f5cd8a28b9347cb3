package messenger.push;

import com.google.crypto.tink.apps.webpush.WebPushHybridEncrypt;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.regex.Pattern;

/**
 * Web Push to a browser's subscription: the JSON payload encrypted for the device (RFC 8291, {@code
 * aes128gcm}, with Tink), posted to its endpoint (RFC 8030) and signed with the server's VAPID key
 * (RFC 8292).
 *
 * <p>The encryption (an ephemeral ECDH per message) runs on the HTTP client's executor, or the
 * common pool, never on the caller's thread.
 */
public final class WebPushProvider implements PushProvider {
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9_-]{1,32}");

  private final HttpClient http;
  private final VapidTokens vapid;
  private final Duration requestTimeout;
  private final Clock clock;
  private final Executor executor;

  public WebPushProvider(
      HttpClient http, VapidKeys keys, String vapidSubject, Duration requestTimeout) {
    this(http, keys, vapidSubject, requestTimeout, Clock.systemUTC());
  }

  public WebPushProvider(
      HttpClient http, VapidKeys keys, String vapidSubject, Duration requestTimeout, Clock clock) {
    this.http = http;
    this.vapid = new VapidTokens(keys, vapidSubject, clock);
    this.requestTimeout = requestTimeout;
    this.clock = clock;
    this.executor = http.executor().orElse(ForkJoinPool.commonPool());
  }

  public static WebPushProvider create(HttpClient http, VapidKeys keys, PushSettings settings) {
    return new WebPushProvider(http, keys, settings.vapidSubject(), settings.requestTimeout());
  }

  /**
   * The RFC 8030 topic for a conversation: base64url of the first 24 bytes of its id's SHA-256,
   * i.e. exactly 32 characters of the URL-safe alphabet, as the RFC requires. A push service keeps
   * only the newest undelivered message per topic and subscription.
   */
  public static String topicFor(String conversationId) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(conversationId.getBytes(StandardCharsets.UTF_8));
      return P256.base64Url(Arrays.copyOf(digest, 24));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  @Override
  public CompletionStage<PushOutcome> send(
      PushSubscription subscription, Notification notification, String topic, Duration ttl) {
    return CompletableFuture.supplyAsync(
            () -> request(subscription, notification, topic, ttl), executor)
        .handle(
            (request, error) ->
                error == null
                    ? PushHttp.post(http, request, clock)
                    // Nothing about this subscription or message will encrypt next time either.
                    : CompletableFuture.<PushOutcome>completedFuture(
                        new PushOutcome.Rejected(0, "not sent: " + messageOf(error))))
        .thenCompose(outcome -> outcome);
  }

  private HttpRequest request(
      PushSubscription subscription, Notification notification, String topic, Duration ttl) {
    if (subscription.kind() != PushKind.WEB_PUSH
        || subscription.p256dh() == null
        || subscription.auth() == null) {
      throw new IllegalArgumentException("not a Web Push subscription with keys");
    }
    if (topic != null && !TOPIC.matcher(topic).matches()) {
      throw new IllegalArgumentException("a topic is 1 to 32 base64url characters: " + topic);
    }
    URI endpoint = URI.create(subscription.endpoint());
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(endpoint)
            .timeout(requestTimeout)
            .header("Content-Encoding", "aes128gcm")
            .header("Content-Type", "application/octet-stream")
            .header("TTL", Long.toString(ttl.toSeconds()))
            .header("Urgency", "normal")
            .header("Authorization", vapid.authorization(endpoint))
            .POST(HttpRequest.BodyPublishers.ofByteArray(encrypt(subscription, notification)));
    if (topic != null) builder.header("Topic", topic);
    return builder.build();
  }

  private static String messageOf(Throwable error) {
    Throwable cause = error.getCause() == null ? error : error.getCause();
    return cause.getMessage() == null ? cause.toString() : cause.getMessage();
  }

  private static byte[] encrypt(PushSubscription subscription, Notification notification) {
    try {
      return new WebPushHybridEncrypt.Builder()
          .withAuthSecret(P256.decodeBase64Url(subscription.auth(), "keys.auth"))
          .withRecipientPublicKey(P256.decodeBase64Url(subscription.p256dh(), "keys.p256dh"))
          .build()
          .encrypt(notification.toJson(), null);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("could not encrypt for this subscription: " + e, e);
    }
  }
}
