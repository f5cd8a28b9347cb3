package messenger.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import messenger.MessengerNode;
import messenger.testing.Api;
import messenger.testing.Polling;
import messenger.testing.TestServer;
import messenger.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A user manages their own account on the real server: the password (which logs the other devices
 * out), the display name contacts see, and the device list with logging out one device. Heartbeats
 * are far apart, so only the change itself can close a socket in time.
 */
@Timeout(120)
class AccountSelfServiceIntegrationTest {
  private static final Duration SOON = Duration.ofSeconds(10);
  private static final String PASSWORD = "correct horse";

  private static MessengerNode node;
  private static Api api;

  @BeforeAll
  static void start() throws Exception {
    node =
        MessengerNode.start(
            TestServer.isolated(
                "account",
                Map.of(
                    "messenger.delivery.heartbeat-interval", "5m",
                    "messenger.delivery.websocket-connection-timeout", "10m")));
    api = new Api(node.httpPort());
  }

  @AfterAll
  static void stop() throws Exception {
    node.stop();
  }

  private static Api.Response changePassword(Api.User user, String current, String next) {
    return api.put(
        "/api/v1/account/password",
        Map.of("currentPassword", current, "newPassword", next),
        user.token());
  }

  @Test
  void changingThePasswordLogsOutEveryOtherDeviceAndKeepsTheOneThatChangedIt() {
    Api.User phone = api.newUser("alice");
    Api.User laptop = api.login(phone.username(), PASSWORD);
    Api.User bob = api.newUser("bob");
    String conversation = api.direct(phone, bob);
    WsClient phoneSocket = WsClient.connect(api.port(), phone.token(), "phone");
    WsClient laptopSocket = WsClient.connect(api.port(), laptop.token(), "laptop");

    assertEquals(204, changePassword(phone, PASSWORD, "a new passphrase").status());

    JsonNode closing = laptopSocket.next("error");
    assertEquals("unauthorized", closing.path("code").asText(), closing::toString);
    laptopSocket.closeCode(SOON);
    assertEquals(401, api.get("/api/v1/conversations", laptop.token()).status());
    assertEquals(200, api.get("/api/v1/conversations", phone.token()).status());
    assertTrue(phoneSocket.isOpen());
    assertEquals(
        "sent", phoneSocket.sendMessage(conversation, "after", "still here").path("type").asText());
    assertEquals(
        401,
        api.post("/api/v1/tokens", Map.of("username", phone.username(), "password", PASSWORD), null)
            .status());
    Api.User again = api.login(phone.username(), "a new passphrase");
    assertEquals(200, api.get("/api/v1/conversations", again.token()).status());
    phoneSocket.close();
  }

  @Test
  void aWrongCurrentPasswordIsRefusedAndLogsNobodyOut() {
    Api.User phone = api.newUser("carol");
    Api.User laptop = api.login(phone.username(), PASSWORD);

    Api.Response refused = changePassword(phone, "not my password", "a new passphrase");

    assertEquals(403, refused.status());
    assertEquals("wrong_password", refused.text("code"));
    assertEquals(200, api.get("/api/v1/conversations", laptop.token()).status());
    api.login(phone.username(), PASSWORD);
    Api.Response weak = changePassword(phone, PASSWORD, "short");
    assertEquals(400, weak.status());
    assertEquals("bad_request", weak.text("code"));
    assertEquals(
        401,
        changePassword(
                new Api.User(phone.userId(), phone.username(), "junk"),
                PASSWORD,
                "long enough pass")
            .status());
  }

