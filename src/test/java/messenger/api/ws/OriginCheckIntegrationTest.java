package messenger.api.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import messenger.MessengerNode;
import messenger.testing.Api;
import messenger.testing.TestServer;
import messenger.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The WebSocket handshake checks Origin: cross-site WebSocket hijacking is refused. */
class OriginCheckIntegrationTest {

  private static MessengerNode node;
  private static Api api;

  @BeforeAll
  static void start() throws Exception {
    node =
        MessengerNode.start(
            TestServer.isolated(
                "origin", Map.of("messenger.http.allowed-origins", "https://chat.example.com")));
    api = new Api(node.httpPort());
  }

  @AfterAll
  static void stop() throws Exception {
    node.stop();
  }

  @Test
  void aPageFromAnotherSiteCannotOpenASocketWithAValidToken() {
    Api.User alice = api.newUser("alice");
    assertEquals(
        403,
        WsClient.refusedStatus(api.port(), alice.token(), "phone", "https://evil.example.net"));
  }

  @Test
  void pagesFromAllowedOriginsTheServersOwnAndNonBrowserClientsConnect() {
    Api.User alice = api.newUser("alice");
    WsClient.connect(api.port(), alice.token(), "listed", "https://chat.example.com").close();
    WsClient.connect(api.port(), alice.token(), "own", "http://127.0.0.1:" + api.port()).close();
    WsClient.connect(api.port(), alice.token(), "app").close();
  }
}
