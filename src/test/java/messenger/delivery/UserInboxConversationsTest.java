package messenger.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.pattern.StatusReply;
import java.time.Duration;
import java.util.List;
import messenger.ErrorCode;
import messenger.chat.ChatMessage;
import messenger.chat.Notice;
import messenger.chat.Refusal;
import messenger.chat.SystemChange;
import messenger.testing.EntityTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The user's view of each conversation: the list, unread counts and previews, read markers, and the
 * membership of groups (added later, removed, added again).
 */
class UserInboxConversationsTest extends InboxFixture {

  private static final ActorTestKit KIT = ActorTestKit.create(EntityTests.config());

  UserInboxConversationsTest() {
    super(KIT);
  }

  @AfterAll
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  private void markRead(String conversationId, long seq) {
    inbox.runCommand(new UserInbox.MarkRead(conversationId, seq, null));
  }

  private Notice.Receipt read(String conversationId, long seq) {
    return new Notice.Receipt(conversationId, userId, Notice.Kind.READ, seq);
  }

  // ---- unread and previews ----

  @Test
  void unreadCountsMessagesFromTheOtherMemberAndAnOwnMessageResetsIt() {
    joinWithBob("c-1");
    append("c-1", messages("c-1", 1, 2, BOB));
    assertEquals(2, summaries().get("c-1").unread());

    append("c-1", messages("c-1", 3, 3, userId));
    assertEquals(0, summaries().get("c-1").unread());

    append("c-1", messages("c-1", 4, 4, BOB));
    ConversationSummary summary = summaries().get("c-1");
    assertEquals(1, summary.unread());
    assertEquals(4, summary.lastSeq());
    assertEquals(
        new ConversationSummary.LastMessage(4, BOB, "body 4", message("c-1", 4, BOB).timestamp()),
        summary.last());
  }

  @Test
  void aLongBodyIsPreviewedShortened() {
    joinWithBob("c-1");
    String body = "x".repeat(250);

    append("c-1", List.of(new ChatMessage("c-1", 1, "m-1", BOB, body, T0)));

    String preview = summaries().get("c-1").last().preview();
    assertTrue(preview.length() < body.length(), preview);
    assertTrue(body.startsWith(preview.substring(0, preview.length() - 1)), preview);
  }

  @Test
  void listConversationsIsSortedByLatestActivityFirst() {
    join(conversation("c-old", BOB, T0));
    join(conversation("c-new", CAROL, T0.plusSeconds(10)));
    assertEquals(
        List.of("c-new", "c-old"),
        listConversations().stream().map(s -> s.info().conversationId()).toList());

    append("c-old", messages("c-old", 1, 1, BOB)); // at T0 + 61s

    assertEquals(
        List.of("c-old", "c-new"),
        listConversations().stream().map(s -> s.info().conversationId()).toList());
  }

  // ---- read markers ----

  @Test
  void aReadMarkerCountsUnreadExactlyAndSignalsAReadReceiptOnce() throws Exception {
    joinWithBob("c-1");
    append("c-1", messages("c-1", 1, 3, BOB));
    append("c-1", List.of(message("c-1", 4, BOB)));
    assertEquals(4, summaries().get("c-1").unread());

    markRead("c-1", 2);
    assertEquals(2, summaries().get("c-1").unread());
    assertEquals(read("c-1", 2), nextSignal());

    var again = inbox.runCommand(new UserInbox.MarkRead("c-1", 1, null));
    assertEquals(List.of(), again.events(), "a read marker never moves back");

    markRead("c-1", 99);
    assertEquals(0, summaries().get("c-1").unread());
    assertEquals(read("c-1", 4), nextSignal(), "capped at the head");
  }

  @Test
  void aReadMarkerInTheMiddleOfSystemChangesCountsOnlyTheMessagesAfterIt() {
    joinGroup("g-1", 1);
    append(
        "g-1",
        List.of(
            message("g-1", 1, BOB),
            systemEntry("g-1", 2, BOB, SystemChange.renamed("bouldering")),
            message("g-1", 3, BOB),
            systemEntry("g-1", 4, BOB, SystemChange.added(CAROL)),
            message("g-1", 5, CAROL),
            systemEntry("g-1", 6, BOB, SystemChange.renamed("crags"))));
    assertEquals(3, summaries().get("g-1").unread());

    markRead("g-1", 2);
    assertEquals(2, summaries().get("g-1").unread(), "3 and 5");

    markRead("g-1", 4);
    assertEquals(1, summaries().get("g-1").unread(), "5");

    append("g-1", messages("g-1", 7, 7, BOB));
    markRead("g-1", 6);
    assertEquals(1, summaries().get("g-1").unread(), "7");
  }

