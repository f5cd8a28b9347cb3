package messenger.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import messenger.MessengerNode;
import messenger.testing.Api;
import messenger.testing.Polling;
import messenger.testing.TestServer;
import messenger.testing.WsClient;
import org.junit.jupiter.api.Test;

/** One address holds at most connections-per-address WebSockets; a closed one frees its place. */
class ConnectionsPerAddressIntegrationTest {

  @Test
  void anAddressAtItsLimitIsRefusedUntilOneOfItsConnectionsCloses() throws Exception {
    MessengerNode node =
        MessengerNode.start(
            TestServer.isolated(
                "per_address", Map.of("messenger.limits.connections-per-address", 2)));
    try {
      Api api = new Api(node.httpPort());
      Api.User alice = api.newUser("alice");
      Api.User bob = api.newUser("bob");
      WsClient first = WsClient.connect(api.port(), alice.token(), "phone");
      WsClient second = WsClient.connect(api.port(), bob.token(), "phone");

      assertEquals(429, WsClient.refusedStatus(api.port(), alice.token(), "laptop"));

      second.close();
      Polling.until(
          Duration.ofSeconds(20),
          () -> {
            try {
              WsClient.connect(api.port(), bob.token(), "laptop").close();
              return true;
            } catch (java.util.concurrent.CompletionException refused) {
              return false;
            }
          },
          "a place freed by the closed connection");
      first.close();
    } finally {
      node.stop();
    }
  }
}
