package messenger.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import messenger.ErrorCode;
import messenger.testing.EntityTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How a conversation records amendments and replies: answered only once recorded beside the log,
 * recorded again on a retry, refused after a deletion it recorded itself, and a reply's quoted text
 * kept out of the journal.
 */
class ConversationAmendmentsTest {

  private static final ActorTestKit testKit = ActorTestKit.create(EntityTests.config());
  private static final ChatSettings SETTINGS =
      new ChatSettings(1000, Duration.ofSeconds(30), Duration.ofMinutes(10), 100, 256, 1000);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** Records that the test completes itself, one by one. */
  static final class HeldChanges implements MessageChanges {
    final LinkedBlockingQueue<ChatMessage> recorded = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<CompletableFuture<Done>> pending = new LinkedBlockingQueue<>();

    @Override
    public CompletionStage<Done> record(ChatMessage amendmentEntry) {
      var done = new CompletableFuture<Done>();
      recorded.add(amendmentEntry);
      pending.add(done);
      return done;
    }

    @Override
    public CompletionStage<Map<Long, Current>> read(String conversationId, long from, long to) {
      return CompletableFuture.completedFuture(Map.of());
    }

    ChatMessage nextRecorded() throws InterruptedException {
      ChatMessage entry = recorded.poll(5, TimeUnit.SECONDS);
      assertTrue(entry != null, "expected a record");
      return entry;
    }

    void completeNext() throws InterruptedException {
      pending.poll(5, TimeUnit.SECONDS).complete(Done.getInstance());
    }
  }

  private HeldChanges changes;
  private ConversationTest.FakeInboxes inboxes;
  private EventSourcedBehaviorTestKit<Conversation.Command, Conversation.Event, Conversation.State>
      conversation;

  @BeforeEach
  void fresh() {
    changes = new HeldChanges();
    inboxes = new ConversationTest.FakeInboxes();
    conversation =
        EventSourcedBehaviorTestKit.create(
            testKit.system(),
            Conversation.create(
                "c-" + UUID.randomUUID(),
                SETTINGS,
                inboxes,
                new ConversationTest.FakeLog(),
                changes,
                self -> {}));
  }

  private void create(ConversationType type, String... members) {
    var created =
        conversation.<StatusReply<Conversation.Created>>runCommand(
            replyTo -> new Conversation.Create(type, List.of(members), members[0], "t", replyTo));
    assertTrue(created.reply().isSuccess(), created.reply().toString());
  }

  private long post(String sender, String body) {
    var result =
        conversation.<StatusReply<Conversation.Posted>>runCommand(
            replyTo -> new Conversation.Post(sender, UUID.randomUUID().toString(), body, replyTo));
    return result.reply().getValue().seq();
  }

  private TestProbe<StatusReply<Conversation.Posted>> amend(
      String actor, String clientMsgId, Amendment amendment, ErrorCode refusedUnlessRetry) {
    TestProbe<StatusReply<Conversation.Posted>> probe = testKit.createTestProbe();
    conversation.runCommand(
        Conversation.Post.amending(actor, clientMsgId, amendment, refusedUnlessRetry, probe.ref()));
    return probe;
  }

  @Test
  void anAmendmentIsAnsweredOnlyOnceRecordedAndARetryRecordsItAgainWithTheFirstAnswer()
      throws Exception {
    create(ConversationType.DIRECT, "alice", "bob");
    long seq = post("alice", "hi");

    var first = amend("alice", "e-1", Amendment.edit(seq, "hello").about("alice"), null);
    assertEquals(seq, changes.nextRecorded().amendment().targetSeq());
    first.expectNoMessage(Duration.ofMillis(200));
    changes.completeNext();
    long editSeq = first.receiveMessage().getValue().seq();
    assertEquals(seq + 1, editSeq);

    var retry = amend("alice", "e-1", Amendment.edit(seq, "hello").about("alice"), null);
    assertEquals(editSeq, changes.nextRecorded().seq(), "recorded again");
    changes.completeNext();
    assertEquals(editSeq, retry.receiveMessage().getValue().seq());
  }

