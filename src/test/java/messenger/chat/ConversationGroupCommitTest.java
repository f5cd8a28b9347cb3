package messenger.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Behaviors;
import akka.pattern.StatusReply;
import akka.persistence.testkit.JournalOperation;
import akka.persistence.testkit.ProcessingPolicy;
import akka.persistence.testkit.ProcessingResult;
import akka.persistence.testkit.ProcessingSuccess;
import akka.persistence.testkit.WriteEvents;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.LongStream;
import messenger.testing.EntityTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit: posts that arrive while the conversation's journal write is in flight go together
 * in its next write, without giving up per-message acknowledgements, dedup or order.
 */
class ConversationGroupCommitTest {

  private static final ActorTestKit testKit = ActorTestKit.create(EntityTests.config());
  private static final PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());

  private static final int MAX_BATCH = 10;
  private static final ChatSettings SETTINGS =
      new ChatSettings(
          1000,
          Duration.ofSeconds(30),
          Duration.ofMinutes(10),
          100,
          256,
          1000,
          Duration.ofSeconds(3),
          50,
          MAX_BATCH);

  /** Passes every write and records how many events each one held, per persistence id. */
  private static final class WriteSizes implements ProcessingPolicy<JournalOperation> {
    final Map<String, ConcurrentLinkedQueue<Integer>> sizes =
        new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public ProcessingResult tryProcess(String persistenceId, JournalOperation operation) {
      if (operation instanceof WriteEvents write) {
        sizes
            .computeIfAbsent(persistenceId, id -> new ConcurrentLinkedQueue<>())
            .add(write.getBatch().size());
      }
      return ProcessingSuccess.getInstance();
    }

    List<Integer> of(String conversationId) {
      return List.copyOf(
          sizes.getOrDefault(persistenceId(conversationId), new ConcurrentLinkedQueue<>()));
    }
  }

  private static final WriteSizes writes = new WriteSizes();

  private String conversationId;
  private ActorRef<Conversation.Command> conversation;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void policy() {
    journal.withPolicy(writes);
  }

  @Test
  void postsArrivingDuringAWriteAreWrittenTogetherAndEachSenderHearsItsOwnSeq() {
    open(ConversationType.DIRECT, List.of("alice", "bob"));
    var probe = testKit.<StatusReply<Conversation.Posted>>createTestProbe();

    for (int i = 0; i < 200; i++) conversation.tell(post("alice", "m" + i, probe.ref()));

    // One sender's posts keep their order: the i-th post is seq i + 1, acknowledged in that order.
    for (int i = 0; i < 200; i++) {
      StatusReply<Conversation.Posted> reply = probe.receiveMessage(Duration.ofSeconds(10));
      assertTrue(reply.isSuccess(), reply::toString);
      assertEquals(i + 1, reply.getValue().seq());
    }
    assertEquals(LongStream.rangeClosed(1, 200).boxed().toList(), persistedSeqs());
    List<Integer> postWrites =
        writes.of(conversationId).subList(1, writes.of(conversationId).size());
    assertEquals(200, postWrites.stream().mapToInt(Integer::intValue).sum());
    assertTrue(postWrites.stream().allMatch(size -> size <= MAX_BATCH), postWrites::toString);
    assertTrue(postWrites.size() < 200, () -> "no write held more than one post: " + postWrites);
  }

  @Test
  void aRetryOfAPostWaitingInTheBatchGetsTheSameAnswerAndIsWrittenOnce() {
    open(ConversationType.DIRECT, List.of("alice", "bob"));
    var probe = testKit.<StatusReply<Conversation.Posted>>createTestProbe();

    conversation.tell(post("alice", "a", probe.ref()));
    conversation.tell(post("alice", "b", probe.ref()));
    conversation.tell(post("alice", "a", probe.ref()));
    conversation.tell(post("bob", "a", probe.ref()));

    Map<Long, List<String>> idsBySeq = new HashMap<>();
    for (int i = 0; i < 4; i++) {
      var posted = probe.receiveMessage(Duration.ofSeconds(10)).getValue();
      idsBySeq.computeIfAbsent(posted.seq(), seq -> new ArrayList<>()).add(posted.messageId());
    }
    assertEquals(List.of(1L, 2L, 3L), persistedSeqs());
    assertEquals(2, idsBySeq.get(1L).size(), idsBySeq::toString);
    assertEquals(idsBySeq.get(1L).get(0), idsBySeq.get(1L).get(1));
  }

  @Test
  void aMemberAddedBehindBatchedPostsIsNumberedAfterThemAndMayPostAtOnce() {
    open(ConversationType.GROUP, List.of("alice", "bob"));
    var posts = testKit.<StatusReply<Conversation.Posted>>createTestProbe();
    var changes = testKit.<StatusReply<Conversation.Changed>>createTestProbe();

    for (int i = 0; i < 5; i++) conversation.tell(post("alice", "m" + i, posts.ref()));
    conversation.tell(new Conversation.AddMember("alice", "carol", changes.ref()));
    conversation.tell(post("carol", "hello", posts.ref()));

    assertEquals(6, changes.receiveMessage(Duration.ofSeconds(10)).getValue().seq());
    List<Long> postSeqs = new ArrayList<>();
    for (int i = 0; i < 6; i++)
      postSeqs.add(posts.receiveMessage(Duration.ofSeconds(10)).getValue().seq());
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 7L), postSeqs);
    assertEquals(LongStream.rangeClosed(1, 7).boxed().toList(), persistedSeqs());
  }

  @Test
  void aFailedWriteAcknowledgesNoneOfItsPostsAndTheirRetriesAreWrittenOnce() {
    open(ConversationType.DIRECT, List.of("alice", "bob"));
    var firstAnswers = new ConcurrentLinkedQueue<StatusReply<Conversation.Posted>>();
    ActorRef<StatusReply<Conversation.Posted>> firstTry =
        testKit.spawn(
            Behaviors.receiveMessage(
                answer -> {
                  firstAnswers.add(answer);
                  return Behaviors.same();
                }));
    var retries = testKit.createTestProbe();

    journal.failNextPersisted(persistenceId(conversationId));
    for (int i = 0; i < 3; i++) conversation.tell(post("alice", "m" + i, firstTry));

    // The entity restarts after the failure (backoff from 200 ms); the client retries as it would.
    Map<String, String> retried = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      String clientMsgId = "m" + i;
      StatusReply<Conversation.Posted> reply =
          retries.awaitAssert(
              Duration.ofSeconds(10),
              () -> {
                var retry = testKit.<StatusReply<Conversation.Posted>>createTestProbe();
                conversation.tell(post("alice", clientMsgId, retry.ref()));
                return retry.receiveMessage(Duration.ofMillis(500));
              });
      retried.put(reply.getValue().messageId(), clientMsgId);
    }
    assertEquals(List.of(1L, 2L, 3L), persistedSeqs());
    List<String> stored =
        journal.persistedInStorage(persistenceId(conversationId)).stream()
            .filter(event -> event instanceof Conversation.MessagePosted)
            .map(event -> ((Conversation.MessagePosted) event).message().messageId())
            .toList();
    // Each post is stored once, under the id its retry was answered with (the order depends on
    // which posts the failed write held).
    assertEquals(retried.keySet(), new java.util.HashSet<>(stored));
    // Posts that were not in the failed write may have been acknowledged on their first try, but
    // only with what is stored: an ack for the failed write would carry an id the journal lacks.
    for (var early : firstAnswers) {
      assertTrue(
          early.isSuccess() && stored.contains(early.getValue().messageId()), early::toString);
    }
  }

  // ---- helpers ----

  private void open(ConversationType type, List<String> members) {
    conversationId = "c-" + UUID.randomUUID();
    var inboxes = new ConversationTest.FakeInboxes();
    conversation =
        testKit.spawn(
            Conversation.create(
                conversationId,
                SETTINGS,
                inboxes,
                new ConversationTest.FakeLog(),
                new LinkedBlockingQueue<ActorRef<Conversation.Command>>()::add));
    var created = testKit.<StatusReply<Conversation.Created>>createTestProbe();
    conversation.tell(
        new Conversation.Create(type, members, members.get(0), "team", created.ref()));
    assertTrue(created.receiveMessage().isSuccess());
  }

  private static Conversation.Post post(
      String sender, String clientMsgId, ActorRef<StatusReply<Conversation.Posted>> replyTo) {
    return new Conversation.Post(sender, clientMsgId, "body of " + clientMsgId, replyTo);
  }

  private List<Long> persistedSeqs() {
    return journal.persistedInStorage(persistenceId(conversationId)).stream()
        .filter(event -> event instanceof Conversation.MessagePosted)
        .map(event -> ((Conversation.MessagePosted) event).message().seq())
        .toList();
  }

  private static String persistenceId(String conversationId) {
    return Conversation.ENTITY_KEY.name() + "|" + conversationId;
  }
}
