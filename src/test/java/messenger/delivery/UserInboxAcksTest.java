package messenger.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import messenger.chat.InboxProgress;
import messenger.testing.EntityTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The coalesced writes: device acks and the summaries moved by messages are held in memory and
 * written at the flush, when a device goes (its acks), when the inbox stops, or at once for a
 * device far ahead; and the delivered receipts that positions imply.
 */
class UserInboxAcksTest extends InboxFixture {

  private static final ActorTestKit KIT = ActorTestKit.create(EntityTests.config());

  UserInboxAcksTest() {
    super(KIT);
  }

  @AfterAll
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  /** c-1 with bob's seqs 1 to {@code head}, its summary written, so a flush writes only acks. */
  private void conversationWithBob(long head) {
    joinWithBob("c-1");
    append("c-1", messages("c-1", 1, head, BOB));
    flush();
  }

  @Test
  void acksAreHeldAndTheFlushWritesEachDevicesNewestCursorAndPositionsOnce() {
    conversationWithBob(5);

    assertTrue(inbox.runCommand(new UserInbox.Ack("phone", 2, Map.of("c-1", 2L))).hasNoEvents());
    assertTrue(inbox.runCommand(new UserInbox.Ack("phone", 3, Map.of("c-1", 3L))).hasNoEvents());
    assertEquals(3, connect("phone", "conn-1", testKit.createTestProbe()).ackedCursor());

    var flushed = flush();
    assertEquals(
        List.of(new UserInbox.DeviceAcked(userId, "phone", 3, Map.of("c-1", 3L))),
        flushed.events());
    assertEquals(3, flushed.state().ackedCursor("phone"));
    assertEquals(3, flushed.state().position("phone", "c-1"));
    assertTrue(flush().hasNoEvents());
  }

  @Test
  void aPositionAboveTheHeadIsCappedAtItWhileTheConnectionsCursorIsKeptAsSent() {
    conversationWithBob(5);

    ack("phone", 99, Map.of("c-1", 99L, "c-elsewhere", 4L));
    var flushed = flush();

    // The cursor numbers what a connection emitted: the inbox has nothing to cap it by.
    assertEquals(
        List.of(new UserInbox.DeviceAcked(userId, "phone", 99, Map.of("c-1", 5L))),
        flushed.events());
    ack("phone", 99, Map.of("c-1", 100L));
    assertTrue(flush().hasNoEvents(), "still the head: nothing moved");
  }

  @Test
  void aLowerOrEqualAckWritesNothing() {
    conversationWithBob(5);
    ack("phone", 3, Map.of("c-1", 3L));
    flush();

    ack("phone", 3, Map.of("c-1", 3L));
    ack("phone", 2, Map.of("c-1", 2L));
    var flushed = flush();

    assertTrue(flushed.hasNoEvents());
    assertEquals(3, flushed.state().ackedCursor("phone"));
    assertEquals(3, flushed.state().position("phone", "c-1"));
  }

  @Test
  void acksAreKeptPerDevice() {
    conversationWithBob(5);
    ack("phone", 4, Map.of("c-1", 4L));
    ack("laptop", 2, Map.of("c-1", 2L));

    var flushed = flush();

    assertEquals(
        List.of(
            new UserInbox.DeviceAcked(userId, "phone", 4, Map.of("c-1", 4L)),
            new UserInbox.DeviceAcked(userId, "laptop", 2, Map.of("c-1", 2L))),
        flushed.events());
    assertEquals(4, flushed.state().position("phone", "c-1"));
    assertEquals(2, flushed.state().position("laptop", "c-1"));
  }

  @Test
  void theFlushWritesTheMovedSummariesOnceAndTheySurviveARestart() {
    joinWithBob("c-1");
    join(conversation("c-2", CAROL, T0));
    append("c-1", messages("c-1", 1, 3, BOB));
    ConversationSummary heard = summaries().get("c-1");

    var flushed = flush();

    assertEquals(
        List.of(new UserInbox.ConversationsNoted(userId, List.of(heard))),
        flushed.events(),
        "c-2 did not move");
    assertTrue(flush().hasNoEvents());
    assertEquals(heard, inbox.restart().state().conversations().get("c-1"));
    assertEquals(heard, summaries().get("c-1"));
  }

