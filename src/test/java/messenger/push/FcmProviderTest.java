package messenger.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The FCM provider against a local FCM over HTTPS that checks the service account's signed grant,
 * the bearer token it issued, the project, the registration token and the body.
 */
@Timeout(60)
class FcmProviderTest {
  private static final Duration TTL = Duration.ofMinutes(5);
  private static final ExecutorService BLOCKING = Executors.newFixedThreadPool(2);
  private static LocalFcm fcm;

  @BeforeAll
  static void start() throws Exception {
    fcm = LocalFcm.start(Files.createTempDirectory("fcm-test"));
  }

  @AfterAll
  static void stop() {
    fcm.close();
    BLOCKING.shutdownNow();
  }

  private static FcmProvider provider(boolean highPriority) {
    return FcmProvider.create(fcm.settings(highPriority), Duration.ofSeconds(5), BLOCKING);
  }

  private static PushOutcome send(FcmProvider provider, String token, Notification n, String key)
      throws Exception {
    return provider
        .send(PushSubscription.fcm(token), n, key, TTL)
        .toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
  }

  @Test
  void aPushIsDeliveredWithTheIssuedBearerTokenCollapseKeyPriorityTtlAndStringData()
      throws Exception {
    FcmProvider provider = provider(true);
    String token = fcm.newRegistrationToken();
    String collapse = WebPushProvider.topicFor("c-1");
    long expiresAfter = Instant.now().plus(TTL).getEpochSecond();

    PushOutcome outcome =
        send(provider, token, new Notification("c-1", 3, "see you at 8", "Alice", 17), collapse);

    assertDelivered(outcome);
    JsonNode message = fcm.take(token).message();
    assertEquals(token, message.path("token").asText());
    assertEquals("c-1", message.at("/data/conversationId").asText());
    assertEquals("3", message.at("/data/unreadCount").asText());
    assertEquals("17", message.at("/data/latestSeq").asText());
    assertEquals("Alice", message.at("/data/senderName").asText());
    assertEquals("see you at 8", message.at("/data/preview").asText());
    assertEquals(collapse, message.at("/android/collapse_key").asText());
    assertEquals("HIGH", message.at("/android/priority").asText());
    assertEquals("300s", message.at("/android/ttl").asText());
    assertEquals(collapse, message.at("/apns/headers/apns-collapse-id").asText());
    assertEquals("10", message.at("/apns/headers/apns-priority").asText());
    long expiration = Long.parseLong(message.at("/apns/headers/apns-expiration").asText());
    assertTrue(expiration >= expiresAfter && expiration <= expiresAfter + 60);
    assertEquals("see you at 8", message.at("/apns/payload/aps/alert/body").asText());
  }

  @Test
  void oneAccessTokenServesManySendsAndARefusedOneIsRenewedAfterARetry() throws Exception {
    FcmProvider provider = provider(true);
    String token = fcm.newRegistrationToken();
    Notification n = new Notification("c-2", 1, null, null, 1);
    int grantsBefore = fcm.tokenRequests.get();

    send(provider, token, n, null);
    send(provider, token, n, null);
    assertEquals(grantsBefore + 1, fcm.tokenRequests.get(), "the access token is cached");

    fcm.revokeAccessTokens();
    assertEquals(new PushOutcome.RetryLater(null, 401), send(provider, token, n, null));
    assertDelivered(send(provider, token, n, null));
    assertEquals(grantsBefore + 2, fcm.tokenRequests.get(), "a new token after the 401");
  }

  @Test
  void normalPriorityAndNoPreviewCarryNoTextAndNormalPriorities() throws Exception {
    FcmProvider provider = provider(false);
    String token = fcm.newRegistrationToken();

    send(provider, token, new Notification("c-3", 2, null, null, 5), null);

    JsonNode message = fcm.take(token).message();
    assertEquals("NORMAL", message.at("/android/priority").asText());
    assertEquals("5", message.at("/apns/headers/apns-priority").asText());
    assertFalse(message.path("data").has("preview"), message.toString());
    assertFalse(message.path("android").has("collapse_key"), message.toString());
    assertEquals(
        NativePayloads.NO_PREVIEW_KEY, message.at("/apns/payload/aps/alert/loc-key").asText());
  }

