package messenger.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import messenger.MessengerNode;
import messenger.testing.Api;
import messenger.testing.Api.User;
import messenger.testing.BlackholeProxy;
import messenger.testing.Polling;
import messenger.testing.TestServer;
import messenger.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Heartbeats, timeouts and the device limit over real WebSockets, on a node whose heartbeat runs
 * every 250 ms and whose connection timeout is 1 s, so that going quiet shows within seconds.
 */
@Timeout(180)
class ConnectionLifecycleIntegrationTest {

  private static final Duration HEARTBEAT = Duration.ofMillis(250);
  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  /** Timeout plus one interval is the promise; the rest is room for a busy 2-core machine. */
  private static final Duration OFFLINE_WITHIN = TIMEOUT.plus(HEARTBEAT).plusSeconds(2);

  private static MessengerNode node;
  private static Api api;

  @BeforeAll
  static void startNode() throws Exception {
    node =
        MessengerNode.start(
            TestServer.isolated(
                "lifecycle",
                Map.of(
                    "messenger.delivery.heartbeat-interval", HEARTBEAT.toMillis() + "ms",
                    "messenger.delivery.websocket-connection-timeout", TIMEOUT.toMillis() + "ms")));
    api = new Api(node.httpPort());
  }

  @AfterAll
  static void stopNode() throws Exception {
    node.stop();
  }

  private static boolean online(User user, String deviceId) {
    return api.device(user, deviceId).path("online").asBoolean(false);
  }

  @Test
  void aClientThatAnswersPingsStaysConnectedLongPastTheTimeout() {
    User bob = api.newUser("bob");
    try (WsClient phone = WsClient.connect(api.port(), bob.token(), "phone")) {
      Polling.until(Duration.ofSeconds(20), () -> phone.pingsReceived() >= 16, "16 pings (4 s)");
      assertTrue(phone.isOpen());
      assertTrue(online(bob, "phone"));
    }
  }

  @Test
  void aClientThatStopsAnsweringPingsIsClosedAndMarkedOffline() {
    User bob = api.newUser("bob");
    try (WsClient phone = WsClient.connect(api.port(), bob.token(), "phone")) {
      Polling.until(Duration.ofSeconds(10), () -> online(bob, "phone"), "phone online");
      phone.silent();
      long silentSince = System.nanoTime();

      assertEquals("heartbeat_timeout", phone.next("error").path("code").asText());
      Polling.until(OFFLINE_WITHIN, () -> !online(bob, "phone"), "phone marked offline");
      Duration offlineAfter = Duration.ofNanos(System.nanoTime() - silentSince);
      assertTrue(
          offlineAfter.compareTo(TIMEOUT) >= 0, "closed before the timeout: " + offlineAfter);
      Polling.until(Duration.ofSeconds(10), () -> !phone.isOpen(), "the connection closes");
    }
  }

  @Test
  void aHalfOpenConnectionIsDetectedAndItsDeviceMarkedOffline() throws Exception {
    User bob = api.newUser("bob");
    try (BlackholeProxy network = new BlackholeProxy(api.port());
        WsClient phone = WsClient.connect(network.port(), bob.token(), "phone")) {
      Polling.until(Duration.ofSeconds(10), () -> online(bob, "phone"), "phone online");
      Polling.until(
          Duration.ofSeconds(10), () -> phone.pingsReceived() >= 2, "pings through the relay");

      network.blackhole();

      Polling.until(OFFLINE_WITHIN, () -> !online(bob, "phone"), "phone marked offline");
    }
  }

  @Test
  void aSixthDeviceIsRefusedWhileTheFirstFiveKeepWorking() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    String conversation = api.direct(alice, bob);
    List<WsClient> devices = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++)
        devices.add(WsClient.connect(api.port(), bob.token(), "device-" + i));
      for (int i = 0; i < 5; i++) {
        String id = "device-" + i;
        Polling.until(Duration.ofSeconds(10), () -> online(bob, id), id + " online");
      }

      try (WsClient sixth = WsClient.connect(api.port(), bob.token(), "device-5")) {
        assertEquals("device_limit", sixth.next("error").path("code").asText());
        Polling.until(Duration.ofSeconds(10), () -> !sixth.isOpen(), "the sixth connection closes");
      }

      try (WsClient alicePhone = WsClient.connect(api.port(), alice.token(), "phone")) {
        alicePhone.sendMessage(conversation, "m-1", "to all five");
      }
      for (WsClient device : devices) {
        assertEquals(List.of("to all five"), device.messages(1).bodies());
      }
      assertTrue(api.device(bob, "device-5").isMissingNode(), "the refused device never attached");
    } finally {
      devices.forEach(WsClient::close);
    }
  }

  @Test
  void aConnectedDeviceReconnectingAtTheLimitReplacesItsOldConnection() {
    User bob = api.newUser("bob");
    List<WsClient> devices = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++)
        devices.add(WsClient.connect(api.port(), bob.token(), "device-" + i));
      for (int i = 0; i < 5; i++) {
        String id = "device-" + i;
        Polling.until(Duration.ofSeconds(10), () -> online(bob, id), id + " online");
      }

      try (WsClient again = WsClient.connect(api.port(), bob.token(), "device-0")) {
        assertEquals("replaced", devices.get(0).next("error").path("code").asText());
        again.send(Map.of("type", "ping"));
        again.next("pong");
        assertTrue(again.noFrame("error", Duration.ofMillis(500)), "the reconnect is not refused");
        assertEquals(5, api.get("/api/v1/devices", bob.token()).body().path("devices").size());
      }
    } finally {
      devices.forEach(WsClient::close);
    }
  }

  @Test
  void metricsCountConnectionsRefusalsFramesAndDeliveryLatency() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    String conversation = api.direct(alice, bob);
    try (WsClient bobPhone = WsClient.connect(api.port(), bob.token(), "phone");
        WsClient alicePhone = WsClient.connect(api.port(), alice.token(), "phone")) {
      alicePhone.sendMessage(conversation, "m-1", "measured");
      bobPhone.messages(1);
      assertEquals(401, WsClient.refusedStatus(api.port(), "not-a-token", "phone"));

      Api.Plain scrape = api.getText("/metrics", null);

      assertEquals(200, scrape.status());
      String text = scrape.body();
      assertTrue(metric(text, "messenger_connections_open") >= 2, text);
      assertTrue(metric(text, "messenger_connections_refused_total{reason=\"unauthorized\"}") >= 1);
      assertTrue(metric(text, "messenger_frames_total{direction=\"in\"}") >= 1);
      assertTrue(metric(text, "messenger_frames_total{direction=\"out\"}") >= 1);
      assertTrue(metric(text, "messenger_delivery_latency_seconds_count") >= 1);
      assertTrue(text.contains("messenger_catchup_entries_count"));
      assertTrue(text.contains("jvm_memory_used_bytes"));
    }
  }

  /** The value of the sample line that starts with {@code series} followed by a space. */
  private static double metric(String exposition, String series) {
    for (String line : exposition.split("\n")) {
      if (line.startsWith(series + " "))
        return Double.parseDouble(line.substring(series.length() + 1).trim());
    }
    throw new AssertionError("no sample " + series + " in\n" + exposition);
  }
}
