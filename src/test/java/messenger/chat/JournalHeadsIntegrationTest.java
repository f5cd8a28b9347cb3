package messenger.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.SnapshotSelectionCriteria;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import akka.persistence.typed.javadsl.Recovery;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import messenger.MessengerNode;
import messenger.testing.Api;
import messenger.testing.TestCassandra;
import messenger.testing.TestServer;
import messenger.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The last seq of conversations read straight from the journal's table, on the real Cassandra, with
 * partitions of three entries so that every walk crosses partitions.
 */
@Timeout(240)
class JournalHeadsIntegrationTest {

  private static final String READ_JOURNAL = "akka.persistence.cassandra.query";

  /** The node's own keyspace; the journal's partitions as in production (one per conversation). */
  private static final Config NODE = TestServer.isolated("heads", Map.of());

  /**
   * Partitions of twenty entries, for a log the test writes itself: a node's writes (an inbox's
   * group commits) would span more partitions than the journal allows.
   */
  private static final Config SMALL_PARTITIONS =
      TestServer.isolated(
          "heads_small",
          Map.of(
              "akka.persistence.cassandra.journal.target-partition-size",
              20,
              // The first use creates the keyspace and its tables, slow on a busy machine.
              "akka.persistence.cassandra.journal.circuit-breaker.call-timeout",
              "60s"));

  /** Storage only: no cluster, no sharding, so nothing here can start a conversation. */
  private static ActorTestKit storageOnly(Config config) {
    return ActorTestKit.create(
        "heads-reader",
        ConfigFactory.parseMap(
                Map.of(
                    "akka.actor.provider",
                    "local",
                    // What a node sets at start (MessengerNode): the test Cassandra's address.
                    "datastax-java-driver.basic.contact-points",
                    List.of(TestCassandra.contactPoint())))
            .withFallback(config));
  }

  @Test
  void readsTheLastSeqOfEachConversationWhileNoNodeRuns() throws Exception {
    Config config = NODE;
    MessengerNode node = MessengerNode.start(config);
    String quiet;
    String busy;
    String group;
    try {
      Api api = new Api(node.httpPort());
      Api.User alice = api.newUser("alice");
      Api.User bob = api.newUser("bob");
      Api.User carol = api.newUser("carol");
      quiet = api.direct(alice, carol);
      busy = api.direct(alice, bob);
      try (WsClient phone = WsClient.connect(node.httpPort(), alice.token(), "phone")) {
        // Sent without waiting, so that posts share writes.
        IntStream.range(0, 45).forEach(i -> phone.post(busy, "b-" + i, "busy " + i));
        IntStream.range(0, 45).forEach(i -> phone.answerTo("b-" + i));
      }
      var created =
          api.post(
              "/api/v1/conversations",
              Map.of("type", "group", "title", "heads", "members", List.of(bob.userId())),
              alice.token());
      assertEquals(201, created.status(), created::toString);
      group = created.text("conversationId");
      var added =
          api.post(
              "/api/v1/conversations/" + group + "/members",
              Map.of("userId", carol.userId()),
              alice.token());
      assertEquals(200, added.status(), added::toString);
      for (int i = 0; i < 4; i++)
        api.post(
            "/api/v1/conversations/" + group + "/messages",
            Map.of("clientMsgId", "g-" + i, "body", "group " + i),
            bob.token());
    } finally {
      node.stop();
    }

    ActorTestKit reader = storageOnly(config);
    try {
      var heads = new JournalHeads(reader.system(), READ_JOURNAL);
      // The group's log: its creation (seq 0), carol's joining (1), four posts (2-5).
      assertEquals(
          Map.of(quiet, 0L, busy, 45L, group, 5L),
          heads
              .lastSeqs(Map.of(quiet, 0L, busy, 0L, group, 0L))
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS));
      assertEquals(
          Map.of(busy, 45L),
          heads.lastSeqs(Map.of(busy, 33L)).toCompletableFuture().get(30, TimeUnit.SECONDS),
          "a read from a known seq");
      assertEquals(
          Map.of(busy, 45L),
          heads.lastSeqs(Map.of(busy, 45L)).toCompletableFuture().get(30, TimeUnit.SECONDS),
          "the known head is the head");
    } finally {
      reader.shutdownTestKit();
    }
  }

  // --- A log written in batches of chosen sizes, under a conversation's persistence id ---

  private record Write(List<String> events, ActorRef<Long> replyTo) {}

  private static Behavior<Write> log(String conversationId) {
    return new EventSourcedBehavior<Write, String, Long>(
        PersistenceId.of(Conversation.ENTITY_KEY.name(), conversationId)) {
      @Override
      public Recovery recovery() {
        return Recovery.withSnapshotSelectionCriteria(SnapshotSelectionCriteria.none());
      }

      @Override
      public Long emptyState() {
        return 0L;
      }

      @Override
      public CommandHandler<Write, String, Long> commandHandler() {
        return newCommandHandlerBuilder()
            .forAnyState()
            .onCommand(
                Write.class,
                (state, write) ->
                    Effect().persist(write.events()).thenReply(write.replyTo(), entries -> entries))
            .build();
      }

      @Override
      public EventHandler<Long, String> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent((entries, event) -> entries + 1);
      }
    };
  }

  @Test
  void findsEntriesThatABatchCarriedPastAnEmptyPartition() throws Exception {
    ActorTestKit kit = storageOnly(SMALL_PARTITIONS);
    try {
      String conversationId = "skip-" + System.nanoTime();
      ActorRef<Write> writer = kit.spawn(log(conversationId));
      TestProbe<Long> written = kit.createTestProbe();
      // Entries 1-20 fill partition 0; the batch 21-41 spans partitions 1 and 2, and the journal
      // writes all of it into partition 2, leaving partition 1 empty; entry 42 is in partition 2.
      List<List<String>> batches = new ArrayList<>();
      IntStream.rangeClosed(1, 20).forEach(i -> batches.add(List.of("e" + i)));
      batches.add(IntStream.rangeClosed(21, 41).mapToObj(i -> "e" + i).toList());
      batches.add(List.of("e42"));
      for (var batch : batches) {
        writer.tell(new Write(batch, written.getRef()));
        written.receiveMessage(Duration.ofSeconds(30));
      }
      var heads = new JournalHeads(kit.system(), READ_JOURNAL);
      assertEquals(
          Map.of(conversationId, 41L),
          heads
              .lastSeqs(Map.of(conversationId, 0L))
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS));
    } finally {
      kit.shutdownTestKit();
    }
  }
}
