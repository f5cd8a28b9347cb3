package messenger.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.pubsub.Topic;
import akka.cluster.typed.Cluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import messenger.MessengerNode;
import messenger.testing.Api;
import messenger.testing.ClusterMembers;
import messenger.testing.Polling;
import messenger.testing.TestServer;
import messenger.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A logout on one node reaches the other: the token is refused there at once (the revocation is
 * published to every node's cache, not waited out), and a WebSocket open there with it is closed.
 * The cache age is set far beyond the test, so only the publication can make it pass.
 */
@Timeout(180)
class TokenRevocationAcrossNodesIntegrationTest {
  private static MessengerNode first;
  private static MessengerNode second;

  private static ActorRef<Topic.Command<TokenLedger.Revocation>> topicProbe;

  @BeforeAll
  static void start() throws Exception {
    String keyspace = "revoke_" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, Object> shared =
        Map.of(
            "messenger.auth.jwt-secret", "revocation-across-nodes-" + UUID.randomUUID(),
            "messenger.auth.revocation-cache-ttl", "1h",
            "messenger.delivery.heartbeat-interval", "5m",
            "messenger.delivery.websocket-connection-timeout", "10m");
    first = MessengerNode.start(TestServer.inKeyspace(keyspace, shared));
    String seed = Cluster.get(first.system()).selfMember().address().toString();
    var joining = new java.util.HashMap<String, Object>(shared);
    joining.put("akka.cluster.seed-nodes", List.of(seed));
    second = MessengerNode.start(TestServer.inKeyspace(keyspace, joining));
    Polling.until(
        Duration.ofSeconds(60), () -> ClusterMembers.up(second) == 2, "a two-node cluster");
    // Publication is at most once: before the first node has learnt (through the receptionist's
    // gossip) of the second node's subscriber, a revocation published there reaches nobody, and
    // only the cache's maximum age would end the token on the second node. Real nodes run long
    // enough for this; the test waits for it instead of racing it.
    Polling.until(
        Duration.ofSeconds(30),
        () -> revocationTopicInstancesSeenBy(first) >= 2,
        "the first node sees the second node's revocation subscriber");
  }

  /** Topic instances with subscribers that {@code node} knows of, through a topic of its own. */
  private static int revocationTopicInstancesSeenBy(MessengerNode node) {
    ActorSystem<Void> system = node.system();
    if (topicProbe == null) {
      topicProbe =
          system.systemActorOf(
              Topic.create(TokenLedger.Revocation.class, RevocationBroadcast.TOPIC),
              "revocation-topic-probe",
              Props.empty());
    }
    return AskPattern.<Topic.Command<TokenLedger.Revocation>, Topic.TopicStats>ask(
            topicProbe, Topic::getTopicStats, Duration.ofSeconds(3), system.scheduler())
        .toCompletableFuture()
        .join()
        .topicInstanceCount();
  }

  @AfterAll
  static void stop() throws Exception {
    if (second != null) second.stop();
    if (first != null) first.stop();
  }

  @Test
  void aLogoutOnOneNodeRefusesTheTokenAndClosesItsSocketOnTheOther() {
    Api onFirst = new Api(first.httpPort());
    Api onSecond = new Api(second.httpPort());
    Api.User alice = onFirst.newUser("alice");
    // The second node has looked at this token before, so it has an answer cached.
    assertEquals(200, onSecond.get("/api/v1/conversations", alice.token()).status());
    WsClient socket = WsClient.connect(onSecond.port(), alice.token(), "phone");

    assertEquals(204, onFirst.delete("/api/v1/tokens/current", alice.token()).status());

    Polling.until(
        Duration.ofSeconds(10),
        () -> onSecond.get("/api/v1/conversations", alice.token()).status() == 401,
        "the other node refuses the revoked token");
    assertEquals("unauthorized", socket.next("error").path("code").asText());
    socket.closeCode(Duration.ofSeconds(10));
  }
}
