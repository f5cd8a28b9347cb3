package messenger.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import messenger.chat.ChatMessage;
import messenger.chat.ConversationInfo;
import messenger.chat.ConversationType;
import messenger.chat.Notice;
import messenger.delivery.UserInbox.DeviceAcked;
import org.junit.jupiter.api.Test;

/** Coalesced device acks, on inbox states built by the inbox's own event handlers. */
class PendingAcksTest {

  private static final String ME = "me";
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  private final PendingAcks acks = new PendingAcks();
  private UserInbox.State state = UserInbox.State.empty();
  private long cursor;

  private void join(String conversationId) {
    var info =
        new ConversationInfo(conversationId, ConversationType.DIRECT, List.of(ME, "bob"), T0);
    state = InboxStateChanges.joined(state, new UserInbox.ConversationJoined(ME, info, 1));
  }

  private void append(String conversationId, long seq) {
    var message = new ChatMessage(conversationId, seq, "m-" + seq, "bob", "hi", T0);
    state = InboxStateChanges.appended(state, new UserInbox.MessageAppended(ME, ++cursor, message));
  }

  private void write(List<DeviceAcked> events) {
    for (DeviceAcked e : events) state = InboxStateChanges.acked(state, e);
  }

  private static Notice.Receipt delivered(String conversationId, long seq) {
    return new Notice.Receipt(conversationId, ME, Notice.Kind.DELIVERED, seq);
  }

  @Test
  void anAckMovesTheDevicesCursorOnlyForwardAndNeverPastTheLastEntry() {
    join("c-1");
    append("c-1", 1);
    append("c-1", 2);

    assertTrue(acks.take(state, "phone", 1));
    assertFalse(acks.take(state, "phone", 1), "a repeated ack");
    assertTrue(acks.take(state, "phone", 99));
    assertEquals(2, acks.cursor(state, "phone"));
    assertFalse(acks.take(state, "phone", 2));
    assertEquals(0, state.ackedCursor("phone"), "nothing is written by taking an ack");
  }

  @Test
  void aWrittenCursorStillCountsAndAnAckBehindItIsIgnored() {
    join("c-1");
    append("c-1", 1);
    append("c-1", 2);
    acks.take(state, "phone", 2);
    write(acks.drain(ME));

    assertTrue(acks.isEmpty());
    assertEquals(2, acks.cursor(state, "phone"));
    assertFalse(acks.take(state, "phone", 1));
  }

  @Test
  void drainingWritesOneEventPerDeviceWithItsNewestCursorAndForgetsThem() {
    join("c-1");
    for (int seq = 1; seq <= 5; seq++) append("c-1", seq);
    acks.take(state, "phone", 2);
    acks.take(state, "laptop", 3);
    acks.take(state, "phone", 4);

    assertEquals(
        List.of(new DeviceAcked(ME, "phone", 4), new DeviceAcked(ME, "laptop", 3)), acks.drain(ME));
    assertTrue(acks.isEmpty());
    assertEquals(List.of(), acks.drain(ME));
  }

  @Test
  void drainingOneDeviceLeavesTheOthersHeld() {
    join("c-1");
    append("c-1", 1);
    acks.take(state, "phone", 1);
    acks.take(state, "laptop", 1);

    List<DeviceAcked> laptop = acks.drain(ME, "laptop");
    assertEquals(List.of(new DeviceAcked(ME, "laptop", 1)), laptop);
    assertEquals(List.of(), acks.drain(ME, "laptop"));
    assertFalse(acks.isEmpty());
    write(laptop);
    assertEquals(Map.of("phone", 1L, "laptop", 1L), acks.cursors(state));
  }

  @Test
  void aConversationIsSignalledDeliveredOnceForItsLastEntryUntilANewerOneIsAcked() {
    join("c-1");
    join("c-2");
    append("c-1", 1);
    append("c-2", 1);
    append("c-1", 2);

    assertEquals(List.of(delivered("c-2", 1)), acks.deliveredReceipts(ME, state, 2));
    assertEquals(List.of(), acks.deliveredReceipts(ME, state, 2), "already signalled");
    assertEquals(List.of(delivered("c-1", 2)), acks.deliveredReceipts(ME, state, 3));
    assertEquals(List.of(), acks.deliveredReceipts(ME, state, 3));

    append("c-2", 2);
    assertEquals(List.of(delivered("c-2", 2)), acks.deliveredReceipts(ME, state, 4));
  }

  @Test
  void afterTheWriteTheStateRemembersWhatWasDeliveredAndNothingIsSignalledAgain() {
    join("c-1");
    append("c-1", 1);
    acks.take(state, "phone", 1);
    acks.deliveredReceipts(ME, state, 1);
    write(acks.drain(ME));

    assertEquals(List.of(), acks.deliveredReceipts(ME, state, 1));
  }

  @Test
  void aDeviceFarAheadOfWhatIsWrittenIsDue() {
    join("c-1");
    for (int seq = 1; seq <= PendingAcks.FLUSH_AFTER_CURSORS; seq++) append("c-1", seq);
    acks.take(state, "phone", PendingAcks.FLUSH_AFTER_CURSORS - 1);
    assertFalse(acks.due(state));

    acks.take(state, "phone", PendingAcks.FLUSH_AFTER_CURSORS);
    assertTrue(acks.due(state));
  }
}
