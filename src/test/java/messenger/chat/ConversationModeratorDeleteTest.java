package messenger.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import messenger.ErrorCode;
import messenger.testing.EntityTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A moderator's deletion in the {@link Conversation}: recorded like a sender's deletion without the
 * moderator being a member, answered once recorded, a retry answered as the first time, and nothing
 * but a deletion accepted this way.
 */
class ConversationModeratorDeleteTest {

  private static final ActorTestKit testKit = ActorTestKit.create(EntityTests.config());
  private static final ChatSettings SETTINGS =
      new ChatSettings(1000, Duration.ofSeconds(30), Duration.ofMinutes(10), 100, 256, 1000);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private ConversationAmendmentsTest.HeldChanges changes;
  private EventSourcedBehaviorTestKit<Conversation.Command, Conversation.Event, Conversation.State>
      conversation;

  @BeforeEach
  void fresh() {
    changes = new ConversationAmendmentsTest.HeldChanges();
    conversation =
        EventSourcedBehaviorTestKit.create(
            testKit.system(),
            Conversation.create(
                "c-" + UUID.randomUUID(),
                SETTINGS,
                new ConversationTest.FakeInboxes(),
                new ConversationTest.FakeLog(),
                changes,
                self -> {}));
    var created =
        conversation.<StatusReply<Conversation.Created>>runCommand(
            replyTo ->
                new Conversation.Create(
                    ConversationType.GROUP, List.of("alice", "bob"), "alice", "t", replyTo));
    assertTrue(created.reply().isSuccess());
  }

  private long post(String sender, String body) {
    return conversation
        .<StatusReply<Conversation.Posted>>runCommand(
            replyTo -> new Conversation.Post(sender, UUID.randomUUID().toString(), body, replyTo))
        .reply()
        .getValue()
        .seq();
  }

  private TestProbe<StatusReply<Conversation.Posted>> moderatorDeletes(
      String clientMsgId, Amendment amendment, ErrorCode refusedUnlessRetry) {
    TestProbe<StatusReply<Conversation.Posted>> probe = testKit.createTestProbe();
    conversation.runCommand(
        new Conversation.ModeratorDelete(
            "mod", clientMsgId, amendment, refusedUnlessRetry, probe.ref()));
    return probe;
  }

  @Test
  void aModeratorWhoIsNoMemberDeletesAMessageAsASenderWouldAndHearsBackOnceRecorded()
      throws Exception {
    long seq = post("bob", "spam");

    var probe = moderatorDeletes("mod-delete-1", Amendment.delete(seq).about("bob"), null);
    ChatMessage recorded = changes.nextRecorded();
    assertEquals(Amendment.Kind.DELETE, recorded.amendment().kind());
    assertEquals(seq, recorded.amendment().targetSeq());
    assertEquals("mod", recorded.senderId());
    probe.expectNoMessage(Duration.ofMillis(200));
    changes.completeNext();
    assertEquals(seq + 1, probe.receiveMessage().getValue().seq());

    var state = (Conversation.Open) conversation.getState();
    assertTrue(state.recentlyDeleted(seq));
  }

  @Test
  void aRetryOfAModeratorsDeletionGetsTheFirstAnswerAndAnotherFindsItDeleted() throws Exception {
    long seq = post("bob", "spam");
    var first = moderatorDeletes("mod-delete-1", Amendment.delete(seq).about("bob"), null);
    changes.nextRecorded();
    changes.completeNext();
    long deleteSeq = first.receiveMessage().getValue().seq();

    var retry =
        moderatorDeletes(
            "mod-delete-1", Amendment.delete(seq).about("bob"), ErrorCode.MESSAGE_DELETED);
    changes.nextRecorded();
    changes.completeNext();
    assertEquals(deleteSeq, retry.receiveMessage().getValue().seq());

    var other = moderatorDeletes("mod-delete-2", Amendment.delete(seq).about("bob"), null);
    assertEquals(ErrorCode.MESSAGE_DELETED.wire(), other.receiveMessage().getError().getMessage());
  }

  @Test
  void aModeratorMayOnlyDeleteThisWay() {
    long seq = post("bob", "spam");
    var probe = moderatorDeletes("mod-edit", Amendment.edit(seq, "changed").about("bob"), null);
    assertEquals(ErrorCode.BAD_REQUEST.wire(), probe.receiveMessage().getError().getMessage());
  }

  @Test
  void theRuleLetsAnyoneDeleteOnceAndNothingElse() {
    var rules = new ConversationRules(10);
    var state = (Conversation.Open) conversation.getState();
    assertEquals(Optional.empty(), rules.moderatorAmend(state, Amendment.delete(1)));
    assertEquals(
        Optional.of(ErrorCode.BAD_REQUEST),
        rules.moderatorAmend(state, Amendment.reaction(1, "x", true)));
  }
}