  @Test
  void heldAcksAndMovedSummariesAreWrittenWithinTheFlushIntervalWithoutAnyoneAsking() {
    inbox = inboxWith(withAckFlush(Duration.ofMillis(100)));
    joinWithBob("c-1");

    append("c-1", messages("c-1", 1, 5, BOB));
    ack("phone", 4, Map.of("c-1", 4L));

    testKit
        .createTestProbe()
        .awaitAssert(
            Duration.ofSeconds(10),
            () -> {
              UserInbox.State state = inbox.getState();
              assertEquals(4, state.position("phone", "c-1"));
              assertEquals(5, state.conversations().get("c-1").lastSeq());
              return null;
            });
  }

  @Test
  void aDeviceThatDisconnectsHasItsHeldAcksWrittenAtOnce() {
    conversationWithBob(5);
    TestProbe<DeviceMessage> phone = testKit.createTestProbe();
    connect("phone", "conn-1", phone);
    ack("phone", 3, Map.of("c-1", 3L));

    phone.stop();

    // Within 10 s, well before the one-minute flush interval of SETTINGS.
    testKit
        .createTestProbe()
        .awaitAssert(
            Duration.ofSeconds(10),
            () -> {
              assertEquals(3, inbox.getState().position("phone", "c-1"));
              assertEquals(3, inbox.getState().ackedCursor("phone"));
              return null;
            });
  }

  @Test
  void aDeviceFarAheadOfWhatIsWrittenIsWrittenAtOnce() {
    conversationWithBob(2);

    var ack =
        inbox.runCommand(new UserInbox.Ack("phone", PendingAcks.FLUSH_AFTER_CURSORS, Map.of()));

    assertEquals(
        List.of(
            new UserInbox.DeviceAcked(userId, "phone", PendingAcks.FLUSH_AFTER_CURSORS, Map.of())),
        ack.events());
  }

  @Test
  void stoppingWritesTheHeldAcksAndMovedSummariesFirstSoPassivationLosesNone() {
    joinWithBob("c-1");
    // A second incarnation on the same journal, told what sharding tells an entity it stops.
    var live = testKit.spawn(behaviour(SETTINGS));
    TestProbe<InboxProgress> answers = testKit.createTestProbe();
    logs.posted(messages("c-1", 1, 5, BOB));
    live.tell(new UserInbox.Append("c-1", messages("c-1", 1, 5, BOB), answers.ref()));
    assertEquals(5, answers.receiveMessage().lastSeq());
    live.tell(new UserInbox.Ack("phone", 5, Map.of("c-1", 5L)));

    live.tell(InboxInternal.Stop.INSTANCE);

    testKit.createTestProbe().expectTerminated(live, Duration.ofSeconds(5));
    // The state as recovered from the journal, before any catch-up from the logs.
    UserInbox.State recovered = inbox.restart().state();
    assertEquals(5, recovered.position("phone", "c-1"));
    assertEquals(5, recovered.conversations().get("c-1").lastSeq());
    assertEquals(5, recovered.conversations().get("c-1").unread());
  }

  // ---- delivered receipts ----

  @Test
  void aPositionPastTheDeliveredMarkerSignalsADeliveredReceiptOncePerSeq() throws Exception {
    joinWithBob("c-1");
    join(conversation("c-2", CAROL, T0));
    append("c-1", messages("c-1", 1, 2, BOB));
    append("c-2", messages("c-2", 1, 2, CAROL));

    ack("phone", 1, Map.of("c-1", 1L));
    assertEquals(delivered("c-1", 1), nextSignal());
    ack("laptop", 1, Map.of("c-1", 1L));
    ack("phone", 2, Map.of("c-1", 2L));
    assertEquals(delivered("c-1", 2), nextSignal(), "the laptop's seq 1 signalled nothing");
    assertNull(signalWithin(100));

    ConversationSummary c1 = summaries().get("c-1");
    assertEquals(2, c1.deliveredSeq());
    assertEquals(2, c1.unread(), "received is not read");
    assertEquals(0, summaries().get("c-2").deliveredSeq());
  }

  @Test
  void aDeliveredReceiptIsNotSignalledAgainAfterARestart() throws Exception {
    joinWithBob("c-1");
    append("c-1", messages("c-1", 1, 2, BOB));
    ack("phone", 2, Map.of("c-1", 2L));
    assertEquals(delivered("c-1", 2), nextSignal());
    flush();

    inbox.restart();
    ack("laptop", 2, Map.of("c-1", 2L));

    assertNull(signalWithin(200));
  }

  @Test
  void anAckOfACursorAloneSignalsNoReceipt() throws Exception {
    // A cursor is the connection's numbering: only positions say what of a conversation is held.
    conversationWithBob(2);

    ack("phone", 2, Map.of());

    assertNull(signalWithin(200));
    assertEquals(0, summaries().get("c-1").deliveredSeq());
  }
}
