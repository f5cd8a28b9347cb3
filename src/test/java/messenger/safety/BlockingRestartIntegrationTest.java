package messenger.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import messenger.MessengerNode;
import messenger.testing.Api;
import messenger.testing.Api.User;
import messenger.testing.TestCassandra;
import messenger.testing.TestServer;
import messenger.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A block made before a node restart holds after it: the block list, the direct conversation (which
 * keeps it in memory only, and asks again) and the blocker's inbox (which wrote it).
 */
@Timeout(240)
class BlockingRestartIntegrationTest {

  /** Its own keyspaces and data folder (its token key too), the same for both nodes. */
  private static Config config(String keyspace, Path dataDir) {
    return ConfigFactory.parseMap(
            Map.of(
                "akka.persistence.cassandra.journal.keyspace",
                keyspace,
                "akka.persistence.cassandra.snapshot.keyspace",
                keyspace + "_snapshot"))
        .withFallback(TestServer.config(TestCassandra.contactPoint(), dataDir));
  }

  @Test
  void aBlockHoldsAfterTheNodeRestarts() throws Exception {
    String keyspace = "blocking_restart_" + UUID.randomUUID().toString().substring(0, 8);
    Path dataDir = Path.of("target/" + keyspace);
    User alice;
    User bob;
    String direct;
    String group;
    MessengerNode first = MessengerNode.start(config(keyspace, dataDir));
    try {
      Api api = new Api(first.httpPort());
      alice = api.newUser("alice");
      bob = api.newUser("bob");
      User carol = api.newUser("carol");
      direct = api.direct(alice, bob);
      group =
          api.post(
                  "/api/v1/conversations",
                  Map.of(
                      "type",
                      "group",
                      "title",
                      "restart",
                      "members",
                      List.of(alice.userId(), bob.userId())),
                  carol.token())
              .text("conversationId");
      assertEquals(201, send(api, bob, direct, "before").status());
      assertEquals(204, api.put("/api/v1/blocks/" + bob.userId(), null, alice.token()).status());
    } finally {
      first.stop();
    }

    MessengerNode second = MessengerNode.start(config(keyspace, dataDir));
    try {
      Api api = new Api(second.httpPort());
      JsonNode blocked = api.get("/api/v1/blocks", alice.token()).body().path("blocked");
      assertEquals(bob.userId(), blocked.get(0).path("userId").asText(), blocked.toString());

      Api.Response refused = send(api, bob, direct, "after");
      assertEquals(403, refused.status(), refused.toString());
      assertEquals("blocked", refused.text("code"));

      assertEquals(201, send(api, bob, group, "in the group").status());
      try (WsClient alicePhone = WsClient.connect(api.port(), alice.token(), "phone")) {
        JsonNode item =
            alicePhone
                .next(f -> f.toString().contains("body of in the group"), "bob's group message")
                .path("items")
                .get(0);
        assertTrue(item.path("fromBlocked").asBoolean(), item.toString());
      }
    } finally {
      second.stop();
    }
  }

  private static Api.Response send(Api api, User sender, String conversation, String clientMsgId) {
    return api.post(
        "/api/v1/conversations/" + conversation + "/messages",
        Map.of("clientMsgId", clientMsgId, "body", "body of " + clientMsgId),
        sender.token());
  }
}
