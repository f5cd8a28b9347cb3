package messenger.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import messenger.MessengerNode;
import messenger.testing.Api;
import messenger.testing.Api.User;
import messenger.testing.Polling;
import messenger.testing.TestServer;
import messenger.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Native push end to end: a node configured for APNs and FCM (the local servers, which check
 * signatures and tokens as Apple's and Google's do) pushes to an offline iPhone and an offline
 * Android phone when a message arrives, and forgets a token its push service no longer knows. A
 * node without credentials for a kind refuses registrations of it.
 */
@Timeout(120)
class NativePushIntegrationTest {
  private static LocalApns apns;
  private static LocalFcm fcm;
  private static MessengerNode node;
  private static Api api;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("native-push-it");
    apns = LocalApns.start(dir.resolve("apns"));
    fcm = LocalFcm.start(Files.createDirectories(dir.resolve("fcm")));
    ApnsSettings a = apns.settings(true);
    FcmSettings f = fcm.settings(true);
    node =
        MessengerNode.start(
            TestServer.isolated(
                "nativepush",
                Map.of(
                    "messenger.push.apns.key-file", a.keyFile(),
                    "messenger.push.apns.key-id", a.keyId(),
                    "messenger.push.apns.team-id", a.teamId(),
                    "messenger.push.apns.topic", a.topic(),
                    "messenger.push.apns.server", a.server(),
                    "messenger.push.apns.trusted-certificates", a.trustedCertificates(),
                    "messenger.push.fcm.service-account-file", f.serviceAccountFile(),
                    "messenger.push.fcm.endpoint", f.endpoint(),
                    "messenger.push.fcm.trusted-certificates", f.trustedCertificates())));
    api = new Api(node.httpPort());
  }

  @AfterAll
  static void stop() throws Exception {
    node.stop();
    apns.close();
    fcm.close();
  }

  private static Api.Response register(Api on, User user, String deviceId, Map<String, ?> body) {
    return on.put("/api/v1/devices/" + deviceId + "/push", body, user.token());
  }

  @Test
  void offlinePhonesGetAPushThroughApnsAndFcmAndAGoneTokenIsForgotten() throws Exception {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    String conversation = api.direct(alice, bob);
    String iphoneToken = apns.newDeviceToken();
    String pixelToken = fcm.newRegistrationToken();

    // The device token as iOS gives it may be upper case; it is stored in lower case.
    assertEquals(
        204,
        register(api, bob, "iphone", Map.of("kind", "apns", "token", iphoneToken.toUpperCase()))
            .status());
    assertEquals(
        204, register(api, bob, "pixel", Map.of("kind", "fcm", "token", pixelToken)).status());
    assertEquals("apns", api.device(bob, "iphone").path("push").asText());
    assertEquals("fcm", api.device(bob, "pixel").path("push").asText());

    try (WsClient alicePhone = WsClient.connect(api.port(), alice.token(), "phone")) {
      alicePhone.sendMessage(conversation, "m-1", "dinner at 8?");

      LocalApns.Received push = apns.take(iphoneToken);
      JsonNode payload = Api.JSON.readTree(push.payload());
      assertEquals("dinner at 8?", payload.at("/aps/alert/body").asText());
      assertEquals(conversation, payload.path("conversationId").asText());
      assertEquals(1, payload.path("unreadCount").asInt());
      assertEquals(WebPushProvider.topicFor(conversation), push.header("apns-collapse-id"));

      JsonNode message = fcm.take(pixelToken).message();
      assertEquals(conversation, message.at("/data/conversationId").asText());
      assertEquals("dinner at 8?", message.at("/data/preview").asText());
      assertEquals("HIGH", message.at("/android/priority").asText());
      assertEquals(
          WebPushProvider.topicFor(conversation), message.at("/android/collapse_key").asText());

      // The app was removed from both phones.
      apns.expire(iphoneToken);
      fcm.unregister(pixelToken);
      alicePhone.sendMessage(conversation, "m-2", "hello?");
      Polling.until(
          Duration.ofSeconds(30),
          () ->
              !api.device(bob, "iphone").path("push").isTextual()
                  && !api.device(bob, "pixel").path("push").isTextual(),
          "both gone tokens are forgotten");
    }
  }

  @Test
  void badTokensAndMixedFieldsAreRefusedWith400() {
    User bob = api.newUser("bob");

    var notHex = register(api, bob, "iphone", Map.of("kind", "apns", "token", "xyz".repeat(30)));
    var withEndpoint =
        register(
            api,
            bob,
            "pixel",
            Map.of("kind", "fcm", "token", "abc:def", "endpoint", "https://fcm.example/x"));
    var webPushWithToken =
        register(
            api,
            bob,
            "laptop",
            Map.of("kind", "unified-push", "endpoint", "https://up.example/x", "token", "abc"));
    var noToken = register(api, bob, "pixel", Map.of("kind", "fcm"));

    for (var refused : java.util.List.of(notHex, withEndpoint, webPushWithToken, noToken)) {
      assertEquals(400, refused.status(), refused::toString);
      assertEquals("bad_request", refused.text("code"));
    }
    assertFalse(api.device(bob, "pixel").path("push").isTextual());
  }

  @Test
  void aServerWithoutApnsOrFcmCredentialsRefusesThoseKindsAsUnavailable() {
    Api plain = new Api(TestServer.shared().httpPort());
    User bob = plain.newUser("bob");

    var apnsRefused =
        register(plain, bob, "iphone", Map.of("kind", "apns", "token", "ab".repeat(32)));
    var fcmRefused = register(plain, bob, "pixel", Map.of("kind", "fcm", "token", "abc:def"));

    assertEquals(422, apnsRefused.status());
    assertEquals("push_kind_unavailable", apnsRefused.text("code"));
    assertEquals(
        "this server does not send \"apns\" pushes (messenger.push.apns is not configured)",
        apnsRefused.text("message"));
    assertEquals(422, fcmRefused.status());
    assertEquals("push_kind_unavailable", fcmRefused.text("code"));
  }
}
