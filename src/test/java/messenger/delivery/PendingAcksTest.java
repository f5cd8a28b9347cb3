package messenger.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import messenger.chat.ChatMessage;
import messenger.chat.ConversationInfo;
import messenger.chat.ConversationType;
import messenger.chat.Notice;
import messenger.delivery.UserInbox.DeviceAcked;
import org.junit.jupiter.api.Test;

/**
 * Coalesced device acks, on inbox states built by the inbox's own event handlers and live heads
 * moved as the inbox moves them ({@link InboxHeads}), ahead of what is written.
 */
class PendingAcksTest {

  private static final String ME = "me";
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  private final PendingAcks acks = new PendingAcks();
  private UserInbox.State state = UserInbox.State.empty();
  private InboxHeads heads = new InboxHeads(ME);

  private void join(String conversationId) {
    var info =
        new ConversationInfo(conversationId, ConversationType.DIRECT, List.of(ME, "bob"), T0);
    state = InboxStateChanges.joined(state, new UserInbox.ConversationJoined(ME, info, 1));
    heads.joined(info, 1);
  }

  /** The inbox heard of bob's messages up to {@code seq}; nothing is written. */
  private void heard(String conversationId, long seq) {
    long from = heads.get(conversationId).lastSeq() + 1;
    List<ChatMessage> messages =
        LongStream.rangeClosed(from, seq)
            .mapToObj(s -> new ChatMessage(conversationId, s, "m-" + s, "bob", "hi", T0))
            .toList();
    heads.append(conversationId, messages);
  }

  private List<Notice.Receipt> take(String deviceId, long cursor, Map<String, Long> positions) {
    return acks.take(ME, state, heads, deviceId, cursor, positions);
  }

  /** Writes the events and starts again from the state, as a restarted inbox does. */
  private void write(List<DeviceAcked> events) {
    var summaries = new HashMap<>(state.conversations());
    for (ConversationSummary live : heads.takeMoved()) {
      summaries.put(live.info().conversationId(), live);
    }
    state =
        InboxStateChanges.noted(
            state, new UserInbox.ConversationsNoted(ME, List.copyOf(summaries.values())));
    for (DeviceAcked e : events) state = InboxStateChanges.acked(state, e);
    heads = new InboxHeads(ME);
    heads.recovered(state.conversations(), true);
  }

  private static Notice.Receipt delivered(String conversationId, long seq) {
    return new Notice.Receipt(conversationId, ME, Notice.Kind.DELIVERED, seq);
  }

  @Test
  void aCursorMovesOnlyForwardAndIsNotCappedSinceConnectionsNumberWhatTheyEmit() {
    join("c-1");
    heard("c-1", 2);

    assertEquals(List.of(), take("phone", 1, Map.of()));
    assertNull(take("phone", 1, Map.of()), "a repeated ack moves nothing");
    assertEquals(List.of(), take("phone", 99, Map.of()));
    assertEquals(99, acks.cursor(state, "phone"));
    assertNull(take("phone", 2, Map.of()));
    assertEquals(0, state.ackedCursor("phone"), "nothing is written by taking an ack");
  }

  @Test
  void aWrittenCursorStillCountsAndAnAckBehindItIsIgnored() {
    join("c-1");
    heard("c-1", 2);
    take("phone", 2, Map.of());
    write(acks.drain(ME, state));

    assertTrue(acks.isEmpty());
    assertEquals(2, acks.cursor(state, "phone"));
    assertNull(take("phone", 1, Map.of()));
  }

  @Test
  void drainingWritesOneEventPerDeviceWithItsNewestCursorAndForgetsThem() {
    join("c-1");
    heard("c-1", 5);
    take("phone", 2, Map.of());
    take("laptop", 3, Map.of());
    take("phone", 4, Map.of());

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
    heard("c-1", 1);
    take("phone", 1, Map.of());
    take("laptop", 1, Map.of());

    List<DeviceAcked> laptop = acks.drain(ME, state, "laptop");
    assertEquals(List.of(new DeviceAcked(ME, "laptop", 1, Map.of())), laptop);
    assertEquals(List.of(), acks.drain(ME, state, "laptop"));
    assertFalse(acks.isEmpty());
    write(laptop);
    assertEquals(Map.of("phone", 1L, "laptop", 1L), acks.cursors(state));
  }