  @Test
  void anUnregisteredTokenIsGoneAs404AndATokenOfTheWrongFormAs400() throws Exception {
    FcmProvider provider = provider(true);
    String token = fcm.newRegistrationToken();
    fcm.unregister(token);
    Notification n = new Notification("c-4", 1, "hi", "Bob", 1);

    assertEquals(new PushOutcome.Gone(404), send(provider, token, n, null));
    assertEquals(new PushOutcome.Gone(400), send(provider, "not.a.token", n, null));
  }

  @Test
  void quotaAndUnavailableAreRetriedLaterWithRetryAfterAndOtherRefusalsAreNot() throws Exception {
    FcmProvider provider = provider(true);
    String token = fcm.newRegistrationToken();
    Notification n = new Notification("c-5", 1, "hi", "Bob", 1);
    fcm.answerNext(429, "RESOURCE_EXHAUSTED", null, "7");
    fcm.answerNext(503, "UNAVAILABLE", null, null);
    fcm.answerNext(400, "INVALID_ARGUMENT", "message.android.ttl", null);
    fcm.answerNext(403, "PERMISSION_DENIED", null, null);

    assertEquals(
        new PushOutcome.RetryLater(Duration.ofSeconds(7), 429), send(provider, token, n, null));
    assertEquals(new PushOutcome.RetryLater(null, 503), send(provider, token, n, null));
    assertEquals(
        new PushOutcome.Rejected(400, "INVALID_ARGUMENT INVALID_ARGUMENT (local FCM)"),
        send(provider, token, n, null));
    assertInstanceOf(PushOutcome.Rejected.class, send(provider, token, n, null));
    assertDelivered(send(provider, token, n, null));
  }

  @Test
  void aTokenEndpointThatCannotBeReachedIsAFailureWorthARetry() throws Exception {
    FcmSettings settings = fcm.settings(true);
    // The send URL is fine; the grant goes to token_uri, which is rewritten to a closed port.
    var dir = Files.createTempDirectory("fcm-closed");
    var account = dir.resolve("sa.json");
    Files.writeString(
        account,
        Files.readString(fcm.serviceAccountFile)
            .replace(fcm.base() + "/token", "https://127.0.0.1:1/token"));
    FcmProvider provider =
        FcmProvider.create(
            new FcmSettings(
                account.toString(), "", settings.endpoint(), settings.trustedCertificates(), true),
            Duration.ofSeconds(5),
            BLOCKING);

    PushOutcome outcome =
        send(provider, fcm.newRegistrationToken(), new Notification("c-6", 1, null, null, 1), null);

    assertInstanceOf(PushOutcome.Failed.class, outcome);
  }

  @Test
  void fcmAnswersMapToOutcomes() {
    String tokenViolation =
        "{\"error\":{\"code\":400,\"status\":\"INVALID_ARGUMENT\",\"details\":[{\"@type\":"
            + "\"type.googleapis.com/google.rpc.BadRequest\",\"fieldViolations\":"
            + "[{\"field\":\"message.token\"}]}]}}";
    assertEquals(new PushOutcome.Delivered(), FcmProvider.outcomeOf(200, null, "{}"));
    assertEquals(new PushOutcome.Gone(404), FcmProvider.outcomeOf(404, null, ""));
    assertEquals(new PushOutcome.Gone(400), FcmProvider.outcomeOf(400, null, tokenViolation));
    assertInstanceOf(PushOutcome.Rejected.class, FcmProvider.outcomeOf(400, null, "not json"));
    assertEquals(
        new PushOutcome.RetryLater(Duration.ofSeconds(3), 500),
        FcmProvider.outcomeOf(500, Duration.ofSeconds(3), ""));
    assertEquals(new PushOutcome.RetryLater(null, 401), FcmProvider.outcomeOf(401, null, ""));
    assertInstanceOf(
        PushOutcome.Rejected.class,
        FcmProvider.outcomeOf(403, null, "{\"error\":{\"status\":\"PERMISSION_DENIED\"}}"));
  }

  private static void assertDelivered(PushOutcome outcome) {
    assertInstanceOf(PushOutcome.Delivered.class, outcome, String.valueOf(outcome));
  }
}