  @Test
  void aNewDisplayNameIsWhatContactsAndLookupsSee() {
    Api.User dora = api.newUser("dora");
    Api.User eve = api.newUser("eve");
    api.direct(dora, eve);

    Api.Response changed =
        api.patch("/api/v1/account", Map.of("displayName", "  Dora the Explorer "), dora.token());

    assertEquals(200, changed.status(), changed::toString);
    assertEquals("Dora the Explorer", changed.text("displayName"));
    assertEquals(dora.username(), changed.text("username"));
    assertEquals("Dora the Explorer", api.get("/api/v1/account", dora.token()).text("displayName"));
    assertEquals(
        "Dora the Explorer",
        api.get("/api/v1/users/" + dora.userId(), eve.token()).text("displayName"));
    assertEquals(
        "Dora the Explorer",
        api.get("/api/v1/users?username=" + dora.username(), eve.token()).text("displayName"));
    Api.Response blank = api.patch("/api/v1/account", Map.of("displayName", " "), dora.token());
    assertEquals(400, blank.status());
    Api.Response control =
        api.patch("/api/v1/account", Map.of("displayName", "bad\u0007name"), dora.token());
    assertEquals(400, control.status());
  }

  @Test
  void theDeviceListShowsEachClientsLabelAndWhenItWasLastConnected() {
    Api.User frank = api.newUser("frank");
    WsClient laptop = WsClient.connectAs(api.port(), frank.token(), "laptop", "Firefox on Linux");
    Polling.until(SOON, () -> api.device(frank, "laptop").path("online").asBoolean(), "online");
    JsonNode online = api.device(frank, "laptop");
    assertEquals("Firefox on Linux", online.path("client").asText(), online::toString);
    assertTrue(online.path("lastSeen").isNull() || online.path("lastSeen").isMissingNode());

    Instant beforeLeaving = Instant.now().minusSeconds(1);
    laptop.close();

    Polling.until(SOON, () -> !api.device(frank, "laptop").path("online").asBoolean(), "offline");
    JsonNode offline = api.device(frank, "laptop");
    assertEquals("Firefox on Linux", offline.path("client").asText());
    assertFalse(Instant.parse(offline.path("lastSeen").asText()).isBefore(beforeLeaving));
  }

  @Test
  void loggingOutOneDeviceClosesOnlyItRevokesItsTokenAndForgetsIt() {
    Api.User phone = api.newUser("gina");
    Api.User laptop = api.login(phone.username(), PASSWORD);
    Api.User hal = api.newUser("hal");
    String conversation = api.direct(phone, hal);
    WsClient phoneSocket = WsClient.connect(api.port(), phone.token(), "phone");
    WsClient laptopSocket = WsClient.connectAs(api.port(), laptop.token(), "laptop", "Laptop");
    Polling.until(SOON, () -> api.device(phone, "laptop").path("online").asBoolean(), "online");

    assertEquals(204, api.delete("/api/v1/devices/laptop", phone.token()).status());

    JsonNode closing = laptopSocket.next("error");
    assertEquals("unauthorized", closing.path("code").asText(), closing::toString);
    laptopSocket.closeCode(SOON);
    assertEquals(401, api.get("/api/v1/conversations", laptop.token()).status());
    assertEquals(401, WsClient.refusedStatus(api.port(), laptop.token(), "laptop"));
    assertTrue(api.device(phone, "laptop").isMissingNode());
    assertTrue(phoneSocket.isOpen());
    assertEquals(
        "sent", phoneSocket.sendMessage(conversation, "after", "still in").path("type").asText());
    Api.Response again = api.delete("/api/v1/devices/laptop", phone.token());
    assertEquals(404, again.status());
    assertEquals("not_found", again.text("code"));
    phoneSocket.close();
  }

  @Test
  void loggingOutAnOfflineDeviceRevokesTheTokenItLastConnectedWith() {
    Api.User phone = api.newUser("ivy");
    Api.User tablet = api.login(phone.username(), PASSWORD);
    WsClient tabletSocket = WsClient.connect(api.port(), tablet.token(), "tablet");
    Polling.until(SOON, () -> api.device(phone, "tablet").path("online").asBoolean(), "online");
    tabletSocket.close();
    Polling.until(SOON, () -> !api.device(phone, "tablet").path("online").asBoolean(), "offline");

    assertEquals(204, api.delete("/api/v1/devices/tablet", phone.token()).status());

    assertEquals(401, api.get("/api/v1/conversations", tablet.token()).status());
    assertEquals(200, api.get("/api/v1/conversations", phone.token()).status());
  }
}
