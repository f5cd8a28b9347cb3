package messenger.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import messenger.chat.SystemChange;
import messenger.testing.EntityTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A restarted inbox: what it wrote is kept, and what it heard of but had not written yet (its
 * summaries run ahead of the journal by up to a flush interval) is caught up from the
 * conversations' logs before it answers anyone.
 */
class UserInboxRestartTest extends InboxFixture {

  private static final ActorTestKit KIT = ActorTestKit.create(EntityTests.config());

  UserInboxRestartTest() {
    super(KIT);
  }

  @AfterAll
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  @Test
  void afterARestartEverythingWrittenIsKept() {
    register("alice", "Alice");
    joinWithBob("c-1");
    join(conversation("c-2", CAROL, T0));
    append("c-1", messages("c-1", 1, 3, BOB));
    append("c-2", messages("c-2", 1, 1, userId));
    ack("phone", 2, Map.of("c-1", 2L));
    flush();
    UserInbox.State before = inbox.getState();

    var restarted = inbox.restart();

    assertEquals(before, restarted.state());
    assertEquals(progress("c-1", 3), append("c-1", messages("c-1", 1, 3, BOB)).reply());
    ConnectReply.Connected phone = connect("phone", "conn-1", testKit.createTestProbe());
    assertEquals(
        new ConnectReply.Connected(
            2,
            Map.of(
                "c-1",
                new ConnectReply.Visible(2, 3, 1),
                "c-2",
                new ConnectReply.Visible(0, 1, 1))),
        phone);
    assertEquals(
        new UserInbox.Profile(userId, "alice", "Alice", true, false),
        inbox.<UserInbox.Profile>runCommand(UserInbox.GetProfile::new).reply());
  }

  @Test
  void aRestartAfterMessagesHeardButNotWrittenCatchesTheSummariesUpFromTheLogs() {
    joinWithBob("c-1");
    join(conversation("c-2", CAROL, T0));
    append("c-1", messages("c-1", 1, 2, BOB));
    append("c-2", messages("c-2", 1, 1, CAROL));
    // Posted while the inbox was down: in the log, never heard of.
    logs.posted(messages("c-1", 3, 3, BOB));
    logs.posted(messages("c-2", 2, 2, userId));

    var restarted = inbox.restart();

    assertEquals(0, restarted.state().conversations().get("c-1").lastSeq(), "nothing was written");
    Map<String, ConversationSummary> summaries = summaries();
    ConversationSummary c1 = summaries.get("c-1");
    assertEquals(3, c1.lastSeq());
    assertEquals(3, c1.unread());
    assertEquals("body 3", c1.last().preview());
    ConversationSummary c2 = summaries.get("c-2");
    assertEquals(2, c2.lastSeq());
    assertEquals(0, c2.unread(), "the user's own message shows they read it");
    assertEquals(
        Map.of("c-1", new ConnectReply.Visible(0, 3, 1), "c-2", new ConnectReply.Visible(0, 2, 1)),
        connect("phone", "conn-1", testKit.createTestProbe()).conversations());
  }

  @Test
  void connectIsTheFirstThingAnsweredAfterARestartAndSeesTheCaughtUpHeads() {
    joinWithBob("c-1");
    append("c-1", messages("c-1", 1, 4, BOB));
    ack("phone", 1, Map.of("c-1", 1L));
    flush();
    append("c-1", messages("c-1", 5, 6, BOB));

    inbox.restart();

    assertEquals(
        new ConnectReply.Connected(1, Map.of("c-1", new ConnectReply.Visible(1, 6, 1))),
        connect("phone", "conn-1", testKit.createTestProbe()));
  }

