package messenger.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import messenger.chat.ChatMessage;
import messenger.chat.ConversationInfo;
import messenger.chat.InboxProgress;
import messenger.testing.EntityTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Joining (written) and hearing of messages (nothing written): what follows on from the head moves
 * it and goes to every live connection, in chunks that say where they follow on from.
 */
class UserInboxTimelineTest extends InboxFixture {

  private static final ActorTestKit KIT = ActorTestKit.create(EntityTests.config());

  UserInboxTimelineTest() {
    super(KIT);
  }

  @AfterAll
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  // ---- join ----

  @Test
  void joinPersistsConversationJoinedAndAnswersZero() {
    ConversationInfo info = conversation("c-1", BOB, T0);

    var result = join(info);

    assertEquals(progress("c-1", 0), result.reply());
    assertEquals(
        new UserInbox.ConversationJoined(userId, info, 1),
        result.eventOfType(UserInbox.ConversationJoined.class));
  }

  @Test
  void aSecondJoinAnswersTheHeadWithoutAnEvent() {
    ConversationInfo info = conversation("c-1", BOB, T0);
    join(info);
    append("c-1", messages("c-1", 1, 2, BOB));

    var again = join(info);

    assertEquals(progress("c-1", 2), again.reply());
    assertTrue(again.hasNoEvents());
  }

  // ---- append: nothing written, answered at once ----

  @Test
  void anAppendWritesNothingToTheJournalAndIsAnsweredAtOnceWithTheNewHead() {
    joinWithBob("c-1");
    join(conversation("c-2", CAROL, T0));

    var first = append("c-1", messages("c-1", 1, 2, BOB));
    var second = append("c-2", messages("c-2", 1, 1, CAROL));
    var third = append("c-1", messages("c-1", 3, 3, userId));

    assertEquals(progress("c-1", 2), first.reply());
    assertEquals(progress("c-2", 1), second.reply());
    assertEquals(progress("c-1", 3), third.reply());
    assertEquals(List.of(), first.written());
    assertEquals(List.of(), second.written());
    assertEquals(List.of(), third.written());
    assertEquals(0, third.state().conversations().get("c-1").lastSeq(), "not in the state yet");
    assertEquals(3, summaries().get("c-1").lastSeq(), "but in the summary the inbox lists");
  }

  @Test
  void anAppendForAnUnknownConversationAnswersNotJoined() {
    var result = append("c-1", messages("c-1", 1, 2, BOB));

    assertEquals(progress("c-1", InboxProgress.NOT_JOINED), result.reply());
    assertEquals(List.of(), result.written());
    assertEquals(List.of(), listConversations());
  }