  @Test
  void aReadMarkerForAConversationTheUserIsNotInIsRefusedAsNotMember() {
    joinWithBob("c-1");
    var refusals = testKit.<Refusal>createTestProbe();

    var result = inbox.runCommand(new UserInbox.MarkRead("c-elsewhere", 5, refusals.ref()));

    assertEquals(List.of(), result.events());
    assertEquals(new Refusal("c-elsewhere", ErrorCode.NOT_MEMBER), refusals.receiveMessage());
    inbox.runCommand(new UserInbox.MarkRead("c-1", 0, refusals.ref()));
    refusals.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void mutingAConversationTheUserIsNotInIsRefusedAsNotMember() {
    var reply =
        inbox
            .<StatusReply<Done>>runCommand(replyTo -> new UserInbox.SetMuted("nope", true, replyTo))
            .reply();
    assertEquals(ErrorCode.NOT_MEMBER.wire(), reply.getError().getMessage());
  }

  // ---- groups ----

  @Test
  void aMemberAddedLaterHoldsTheGroupFromItsJoinSeqAndIgnoresWhatCameBefore() {
    var joined = join(groupInfo("g-1", "climbing"), 7);
    assertEquals(progress("g-1", 6), joined.reply());

    var early = append("g-1", messages("g-1", 5, 6, BOB));
    var late =
        append(
            "g-1",
            List.of(
                systemEntry("g-1", 7, BOB, SystemChange.added(userId)), message("g-1", 8, BOB)));

    assertEquals(progress("g-1", 6), early.reply());
    assertEquals(progress("g-1", 8), late.reply());
    ConversationSummary summary = summaries().get("g-1");
    assertEquals(1, summary.unread(), "only 8: 5 and 6 came before the user");
    assertEquals("body 8", summary.last().preview());
  }

  @Test
  void beingRemovedMarksTheGroupLeftAndBeingAddedAgainResumesFromTheNewJoin() {
    joinGroup("g-1", 1);
    append(
        "g-1",
        List.of(message("g-1", 1, BOB), systemEntry("g-1", 2, BOB, SystemChange.removed(userId))));
    assertTrue(summaries().get("g-1").left());

    var rejoined = join(groupInfo("g-1", "climbing"), 10);
    assertEquals(progress("g-1", 9), rejoined.reply());
    append("g-1", List.of(systemEntry("g-1", 10, BOB, SystemChange.added(userId))));

    ConversationSummary summary = summaries().get("g-1");
    assertFalse(summary.left());
    assertEquals(10, summary.lastSeq());
  }

  @Test
  void beingAddedAgainRightAfterTheRemovalMakesTheUserAMemberAgain() {
    joinGroup("g-1", 1);
    append(
        "g-1",
        List.of(message("g-1", 1, BOB), systemEntry("g-1", 2, BOB, SystemChange.removed(userId))));

    var rejoined = join(groupInfo("g-1", "climbing"), 3);
    append(
        "g-1",
        List.of(systemEntry("g-1", 3, BOB, SystemChange.added(userId)), message("g-1", 4, BOB)));

    assertEquals(2, rejoined.reply().lastSeq());
    assertEquals(1, rejoined.events().size(), "the rejoin is written");
    ConversationSummary summary = summaries().get("g-1");
    assertFalse(summary.left());
    assertEquals(4, summary.lastSeq());
  }

  @Test
  void aLateRepeatOfTheFirstJoinDoesNotMakeARemovedUserAMemberAgain() {
    joinGroup("g-1", 1);
    append(
        "g-1",
        List.of(message("g-1", 1, BOB), systemEntry("g-1", 2, BOB, SystemChange.removed(userId))));

    var repeated = join(groupInfo("g-1", "climbing"), 1);

    assertEquals(progress("g-1", 2), repeated.reply());
    assertTrue(repeated.hasNoEvents());
    assertTrue(summaries().get("g-1").left());
  }

  @Test
  void membershipAndTitleChangesAreNotUnreadAndRenameUpdatesTheListedTitle() {
    joinGroup("g-1", 1);

    append(
        "g-1",
        List.of(
            message("g-1", 1, BOB),
            systemEntry("g-1", 2, BOB, SystemChange.renamed("bouldering"))));

    ConversationSummary summary = summaries().get("g-1");
    assertEquals(1, summary.unread());
    assertEquals("bouldering", summary.info().title());
    assertEquals("body 1", summary.last().preview());
  }
}