  @Test
  void theCaughtUpSummariesAreWrittenAtTheNextFlush() {
    joinWithBob("c-1");
    append("c-1", messages("c-1", 1, 2, BOB));
    inbox.restart();
    ConversationSummary caughtUp = summaries().get("c-1");

    var flushed = flush();

    assertEquals(
        List.of(new UserInbox.ConversationsNoted(userId, List.of(caughtUp))), flushed.events());
    assertEquals(2, flushed.state().conversations().get("c-1").lastSeq());
  }

  @Test
  void aRemovalInTheMissedPartMarksTheGroupLeftAndNothingAfterItCounts() {
    joinGroup("g-1", 1);
    append("g-1", messages("g-1", 1, 1, BOB));
    logs.posted(
        List.of(
            message("g-1", 2, BOB),
            systemEntry("g-1", 3, BOB, SystemChange.removed(userId)),
            message("g-1", 4, BOB),
            message("g-1", 5, CAROL)));

    inbox.restart();

    ConversationSummary g1 = summaries().get("g-1");
    assertTrue(g1.left());
    assertEquals(3, g1.lastSeq());
    assertEquals(2, g1.unread());
    assertEquals("body 2", g1.last().preview());
    assertEquals(
        Map.of("g-1", new ConnectReply.Visible(0, 3, 1)),
        connect("phone", "conn-1", testKit.createTestProbe()).conversations());
  }

  @Test
  void aFailedHeadReadIsRetriedAndEverythingWaitsForIt() {
    joinWithBob("c-1");
    append("c-1", messages("c-1", 1, 2, BOB));
    logs.failHeadReads(1);

    inbox.restart();
    TestProbe<UserInbox.Conversations> listed = testKit.createTestProbe();
    inbox.runCommand(new UserInbox.ListConversations(listed.ref()));

    listed.expectNoMessage(Duration.ofMillis(300));
    var conversations = listed.receiveMessage(Duration.ofSeconds(5)).conversations();
    assertEquals(2, conversations.get(0).lastSeq());
    assertEquals(2, logs.headReads(), "the failed read and its retry");
  }

  @Test
  void anInboxWhoseConversationsAreAllLeftReadsNoHeads() {
    joinGroup("g-1", 1);
    append(
        "g-1",
        List.of(message("g-1", 1, BOB), systemEntry("g-1", 2, BOB, SystemChange.removed(userId))));
    flush();
    int before = logs.headReads();

    inbox.restart();

    assertTrue(summaries().get("g-1").left());
    assertEquals(before, logs.headReads());
  }

  @Test
  void aReadMarkerWrittenBeforeTheSummariesStillHoldsAfterTheCatchUp() {
    joinWithBob("c-1");
    append("c-1", messages("c-1", 1, 2, BOB));
    flush();
    append("c-1", messages("c-1", 3, 3, BOB));
    // The read marker is written at once; the summary that heard of 3 is not, and is lost.
    inbox.runCommand(new UserInbox.MarkRead("c-1", 3, null));

    inbox.restart();

    ConversationSummary c1 = summaries().get("c-1");
    assertEquals(3, c1.lastSeq());
    assertEquals(0, c1.unread(), "3 was read");
  }

  @Test
  void recoveryFromASnapshotKeepsTheState() {
    joinWithBob("c-1");
    // Each round writes two events (the summary and the device's ack): past a snapshot at 500.
    for (long seq = 1; seq <= 260; seq++) {
      append("c-1", messages("c-1", seq, seq, BOB));
      ack("phone", seq, Map.of("c-1", seq));
      flush();
    }
    assertFalse(
        inbox.snapshotTestKit().orElseThrow().persistedInStorage(persistenceId()).isEmpty(),
        "a snapshot was taken, so recovery starts from it");
    UserInbox.State before = inbox.getState();

    var restarted = inbox.restart();

    assertEquals(before, restarted.state());
    assertEquals(260, summaries().get("c-1").lastSeq());
    assertEquals(
        Map.of("c-1", new ConnectReply.Visible(260, 260, 1)),
        connect("phone", "conn-1", testKit.createTestProbe()).conversations());
  }
}
