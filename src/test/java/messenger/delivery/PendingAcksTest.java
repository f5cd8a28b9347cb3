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

    assertTrue(acks.take(state, "phone", 1, Map.of()));
    assertFalse(acks.take(state, "phone", 1, Map.of()), "a repeated ack");
    assertTrue(acks.take(state, "phone", 99, Map.of()));
    assertEquals(2, acks.cursor(state, "phone"));
    assertFalse(acks.take(state, "phone", 2, Map.of()));
    assertEquals(0, state.ackedCursor("phone"), "nothing is written by taking an ack");
  }

  @Test
  void aWrittenCursorStillCountsAndAnAckBehindItIsIgnored() {
    join("c-1");
    append("c-1", 1);
    append("c-1", 2);
    acks.take(state, "phone", 2, Map.of());
    write(acks.drain(ME, state));

    assertTrue(acks.isEmpty());
    assertEquals(2, acks.cursor(state, "phone"));
    assertFalse(acks.take(state, "phone", 1, Map.of()));
  }

  @Test
  void drainingWritesOneEventPerDeviceWithItsNewestCursorAndForgetsThem() {
    join("c-1");
    for (int seq = 1; seq <= 5; seq++) append("c-1", seq);
    acks.take(state, "phone", 2, Map.of());
    acks.take(state, "laptop", 3, Map.of());
    acks.take(state, "phone", 4, Map.of());

    assertEquals(
        List.of(
            new DeviceAcked(ME, "phone", 4, Map.of()), new DeviceAcked(ME, "laptop", 3, Map.of())),
        acks.drain(ME, state));
    assertTrue(acks.isEmpty());
    assertEquals(List.of(), acks.drain(ME, state));
  }

  @Test
  void drainingOneDeviceLeavesTheOthersHeld() {
    join("c-1");
    append("c-1", 1);
    acks.take(state, "phone", 1, Map.of());
    acks.take(state, "laptop", 1, Map.of());

    List<DeviceAcked> laptop = acks.drain(ME, state, "laptop");
    assertEquals(List.of(new DeviceAcked(ME, "laptop", 1, Map.of())), laptop);
    assertEquals(List.of(), acks.drain(ME, state, "laptop"));
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
    acks.take(state, "phone", 1, Map.of());
    acks.deliveredReceipts(ME, state, 1);
    write(acks.drain(ME, state));

    assertEquals(List.of(), acks.deliveredReceipts(ME, state, 1));
  }

  @Test
  void positionsMoveOnlyForwardWithinTheConversationsTheInboxHolds() {
    join("c-1");
    append("c-1", 1);
    append("c-1", 2);

    assertTrue(acks.take(state, "phone", 0, Map.of("c-1", 1L)));
    assertFalse(acks.take(state, "phone", 0, Map.of("c-1", 1L)), "a repeated position");
    assertFalse(acks.take(state, "phone", 0, Map.of("c-9", 5L)), "a conversation not held");
    assertTrue(acks.take(state, "phone", 0, Map.of("c-1", 99L)));
    assertEquals(2, acks.position(state, "phone", "c-1"), "never past the last seq");
    assertEquals(0, acks.cursor(state, "phone"), "positions leave the cursor alone");
  }

  @Test
  void drainingWritesEachDevicesMovedPositionsWithItsCursor() {
    join("c-1");
    join("c-2");
    append("c-1", 1);
    append("c-2", 1);
    append("c-2", 2);
    acks.take(state, "phone", 2, Map.of("c-1", 1L, "c-2", 1L));
    write(acks.drain(ME, state));

    acks.take(state, "phone", 0, Map.of("c-2", 2L));
    acks.take(state, "laptop", 0, Map.of("c-1", 1L));
    assertEquals(
        List.of(
            new DeviceAcked(ME, "phone", 2, Map.of("c-2", 2L)),
            new DeviceAcked(ME, "laptop", 0, Map.of("c-1", 1L))),
        acks.drain(ME, state));
  }

  @Test
  void writtenPositionsAreTheStatesAndAnEventWithoutPositionsKeepsThem() {
    join("c-1");
    append("c-1", 1);
    append("c-1", 2);
    write(List.of(new DeviceAcked(ME, "phone", 1, Map.of("c-1", 1L))));
    write(List.of(new DeviceAcked(ME, "phone", 2, null)));

    assertEquals(1, state.position("phone", "c-1"));
    assertEquals(2, state.ackedCursor("phone"));
    assertEquals(0, state.position("laptop", "c-1"));
    assertFalse(acks.take(state, "phone", 0, Map.of("c-1", 1L)), "already written");
  }

  @Test
  void aDeviceFarAheadOfWhatIsWrittenIsDue() {
    join("c-1");
    for (int seq = 1; seq <= PendingAcks.FLUSH_AFTER_CURSORS; seq++) append("c-1", seq);
    acks.take(state, "phone", PendingAcks.FLUSH_AFTER_CURSORS - 1, Map.of());
    assertFalse(acks.due(state));

    acks.take(state, "phone", PendingAcks.FLUSH_AFTER_CURSORS, Map.of());
    assertTrue(acks.due(state));
  }
}
