package messenger.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import messenger.chat.ChatMessage;
import org.junit.jupiter.api.Test;

/** A connection's emitted entries, turned from cursor acks into positions and back. */
class AckPositionsTest {

  private static InboxEntry entry(long cursor, String conversationId, long seq) {
    var message = new ChatMessage(conversationId, seq, "m-" + cursor, "bob", "hi", Instant.EPOCH);
    return new InboxEntry(cursor, message);
  }

  private final AckPositions unacked = new AckPositions(100);

  @Test
  void aCursorAckGivesTheHighestSeqOfEachConversationItCovers() {
    unacked.emitted(List.of(entry(1, "a", 5), entry(2, "b", 1), entry(3, "a", 6)));
    unacked.emitted(List.of(entry(4, "b", 2)));

    assertEquals(Map.of("a", 6L, "b", 1L), unacked.ackCursor(3));
    assertEquals(Map.of(), unacked.ackCursor(3), "what was acked is done");
    assertEquals(Map.of("b", 2L), unacked.ackCursor(10));
    assertEquals(0, unacked.size());
  }

  @Test
  void aPositionsAckGivesTheHighestCursorBelowWhichEverythingIsCovered() {
    unacked.emitted(
        List.of(entry(1, "a", 5), entry(2, "b", 1), entry(3, "a", 6), entry(4, "b", 2)));

    assertEquals(0, unacked.ackPositions(Map.of("b", 2L)), "the first entry, in a, is not covered");
    assertEquals(2, unacked.ackPositions(Map.of("a", 5L, "b", 2L)), "a's seq 6 is not covered");
    assertEquals(4, unacked.ackPositions(Map.of("a", 6L)), "b's seq 2 was covered before");
    assertEquals(0, unacked.size());
  }

  @Test
  void aDeviceThatNeverAcksKeepsOnlyTheNewestEntries() {
    AckPositions small = new AckPositions(2);
    small.emitted(List.of(entry(1, "a", 1), entry(2, "b", 1), entry(3, "c", 1)));

    assertEquals(2, small.size());
    assertEquals(Map.of("b", 1L, "c", 1L), small.ackCursor(3));
    assertThrows(IllegalArgumentException.class, () -> new AckPositions(0));
  }
}
