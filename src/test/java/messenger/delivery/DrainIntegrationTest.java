package messenger.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.cluster.typed.Cluster;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import messenger.MessengerNode;
import messenger.testing.Api;
import messenger.testing.Api.User;
import messenger.testing.ClusterMembers;
import messenger.testing.Polling;
import messenger.testing.TestServer;
import messenger.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node of a two-node cluster is shut down (as on SIGTERM) while messages flow. Its clients are
 * told to go away, reconnect to the other node and, after de-duplication by cursor, hold every
 * acknowledged message exactly once and in order; the sender, on the surviving node, retries
 * through the hand-off and never loses an acknowledged message.
 */
@Timeout(240)
class DrainIntegrationTest {

  @Test
  void clientsOfADrainingNodeAreToldToGoAwayReconnectElsewhereAndLoseNothing() throws Exception {
    String keyspace = "drain_" + UUID.randomUUID().toString().substring(0, 8);
    // Nodes of one cluster must sign tokens with one key, or a client could not move between them.
    String secret = "drain-test-secret-" + UUID.randomUUID();
    MessengerNode leaving =
        MessengerNode.start(
            TestServer.inKeyspace(keyspace, Map.of("messenger.auth.jwt-secret", secret)));
    MessengerNode staying = null;
    try {
      String seed = Cluster.get(leaving.system()).selfMember().address().toString();
      staying =
          MessengerNode.start(
              TestServer.inKeyspace(
                  keyspace,
                  Map.of(
                      "akka.cluster.seed-nodes",
                      List.of(seed),
                      "messenger.auth.jwt-secret",
                      secret)));
      MessengerNode survivor = staying;
      Polling.until(Duration.ofSeconds(60), () -> allUp(survivor, 2), "a two-node cluster");

      Api onLeaving = new Api(leaving.httpPort());
      Api onStaying = new Api(staying.httpPort());
      User alice = onStaying.newUser("alice");
      User bob = onStaying.newUser("bob");
      String conversation = onStaying.direct(alice, bob);

      WsClient bobOnLeaving = WsClient.connect(onLeaving.port(), bob.token(), "phone");
      var receivedBeforeDrain =
          CompletableFuture.supplyAsync(() -> readAndAckUntilGoingAway(bobOnLeaving));

      // 20 messages before the stop, as many as go through while it runs, 10 after it.
      CompletableFuture<Void> stopped = null;
      long lastAcked = 0;
      int extraAfterStop = 0;
      try (WsClient alicePhone = WsClient.connect(onStaying.port(), alice.token(), "phone")) {
        alicePhone.discard("messages");
        for (int i = 1; extraAfterStop < 10; i++) {
          lastAcked = sendUntilAcked(alicePhone, conversation, "m-" + i);
          if (i == 20) stopped = CompletableFuture.runAsync(() -> stop(leaving));
          if (stopped != null && stopped.isDone()) extraAfterStop++;
        }
      }
      stopped.join();

      TreeMap<Long, JsonNode> byCursor = new TreeMap<>();
      for (JsonNode item : receivedBeforeDrain.join())
        byCursor.put(item.path("cursor").asLong(), item);
      try (WsClient bobOnStaying = WsClient.connect(onStaying.port(), bob.token(), "phone")) {
        while (byCursor.isEmpty()
            || byCursor.lastEntry().getValue().path("seq").asLong() < lastAcked) {
          JsonNode frame = bobOnStaying.next("messages");
          frame.path("items").forEach(item -> byCursor.put(item.path("cursor").asLong(), item));
        }
      }
      List<Long> seqs = byCursor.values().stream().map(item -> item.path("seq").asLong()).toList();
      assertEquals(LongStream.rangeClosed(1, lastAcked).boxed().toList(), seqs);
    } finally {
      if (staying != null) staying.stop();
    }
  }

  /** Reads and acknowledges messages until the server says "going_away"; what was read. */
  private static List<JsonNode> readAndAckUntilGoingAway(WsClient client) {
    List<JsonNode> items = new ArrayList<>();
    while (true) {
      JsonNode frame =
          client.next(
              f ->
                  f.path("type").asText().equals("messages")
                      || f.path("type").asText().equals("error"),
              "messages or error");
      if (frame.path("type").asText().equals("error")) {
        assertEquals("going_away", frame.path("code").asText());
        Polling.until(
            Duration.ofSeconds(20), () -> !client.isOpen(), "the server closes the connection");
        return items;
      }
      frame.path("items").forEach(items::add);
      try {
        client.ack(items.get(items.size() - 1).path("cursor").asLong());
      } catch (java.util.concurrent.CompletionException closedUnderUs) {
        // The server may have sent going_away and closed while this batch was being read, as it
        // can for any client; the error frame is already queued, so read on.
        assertTrue(
            closedUnderUs.getCause() instanceof java.io.IOException, closedUnderUs::toString);
      }
    }
  }

  /** Sends until the server acknowledges (a hand-off may make a try time out); the seq. */
  private static long sendUntilAcked(WsClient client, String conversation, String clientMsgId) {
    for (int attempt = 0; attempt < 10; attempt++) {
      client.send(
          Map.of(
              "type",
              "send",
              "conversationId",
              conversation,
              "clientMsgId",
              clientMsgId,
              "body",
              clientMsgId));
      JsonNode answer = client.answerTo(clientMsgId);
      if (answer.path("type").asText().equals("sent")) return answer.path("seq").asLong();
      assertEquals(
          "unavailable", answer.path("code").asText(), "only a retryable refusal: " + answer);
    }
    throw new AssertionError(clientMsgId + " was never acknowledged");
  }

  private static boolean allUp(MessengerNode node, int members) {
    return ClusterMembers.up(node) == members;
  }

  private static void stop(MessengerNode node) {
    try {
      node.stop();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
