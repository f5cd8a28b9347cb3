package messenger.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import com.eatthepath.pushy.apns.server.RejectionReason;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import messenger.push.PushDispatcher.Command;
import messenger.push.PushDispatcher.Notify;
import messenger.testing.Polling;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dispatcher with the real APNs and FCM providers against the local servers: a 429 or 503 is
 * retried after a backoff (at least the {@code Retry-After}) until delivered, and a token the push
 * service no longer knows is reported gone, as a Web Push 410 is.
 */
@Timeout(90)
class NativePushDispatchTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create(
          "NativePushDispatchTest", ConfigFactory.parseString("akka.actor.provider = local"));
  private static final ExecutorService BLOCKING = Executors.newFixedThreadPool(2);
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static LocalApns apns;
  private static LocalFcm fcm;
  private static ApnsProvider apnsProvider;
  private static FcmProvider fcmProvider;

  record GoneCall(String userId, String deviceId, String endpoint) {}

  private final CountingEvents events = new CountingEvents();
  private final List<GoneCall> gone = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("native-push");
    apns = LocalApns.start(dir.resolve("apns"));
    fcm = LocalFcm.start(Files.createDirectories(dir.resolve("fcm")));
    apnsProvider = ApnsProvider.create(apns.settings(true), Duration.ofSeconds(5));
    fcmProvider = FcmProvider.create(fcm.settings(true), Duration.ofSeconds(5), BLOCKING);
  }

  @AfterAll
  static void stop() throws Exception {
    testKit.shutdownTestKit();
    apnsProvider.close();
    apns.close();
    fcm.close();
    BLOCKING.shutdownNow();
  }

  private ActorRef<Command> dispatcher() {
    PushSettings settings =
        new PushSettings(
            true,
            "mailto:test@example.com",
            "",
            "",
            Duration.ofMinutes(5),
            8,
            100,
            Duration.ofMillis(100),
            Duration.ofSeconds(2),
            5,
            Duration.ofSeconds(5),
            true,
            Path.of("unused"),
            apns.settings(true),
            fcm.settings(true));
    return testKit.spawn(
        PushDispatcher.create(
            settings,
            Map.of(PushKind.APNS, apnsProvider, PushKind.FCM, fcmProvider),
            (user, device, endpoint) -> gone.add(new GoneCall(user, device, endpoint)),
            events));
  }

  private static Notify notify(PushSubscription subscription, String conversationId) {
    return new Notify(
        "bob", "phone", subscription, new Notification(conversationId, 1, "hi", "Alice", 1));
  }

  @Test
  void fcmQuotaAndUnavailableAreRetriedWithBackoffHonouringRetryAfterUntilDelivered()
      throws Exception {
    String token = fcm.newRegistrationToken();
    fcm.answerNext(503, "UNAVAILABLE", null, null);
    fcm.answerNext(429, "RESOURCE_EXHAUSTED", null, "1");
    long start = System.nanoTime();

    dispatcher().tell(notify(PushSubscription.fcm(token), "c-1"));

    assertEquals("c-1", fcm.take(token).message().at("/data/conversationId").asText());
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    Polling.until(WAIT, () -> events.sent.get() == 1, "delivered on the third attempt");
    assertEquals(2, events.retried.get());
    assertTrue(took.compareTo(Duration.ofSeconds(1)) >= 0, "waited the Retry-After: " + took);
    assertTrue(gone.isEmpty());
  }

  @Test
  void apnsServiceUnavailableIsRetriedUntilDelivered() throws Exception {
    String token = apns.newDeviceToken();
    apns.failNext(RejectionReason.SERVICE_UNAVAILABLE);
    apns.failNext(RejectionReason.TOO_MANY_REQUESTS);

    dispatcher().tell(notify(PushSubscription.apns(token), "c-2"));

    assertEquals("c-2", JSON.readTree(apns.take(token).payload()).path("conversationId").asText());
    Polling.until(WAIT, () -> events.sent.get() == 1, "delivered on the third attempt");
    assertEquals(2, events.retried.get());
  }

  @Test
  void tokensThePushServicesNoLongerKnowAreReportedGone() throws Exception {
    String apnsToken = apns.newDeviceToken();
    apns.expire(apnsToken);
    String fcmToken = fcm.newRegistrationToken();
    fcm.unregister(fcmToken);
    ActorRef<Command> dispatcher = dispatcher();

    dispatcher.tell(notify(PushSubscription.apns(apnsToken), "c-3"));
    dispatcher.tell(notify(PushSubscription.fcm(fcmToken), "c-4"));

    Polling.until(WAIT, () -> gone.size() == 2, "both tokens reported gone");
    assertTrue(gone.contains(new GoneCall("bob", "phone", apnsToken)), gone::toString);
    assertTrue(gone.contains(new GoneCall("bob", "phone", fcmToken)), gone::toString);
    assertEquals(2, events.gone.get());
    assertEquals(0, events.retried.get());
  }
}
