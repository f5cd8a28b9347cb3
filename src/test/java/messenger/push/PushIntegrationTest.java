package messenger.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import messenger.testing.Api;
import messenger.testing.Api.User;
import messenger.testing.Polling;
import messenger.testing.TestServer;
import messenger.testing.WsClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Push end to end: a device registers its Web Push subscription over HTTP, is offline while the
 * user's other device is online, and gets an RFC 8291 encrypted, VAPID-signed notification from the
 * real node at a local push service; a 410 from the push service makes the node forget it.
 */
@Timeout(120)
class PushIntegrationTest {

  private static Api api;

  @BeforeAll
  static void startServer() {
    api = new Api(TestServer.shared().httpPort());
  }

  private static Api.Response register(
      User user, String deviceId, PushSubscription sub, boolean previews) {
    return api.put(
        "/api/v1/devices/" + deviceId + "/push",
        Map.of(
            "kind",
            "web-push",
            "endpoint",
            sub.endpoint(),
            "keys",
            Map.of("p256dh", sub.p256dh(), "auth", sub.auth()),
            "previews",
            previews),
        user.token());
  }

  @Test
  void anOfflineDeviceGetsAnEncryptedSignedPushAndAGoneEndpointIsForgotten() throws Exception {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    String conversation = api.direct(alice, bob);
    try (PushReceiver pushService = PushReceiver.start()) {
      Browser laptop = new Browser();
      assertEquals(
          204,
          register(bob, "laptop", laptop.subscribe(pushService.endpoint("/p/laptop")), true)
              .status());
      assertEquals("web-push", api.device(bob, "laptop").path("push").asText());

      try (WsClient bobPhone = WsClient.connect(api.port(), bob.token(), "phone");
          WsClient alicePhone = WsClient.connect(api.port(), alice.token(), "phone")) {
        alicePhone.sendMessage(conversation, "m-1", "hello laptop");
        assertEquals("hello laptop", bobPhone.messages(1).bodies().get(0));

        PushReceiver.Received push = pushService.take();
        JsonNode payload = Api.JSON.readTree(laptop.decrypt(push.body()));
        assertEquals(conversation, payload.path("conversationId").asText());
        assertEquals(1, payload.path("unreadCount").asInt());
        assertEquals("hello laptop", payload.path("preview").asText());
        String vapidKey = api.get("/api/v1/push/vapid-public-key", bob.token()).text("publicKey");
        assertTrue(
            push.header("Authorization").startsWith("vapid t="), push.header("Authorization"));
        assertTrue(
            push.header("Authorization").endsWith("k=" + vapidKey),
            "signed with the advertised key");

        pushService.answer(410, Map.of());
        alicePhone.sendMessage(conversation, "m-2", "the endpoint is gone by now");
        pushService.take();
        Polling.until(
            Duration.ofSeconds(20),
            () -> !api.device(bob, "laptop").path("push").isTextual(),
            "the gone endpoint is forgotten");
      }
    }
  }

  @Test
  void aDeviceThatTurnedPreviewsOffGetsTheCountButNoText() throws Exception {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    String conversation = api.direct(alice, bob);
    try (PushReceiver pushService = PushReceiver.start()) {
      Browser laptop = new Browser();
      assertEquals(
          204,
          register(bob, "laptop", laptop.subscribe(pushService.endpoint("/p/private")), false)
              .status());

      try (WsClient alicePhone = WsClient.connect(api.port(), alice.token(), "phone")) {
        alicePhone.sendMessage(conversation, "m-1", "nobody should read this on a lock screen");
      }

      JsonNode payload = Api.JSON.readTree(laptop.decrypt(pushService.take().body()));
      assertEquals(1, payload.path("unreadCount").asInt());
      assertFalse(payload.has("preview"), payload.toString());
    }
  }

  @Test
  void aRegistrationWithBadKeysIsRefusedWith400AndAnUnregisteredDeviceHasNoPush() {
    User bob = api.newUser("bob");

    var refused =
        api.put(
            "/api/v1/devices/laptop/push",
            Map.of(
                "kind",
                "web-push",
                "endpoint",
                "https://push.example/x",
                "keys",
                Map.of("p256dh", "nope", "auth", "nope")),
            bob.token());
    var badKind =
        api.put(
            "/api/v1/devices/laptop/push",
            Map.of("kind", "carrier-pigeon", "endpoint", "https://push.example/x"),
            bob.token());
    var unified =
        api.put(
            "/api/v1/devices/tablet/push",
            Map.of("kind", "unified-push", "endpoint", "https://up.example/x"),
            bob.token());
    var removed = api.delete("/api/v1/devices/tablet/push", bob.token());

    assertEquals(400, refused.status());
    assertEquals("bad_request", refused.text("code"));
    assertEquals(400, badKind.status());
    assertEquals(204, unified.status());
    assertEquals(204, removed.status());
    assertFalse(api.device(bob, "tablet").path("push").isTextual());
    assertEquals(401, api.put("/api/v1/devices/laptop/push", Map.of(), null).status());
  }
}