  @Test
  void aRedeliveredAppendChangesNothingAndAnswersTheHead() {
    joinWithBob("c-1");
    TestProbe<DeviceMessage> phone = testKit.createTestProbe();
    connect("phone", "conn-1", phone);
    append("c-1", messages("c-1", 1, 3, BOB));
    phone.expectMessageClass(DeviceMessage.Deliver.class);
    ConversationSummary before = summaries().get("c-1");

    var again = append("c-1", messages("c-1", 1, 3, BOB));

    assertEquals(progress("c-1", 3), again.reply());
    assertEquals(before, summaries().get("c-1"), "unread is not counted twice");
    phone.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void anEmptyAppendIsAProbeAnsweredWithTheHead() {
    joinWithBob("c-1");
    append("c-1", messages("c-1", 1, 2, BOB));

    var probe = append("c-1", List.of());

    assertEquals(progress("c-1", 2), probe.reply());
    assertEquals(List.of(), probe.written());
  }

  @Test
  void anAppendWithAGapKeepsOnlyWhatPrecedesTheGap() {
    joinWithBob("c-1");
    TestProbe<DeviceMessage> phone = testKit.createTestProbe();
    connect("phone", "conn-1", phone);
    List<ChatMessage> withGap = new ArrayList<>(messages("c-1", 1, 2, BOB));
    withGap.addAll(messages("c-1", 4, 5, BOB));

    var result = append("c-1", withGap);

    assertEquals(progress("c-1", 2), result.reply());
    phone.expectMessage(new DeviceMessage.Deliver("c-1", 0, messages("c-1", 1, 2, BOB)));
    assertEquals(2, summaries().get("c-1").unread());
  }

  @Test
  void anAppendThatStartsAfterAGapIsLeftForTheConversationToResend() {
    joinWithBob("c-1");
    append("c-1", messages("c-1", 1, 1, BOB));
    TestProbe<DeviceMessage> phone = testKit.createTestProbe();
    connect("phone", "conn-1", phone);

    var result = append("c-1", messages("c-1", 3, 4, BOB));

    assertEquals(progress("c-1", 1), result.reply());
    phone.expectNoMessage(Duration.ofMillis(100));
    assertEquals(1, summaries().get("c-1").lastSeq());
  }

  @Test
  void anOverlappingBatchDeliversOnlyTheNewPart() {
    joinWithBob("c-1");
    append("c-1", messages("c-1", 1, 3, BOB));
    TestProbe<DeviceMessage> phone = testKit.createTestProbe();
    connect("phone", "conn-1", phone);

    var result = append("c-1", messages("c-1", 2, 5, BOB));

    assertEquals(progress("c-1", 5), result.reply());
    phone.expectMessage(new DeviceMessage.Deliver("c-1", 3, messages("c-1", 4, 5, BOB)));
  }

  @Test
  void twoAppendsOfOneConversationArrivingTogetherDeliverEachMessageOnce() {
    // Carried over from the group commit's tests: what arrives together is still taken in order.
    joinWithBob("c-1");
    TestProbe<DeviceMessage> phone = testKit.createTestProbe();
    // A second incarnation on the same journal, so that the commands can be told all at once.
    var live = testKit.spawn(behaviour(SETTINGS));
    TestProbe<InboxProgress> answers = testKit.createTestProbe();
    TestProbe<ConnectReply> connected = testKit.createTestProbe();
    live.tell(
        new UserInbox.Connect(
            "phone", "conn-2", phone.ref(), connected.ref(), InboxFixture.ANONYMOUS, null));
    connected.expectMessageClass(ConnectReply.Connected.class);

    live.tell(new UserInbox.Append("c-1", messages("c-1", 1, 2, BOB), answers.ref()));
    live.tell(new UserInbox.Append("c-1", messages("c-1", 2, 3, BOB), answers.ref()));
    live.tell(new UserInbox.Append("c-1", messages("c-1", 5, 5, BOB), answers.ref()));
    live.tell(new UserInbox.Append("c-9", messages("c-9", 1, 1, BOB), answers.ref()));

    assertEquals(2, answers.receiveMessage().lastSeq());
    assertEquals(3, answers.receiveMessage().lastSeq());
    assertEquals(3, answers.receiveMessage().lastSeq(), "a gap appends nothing");
    assertEquals(InboxProgress.NOT_JOINED, answers.receiveMessage().lastSeq());
    phone.expectMessage(new DeviceMessage.Deliver("c-1", 0, messages("c-1", 1, 2, BOB)));
    phone.expectMessage(new DeviceMessage.Deliver("c-1", 2, messages("c-1", 3, 3, BOB)));
    phone.expectNoMessage(Duration.ofMillis(100));
    testKit.stop(live);
  }

  // ---- live delivery ----

  @Test
  void aConnectedDeviceReceivesEachConversationsNewMessagesSayingWhereTheyFollowOn() {
    joinWithBob("c-1");
    join(conversation("c-2", CAROL, T0));
    TestProbe<DeviceMessage> phone = testKit.createTestProbe();
    connect("phone", "conn-1", phone);

    append("c-1", messages("c-1", 1, 2, BOB));
    append("c-2", messages("c-2", 1, 1, CAROL));
    append("c-1", messages("c-1", 3, 3, BOB));

    phone.expectMessage(new DeviceMessage.Deliver("c-1", 0, messages("c-1", 1, 2, BOB)));
    phone.expectMessage(new DeviceMessage.Deliver("c-2", 0, messages("c-2", 1, 1, CAROL)));
    phone.expectMessage(new DeviceMessage.Deliver("c-1", 2, messages("c-1", 3, 3, BOB)));
  }

  @Test
  void aBatchLargerThanTheBatchSizeArrivesInChunksOfAtMostTheBatchSizeEachFollowingOnTheLast() {
    joinWithBob("c-1");
    TestProbe<DeviceMessage> phone = testKit.createTestProbe();
    connect("phone", "conn-1", phone);

    append("c-1", messages("c-1", 1, 7, BOB));

    List<Long> received = new ArrayList<>();
    long after = 0;
    while (received.size() < 7) {
      var deliver = phone.expectMessageClass(DeviceMessage.Deliver.class);
      assertTrue(
          deliver.messages().size() <= BATCH_SIZE && !deliver.messages().isEmpty(),
          "chunk of " + deliver.messages().size());
      assertEquals(after, deliver.after(), "a chunk follows on from the one before");
      deliver.messages().forEach(m -> received.add(m.seq()));
      after = received.get(received.size() - 1);
    }
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), received);
  }

  @Test
  void everyConnectedDeviceReceivesTheMessages() {
    joinWithBob("c-1");
    TestProbe<DeviceMessage> phone = testKit.createTestProbe();
    TestProbe<DeviceMessage> laptop = testKit.createTestProbe();
    connect("phone", "conn-1", phone);
    connect("laptop", "conn-2", laptop);

    append("c-1", messages("c-1", 1, 1, BOB));

    var expected = new DeviceMessage.Deliver("c-1", 0, messages("c-1", 1, 1, BOB));
    phone.expectMessage(expected);
    laptop.expectMessage(expected);
  }

  @Test
  void aNewerConnectionOfTheSameDeviceReplacesTheOlderOne() {
    joinWithBob("c-1");
    TestProbe<DeviceMessage> older = testKit.createTestProbe();
    TestProbe<DeviceMessage> newer = testKit.createTestProbe();
    connect("phone", "conn-1", older);

    connect("phone", "conn-2", newer);
    older.expectMessage(new DeviceMessage.Replaced("phone"));

    append("c-1", messages("c-1", 1, 1, BOB));
    newer.expectMessage(new DeviceMessage.Deliver("c-1", 0, messages("c-1", 1, 1, BOB)));
    older.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void anOlderConnectionArrivingLateIsToldItWasReplaced() {
    joinWithBob("c-1");
    TestProbe<DeviceMessage> newer = testKit.createTestProbe();
    TestProbe<DeviceMessage> older = testKit.createTestProbe();
    TestProbe<ConnectReply> olderConnected = testKit.createTestProbe();
    connect("phone", "conn-2", newer);

    inbox.runCommand(
        new UserInbox.Connect(
            "phone", "conn-1", older.ref(), olderConnected.ref(), InboxFixture.ANONYMOUS, null));

    older.expectMessage(new DeviceMessage.Replaced("phone"));
    append("c-1", messages("c-1", 1, 1, BOB));
    newer.expectMessage(new DeviceMessage.Deliver("c-1", 0, messages("c-1", 1, 1, BOB)));
    olderConnected.expectNoMessage(Duration.ofMillis(100));
  }
}