  @Test
  void aRetryOfARecordedDeletionGetsItsAnswerThoughTheTargetNowLooksDeleted() throws Exception {
    create(ConversationType.DIRECT, "alice", "bob");
    long seq = post("alice", "hi");
    var first = amend("alice", "d-1", Amendment.delete(seq).about("alice"), null);
    changes.nextRecorded();
    changes.completeNext();
    long deleteSeq = first.receiveMessage().getValue().seq();

    var retry =
        amend("alice", "d-1", Amendment.delete(seq).about("alice"), ErrorCode.MESSAGE_DELETED);
    changes.nextRecorded();
    changes.completeNext();
    assertEquals(deleteSeq, retry.receiveMessage().getValue().seq());
    var fresh =
        amend("alice", "d-2", Amendment.delete(seq).about("alice"), ErrorCode.MESSAGE_DELETED);
    assertEquals(ErrorCode.MESSAGE_DELETED.wire(), fresh.receiveMessage().getError().getMessage());
  }

  @Test
  void onlyAGroupsAdminDeletesSomeoneElsesMessage() throws Exception {
    create(ConversationType.GROUP, "admin", "bob", "carol");
    long bobs = post("bob", "mine");
    var carol = amend("carol", "d-c", Amendment.delete(bobs).about("bob"), null);
    assertEquals(ErrorCode.NOT_SENDER.wire(), carol.receiveMessage().getError().getMessage());
    var admin = amend("admin", "d-a", Amendment.delete(bobs).about("bob"), null);
    changes.nextRecorded();
    changes.completeNext();
    assertTrue(admin.receiveMessage().isSuccess());
  }

  @Test
  void anEditOrReplyCheckedBeforeADeletionWasRecordedFindsItDeleted() throws Exception {
    create(ConversationType.DIRECT, "alice", "bob");
    long seq = post("alice", "secret");
    var deletion = amend("alice", "d-1", Amendment.delete(seq).about("alice"), null);
    changes.nextRecorded();
    changes.completeNext();
    deletion.receiveMessage();

    var edit = amend("alice", "e-1", Amendment.edit(seq, "x").about("alice"), null);
    assertEquals(ErrorCode.MESSAGE_DELETED.wire(), edit.receiveMessage().getError().getMessage());

    var reply =
        conversation.<StatusReply<Conversation.Posted>>runCommand(
            replyTo ->
                new Conversation.Post(
                    "bob",
                    "r-1",
                    "re",
                    List.of(),
                    new Quote(seq, "alice", "secret", false),
                    List.of(),
                    null,
                    null,
                    replyTo));
    long replySeq = reply.reply().getValue().seq();
    var stored = (Conversation.MessagePosted) reply.events().get(0);
    assertNull(stored.message().quote().preview());
    assertTrue(delivered(replySeq).quote().unavailable(), "delivered without the quoted text");
  }

  /** The entry at {@code seq} as fan-out hands it to a member's inbox. */
  private ChatMessage delivered(long seq) {
    while (true) {
      ConversationTest.InboxCall call = inboxes.next();
      if (call.isJoin()) {
        call.answer(0);
        continue;
      }
      for (ChatMessage m : call.messages()) if (m.seq() == seq) return m;
      call.answer(
          call.messages().isEmpty() ? 0 : call.messages().get(call.messages().size() - 1).seq());
    }
  }

  @Test
  void theJournalKeepsWhichMessageAReplyQuotesButNotTheQuotedText() {
    create(ConversationType.DIRECT, "alice", "bob");
    long seq = post("alice", "the quoted words");
    var reply =
        conversation.<StatusReply<Conversation.Posted>>runCommand(
            replyTo ->
                new Conversation.Post(
                    "bob",
                    "r-1",
                    "re",
                    List.of(),
                    new Quote(seq, "alice", "the quoted words", false),
                    List.of("alice"),
                    null,
                    null,
                    replyTo));
    var stored = (Conversation.MessagePosted) reply.events().get(0);
    assertEquals(seq, stored.message().quote().seq());
    assertNull(stored.message().quote().preview());
    assertEquals(List.of("alice"), stored.message().mentioned());
    var refused =
        conversation.<StatusReply<Conversation.Posted>>runCommand(
            replyTo ->
                new Conversation.Post(
                    "bob", "r-2", "x", List.of(), null, List.of("mallory"), null, null, replyTo));
    assertEquals(ErrorCode.MENTION_NOT_MEMBER.wire(), refused.reply().getError().getMessage());
  }
}
