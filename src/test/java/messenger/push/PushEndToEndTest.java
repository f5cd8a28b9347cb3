package messenger.push;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import messenger.testing.Polling;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The dispatcher with the real Web Push provider, against a push service that is busy once. */
class PushEndToEndTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create(
          "PushEndToEndTest", ConfigFactory.parseString("akka.actor.provider = local"));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void afterA429TheDeviceDecryptsTheLatestNotification() throws Exception {
    PushSettings settings =
        new PushSettings(
            true,
            "mailto:test@example.com",
            "",
            "",
            Duration.ofMinutes(5),
            4,
            100,
            Duration.ofMillis(50),
            Duration.ofMillis(200),
            5,
            Duration.ofSeconds(5),
            true,
            Path.of("unused"),
            ApnsSettings.OFF,
            FcmSettings.OFF);
    CountingEvents events = new CountingEvents();
    Browser browser = new Browser();
    try (PushReceiver receiver = PushReceiver.start()) {
      CountDownLatch busy = new CountDownLatch(1);
      receiver.answer(new PushReceiver.Reply(429, Map.of(), "", busy)).answer(201, Map.of());
      PushProvider webPush =
          WebPushProvider.create(HttpClient.newHttpClient(), VapidKeys.generate(), settings);
      ActorRef<PushDispatcher.Command> dispatcher =
          testKit.spawn(
              PushDispatcher.create(
                  settings, Map.of(PushKind.WEB_PUSH, webPush), EndpointGone.IGNORE, events));
      PushSubscription subscription = browser.subscribe(receiver.endpoint("/push/d1"));

      dispatcher.tell(
          new PushDispatcher.Notify(
              "alice", "d1", subscription, new Notification("c-1", 1, "first", "Bob", 1)));
      PushReceiver.Received refused = receiver.take();
      // Arrives while the first push is in flight, so the retry carries it.
      dispatcher.tell(
          new PushDispatcher.Notify(
              "alice", "d1", subscription, new Notification("c-1", 2, "second", "Bob", 2)));
      busy.countDown();
      PushReceiver.Received accepted = receiver.take();

      assertEquals(1, json(browser.decrypt(refused.body())).get("unreadCount").asInt());
      JsonNode latest = json(browser.decrypt(accepted.body()));
      assertEquals(2, latest.get("unreadCount").asInt());
      assertEquals("second", latest.get("preview").asText());
      Polling.until(Duration.ofSeconds(5), () -> events.sent.get() == 1, "delivered once");
      assertEquals(1, events.retried.get());
    }
  }

  private static JsonNode json(byte[] bytes) throws Exception {
    return new ObjectMapper().readTree(bytes);
  }
}
