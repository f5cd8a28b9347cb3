package messenger.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import messenger.MessengerNode;
import messenger.testing.Api;
import messenger.testing.TestServer;
import messenger.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Logging out revokes tokens on the real server: the revoked token is refused by every route and by
 * the WebSocket handshake, and the sockets opened with it are closed with {@code unauthorized}.
 * Heartbeats are set far apart so that only the revocation itself can close a socket in time.
 */
class TokenRevocationIntegrationTest {
  private static final Duration SOON = Duration.ofSeconds(10);

  private static MessengerNode node;
  private static Api api;

  @BeforeAll
  static void start() throws Exception {
    node =
        MessengerNode.start(
            TestServer.isolated(
                "revocation",
                Map.of(
                    "messenger.delivery.heartbeat-interval", "5m",
                    "messenger.delivery.websocket-connection-timeout", "10m")));
    api = new Api(node.httpPort());
  }

  @AfterAll
  static void stop() throws Exception {
    node.stop();
  }

  @Test
  void loggingOutOneDeviceRefusesItsTokenAndClosesItsSocketButNotTheOtherDevices() {
    Api.User phone = api.newUser("alice");
    Api.User laptop = api.login(phone.username(), "correct horse");
    Api.User bob = api.newUser("bob");
    String conversation = api.direct(phone, bob);
    WsClient phoneSocket = WsClient.connect(api.port(), phone.token(), "phone");
    WsClient laptopSocket = WsClient.connect(api.port(), laptop.token(), "laptop");

    assertEquals(204, api.delete("/api/v1/tokens/current", phone.token()).status());

    assertEquals(401, api.get("/api/v1/conversations", phone.token()).status());
    assertEquals(401, WsClient.refusedStatus(api.port(), phone.token(), "phone"));
    JsonNode closing = phoneSocket.next("error");
    assertEquals("unauthorized", closing.path("code").asText(), closing::toString);
    phoneSocket.closeCode(SOON);

    assertEquals(200, api.get("/api/v1/conversations", laptop.token()).status());
    assertTrue(laptopSocket.isOpen());
    assertEquals(
        "sent",
        laptopSocket.sendMessage(conversation, "after-logout", "still here").path("type").asText());
    laptopSocket.close();
  }

  @Test
  void loggingOutEverywhereClosesEverySocketAndOnlyALaterLoginWorks() {
    Api.User phone = api.newUser("carol");
    Api.User laptop = api.login(phone.username(), "correct horse");
    WsClient phoneSocket = WsClient.connect(api.port(), phone.token(), "phone");
    WsClient laptopSocket = WsClient.connect(api.port(), laptop.token(), "laptop");

    assertEquals(204, api.delete("/api/v1/tokens", laptop.token()).status());

    for (Api.User device : new Api.User[] {phone, laptop}) {
      assertEquals(401, api.get("/api/v1/conversations", device.token()).status());
      assertEquals(401, WsClient.refusedStatus(api.port(), device.token(), "tablet"));
    }
    for (WsClient socket : new WsClient[] {phoneSocket, laptopSocket}) {
      assertEquals("unauthorized", socket.next("error").path("code").asText());
      socket.closeCode(SOON);
    }

    Api.User again = api.login(phone.username(), "correct horse");
    assertEquals(200, api.get("/api/v1/conversations", again.token()).status());
    WsClient.connect(api.port(), again.token(), "phone").close();
  }

  @Test
  void revokingWithoutAValidTokenIsUnauthorized() {
    assertEquals(401, api.delete("/api/v1/tokens/current", null).status());
    assertEquals(401, api.delete("/api/v1/tokens", "not-a-token").status());
  }
}
