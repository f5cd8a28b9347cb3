package messenger.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eatthepath.pushy.apns.server.RejectionReason;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The APNs provider against Pushy's mock APNs server, which checks the provider token's signature,
 * the topic and the device token as Apple does.
 */
@Timeout(60)
class ApnsProviderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TTL = Duration.ofHours(2);
  private static LocalApns apns;
  private static ApnsProvider provider;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("apns-test");
    apns = LocalApns.start(dir);
    provider = ApnsProvider.create(apns.settings(true), Duration.ofSeconds(5));
  }

  @AfterAll
  static void stop() throws Exception {
    provider.close();
    apns.close();
  }

  private static PushOutcome send(String token, Notification n, String collapseKey)
      throws Exception {
    return provider
        .send(PushSubscription.apns(token), n, collapseKey, TTL)
        .toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
  }

  @Test
  void aSignedPushIsDeliveredWithTopicCollapseIdPriorityExpiryAndAnAlert() throws Exception {
    String token = apns.newDeviceToken();
    String collapse = WebPushProvider.topicFor("c-1");
    long before = Instant.now().plus(TTL).getEpochSecond();

    PushOutcome outcome =
        send(token, new Notification("c-1", 3, "see you at 8", "Alice", 17), collapse);

    assertDelivered(outcome);
    LocalApns.Received push = apns.take(token);
    assertEquals("/3/device/" + token, push.header(":path"));
    assertEquals(LocalApns.TOPIC, push.header("apns-topic"));
    assertEquals("alert", push.header("apns-push-type"));
    assertEquals("10", push.header("apns-priority"));
    assertEquals(collapse, push.header("apns-collapse-id"));
    long expiration = Long.parseLong(push.header("apns-expiration"));
    assertTrue(expiration >= before && expiration <= before + 60, "expires after the TTL");
    assertTrue(push.header("authorization").startsWith("bearer "), "token-based auth");

    JsonNode payload = JSON.readTree(push.payload());
    assertEquals("Alice", payload.at("/aps/alert/title").asText());
    assertEquals("see you at 8", payload.at("/aps/alert/body").asText());
    assertEquals("c-1", payload.at("/aps/thread-id").asText());
    assertEquals("c-1", payload.path("conversationId").asText());
    assertEquals(3, payload.path("unreadCount").asInt());
    assertEquals(17, payload.path("latestSeq").asLong());
  }

  @Test
  void withoutAPreviewTheAlertNamesTheAppsLocalisedTextAndCarriesNoMessageText() throws Exception {
    String token = apns.newDeviceToken();

    send(token, new Notification("c-2", 1, null, null, 4), null);

    JsonNode payload = JSON.readTree(apns.take(token).payload());
    assertEquals(NativePayloads.NO_PREVIEW_KEY, payload.at("/aps/alert/loc-key").asText());
    assertFalse(payload.at("/aps/alert").has("body"), payload.toString());
    assertFalse(payload.at("/aps/alert").has("title"), payload.toString());
  }

  @Test
  void normalPriorityIsSentAsFiveAndAZeroTtlAsExpiryZero() throws Exception {
    try (ApnsProvider conserving =
        ApnsProvider.create(apns.settings(false), Duration.ofSeconds(5))) {
      String token = apns.newDeviceToken();
      conserving
          .send(
              PushSubscription.apns(token),
              new Notification("c-3", 1, "hi", "Bob", 1),
              null,
              Duration.ZERO)
          .toCompletableFuture()
          .get(20, TimeUnit.SECONDS);
      LocalApns.Received push = apns.take(token);
      assertEquals("5", push.header("apns-priority"));
      assertEquals("0", push.header("apns-expiration"));
    }
  }

  @Test
  void aTokenNotOfThisAppIsGoneAsDeviceTokenNotForTopic() throws Exception {
    String stranger = "ab".repeat(32);

    PushOutcome outcome = send(stranger, new Notification("c-4", 1, "hi", "Bob", 1), null);

    assertEquals(new PushOutcome.Gone(400), outcome);
    assertEquals(RejectionReason.DEVICE_TOKEN_NOT_FOR_TOPIC.name(), apns.takeRejection(stranger));
  }

  @Test
  void aTokenOfTheWrongFormIsGoneAsBadDeviceToken() throws Exception {
    // Longer than today's 32 bytes: allowed by the registration, refused by this APNs server.
    String longer = "cd".repeat(33);

    PushOutcome outcome = send(longer, new Notification("c-4", 1, "hi", "Bob", 1), null);

    assertEquals(new PushOutcome.Gone(400), outcome);
    assertEquals(RejectionReason.BAD_DEVICE_TOKEN.name(), apns.takeRejection(longer));
  }

  @Test
  void anUnregisteredDeviceTokenIsGoneAs410() throws Exception {
    String token = apns.newDeviceToken();
    apns.expire(token);

    PushOutcome outcome = send(token, new Notification("c-5", 1, "hi", "Bob", 1), null);

    assertEquals(new PushOutcome.Gone(410), outcome);
  }

  @Test
  void tooManyRequestsAndServiceUnavailableAreRetriedLater() throws Exception {
    String token = apns.newDeviceToken();
    apns.failNext(RejectionReason.TOO_MANY_REQUESTS);
    apns.failNext(RejectionReason.SERVICE_UNAVAILABLE);
    Notification n = new Notification("c-6", 1, "hi", "Bob", 1);

    assertEquals(new PushOutcome.RetryLater(null, 429), send(token, n, null));
    assertEquals(new PushOutcome.RetryLater(null, 503), send(token, n, null));
    assertDelivered(send(token, n, null));
  }

  @Test
  void aKeyTheServerDoesNotKnowIsRefusedAndNotRetried() throws Exception {
    Path dir = Files.createTempDirectory("apns-other-key");
    try (LocalApns other = LocalApns.start(dir)) {
      // The same ids, another team key: the signature does not verify.
      ApnsSettings wrongKey =
          new ApnsSettings(
              other.keyFile.toString(),
              LocalApns.KEY_ID,
              LocalApns.TEAM_ID,
              LocalApns.TOPIC,
              "127.0.0.1:" + apns.port,
              apns.trustedCertificates.toString(),
              true);
      try (ApnsProvider impostor = ApnsProvider.create(wrongKey, Duration.ofSeconds(5))) {
        PushOutcome outcome =
            impostor
                .send(
                    PushSubscription.apns(apns.newDeviceToken()),
                    new Notification("c-7", 1, "hi", "Bob", 1),
                    null,
                    TTL)
                .toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
        assertEquals(new PushOutcome.Rejected(403, "InvalidProviderToken"), outcome);
      }
    }
  }

  @Test
  void apnsAnswersMapToOutcomes() {
    assertEquals(new PushOutcome.Delivered(), ApnsProvider.outcomeOf(true, 200, null));
    assertEquals(new PushOutcome.Gone(410), ApnsProvider.outcomeOf(false, 410, "Unregistered"));
    assertEquals(new PushOutcome.Gone(400), ApnsProvider.outcomeOf(false, 400, "BadDeviceToken"));
    assertEquals(
        new PushOutcome.Gone(400), ApnsProvider.outcomeOf(false, 400, "DeviceTokenNotForTopic"));
    assertEquals(
        new PushOutcome.Rejected(400, "BadCollapseId"),
        ApnsProvider.outcomeOf(false, 400, "BadCollapseId"));
    assertEquals(
        new PushOutcome.RetryLater(null, 403),
        ApnsProvider.outcomeOf(false, 403, "ExpiredProviderToken"));
    assertEquals(
        new PushOutcome.RetryLater(null, 429),
        ApnsProvider.outcomeOf(false, 429, "TooManyRequests"));
    assertEquals(
        new PushOutcome.RetryLater(null, 500),
        ApnsProvider.outcomeOf(false, 500, "InternalServerError"));
    assertEquals(
        new PushOutcome.Rejected(413, "PayloadTooLarge"),
        ApnsProvider.outcomeOf(false, 413, "PayloadTooLarge"));
  }

  @Test
  void aPushForAnotherKindIsRejectedWithoutASend() throws Exception {
    PushOutcome outcome =
        provider
            .send(
                PushSubscription.unifiedPush("https://up.example/x"),
                new Notification("c-8", 1, null, null, 1),
                null,
                TTL)
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS);
    assertInstanceOf(PushOutcome.Rejected.class, outcome);
  }

  private static void assertDelivered(PushOutcome outcome) {
    assertInstanceOf(PushOutcome.Delivered.class, outcome, String.valueOf(outcome));
  }
}