  @Test
  void positionsMoveOnlyForwardAndAreCappedAtTheLiveHeadNotTheWrittenOne() {
    join("c-1");
    heard("c-1", 2);

    assertEquals(List.of(delivered("c-1", 1)), take("phone", 0, Map.of("c-1", 1L)));
    assertNull(take("phone", 0, Map.of("c-1", 1L)), "a repeated position");
    assertNull(take("phone", 0, Map.of("c-9", 5L)), "a conversation not held");
    assertEquals(List.of(delivered("c-1", 2)), take("phone", 0, Map.of("c-1", 99L)));
    assertEquals(2, acks.position(state, "phone", "c-1"), "the head the inbox heard of");
    assertEquals(0, state.conversations().get("c-1").lastSeq(), "which is not written yet");
    assertEquals(0, acks.cursor(state, "phone"), "positions leave the cursor alone");
  }

  @Test
  void aConversationIsSignalledDeliveredOncePerSeqWhicheverDeviceHoldsItFirst() {
    join("c-1");
    join("c-2");
    heard("c-1", 2);
    heard("c-2", 1);

    assertEquals(List.of(delivered("c-1", 1)), take("phone", 0, Map.of("c-1", 1L)));
    assertEquals(List.of(), take("laptop", 0, Map.of("c-1", 1L)), "seq 1 was signalled");
    assertEquals(
        List.of(delivered("c-1", 2), delivered("c-2", 1)),
        take("laptop", 0, Map.of("c-1", 2L, "c-2", 1L)).stream()
            .sorted(java.util.Comparator.comparing(Notice.Receipt::conversationId))
            .toList());
    assertEquals(2, heads.get("c-1").deliveredSeq(), "the live marker moved");

    heard("c-1", 3);
    assertEquals(List.of(delivered("c-1", 3)), take("phone", 0, Map.of("c-1", 3L)));
  }

  @Test
  void afterTheWriteTheStateRemembersWhatWasDeliveredAndNothingIsSignalledAgain() {
    join("c-1");
    heard("c-1", 1);
    take("phone", 1, Map.of("c-1", 1L));
    write(acks.drain(ME, state));

    assertEquals(1, state.conversations().get("c-1").deliveredSeq());
    assertEquals(List.of(), take("laptop", 1, Map.of("c-1", 1L)));
  }

  @Test
  void drainingWritesEachDevicesMovedPositionsWithItsCursor() {
    join("c-1");
    join("c-2");
    heard("c-1", 1);
    heard("c-2", 2);
    take("phone", 2, Map.of("c-1", 1L, "c-2", 1L));
    write(acks.drain(ME, state));

    take("phone", 0, Map.of("c-2", 2L));
    take("laptop", 0, Map.of("c-1", 1L));
    assertEquals(
        List.of(
            new DeviceAcked(ME, "phone", 2, Map.of("c-2", 2L)),
            new DeviceAcked(ME, "laptop", 0, Map.of("c-1", 1L))),
        acks.drain(ME, state));
  }

  @Test
  void writtenPositionsAreTheStatesAndAnEventWithoutPositionsKeepsThem() {
    join("c-1");
    heard("c-1", 2);
    write(List.of(new DeviceAcked(ME, "phone", 1, Map.of("c-1", 1L))));
    write(List.of(new DeviceAcked(ME, "phone", 2, null)));

    assertEquals(1, state.position("phone", "c-1"));
    assertEquals(2, state.ackedCursor("phone"));
    assertNull(state.position("laptop", "c-1"));
    assertNull(take("phone", 0, Map.of("c-1", 1L)), "already written");
  }

  @Test
  void aDeviceFarAheadOfWhatIsWrittenIsDue() {
    join("c-1");
    heard("c-1", 1);
    take("phone", PendingAcks.FLUSH_AFTER_CURSORS - 1, Map.of());
    assertFalse(acks.due(state));

    take("phone", PendingAcks.FLUSH_AFTER_CURSORS, Map.of());
    assertTrue(acks.due(state));
  }

  @Test
  void aDeviceHoldingManyMovedPositionsIsDue() {
    Map<String, Long> positions = new HashMap<>();
    for (int c = 0; c < PendingAcks.FLUSH_AFTER_POSITIONS; c++) {
      join("c-" + c);
      heard("c-" + c, 1);
      positions.put("c-" + c, 1L);
    }
    positions.remove("c-0");
    take("phone", 0, positions);
    assertFalse(acks.due(state));

    take("phone", 0, Map.of("c-0", 1L));
    assertTrue(acks.due(state));
  }
}
