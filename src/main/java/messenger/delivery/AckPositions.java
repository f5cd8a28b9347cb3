package messenger.delivery;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one connection emitted and the device has not yet acknowledged, by cursor: it turns a cursor
 * ack into per-conversation positions (the highest seq of each conversation the device now holds)
 * and a positions ack into the cursor it covers, so that a device can acknowledge either way while
 * the inbox keeps both (docs/design-fanout-on-read.md). Pure bookkeeping for a {@link Session}; not
 * thread-safe.
 *
 * <p>Bounded: a device that never acks keeps only the newest {@code limit} entries here, and an ack
 * that covers entries forgotten that way moves the cursor and leaves those conversations' positions
 * where they were; nothing is lost, the device is sent them again after a reconnect.
 */
final class AckPositions {

  private record Emitted(String conversationId, long seq) {}

  private final int limit;
  private final TreeMap<Long, Emitted> unacked = new TreeMap<>();

  /** The positions acknowledged on this connection so far: an ack names only what moved. */
  private final Map<String, Long> acked = new HashMap<>();

  AckPositions(int limit) {
    if (limit < 1) throw new IllegalArgumentException("limit must be positive");
    this.limit = limit;
  }

  /** Entries the connection has just emitted. */
  void emitted(List<InboxEntry> entries) {
    for (InboxEntry entry : entries) {
      var message = entry.message();
      unacked.put(entry.cursor(), new Emitted(message.conversationId(), message.seq()));
    }
    while (unacked.size() > limit) unacked.pollFirstEntry();
  }

  /** The positions an ack of everything up to {@code cursor} implies; those entries are done. */
  Map<String, Long> ackCursor(long cursor) {
    Map<String, Long> positions = new HashMap<>();
    var covered = unacked.headMap(cursor, true);
    covered.values().forEach(e -> positions.merge(e.conversationId(), e.seq(), Math::max));
    covered.clear();
    positions.forEach((conversation, seq) -> acked.merge(conversation, seq, Math::max));
    return positions;
  }

  /**
   * The highest cursor a positions ack covers: every entry emitted up to it is at or below its
   * conversation's position (this ack's or an earlier one's). 0 when the first entry waiting is not
   * covered; the entries covered are done.
   */
  long ackPositions(Map<String, Long> positions) {
    positions.forEach((conversation, seq) -> acked.merge(conversation, seq, Math::max));
    long cursor = 0;
    while (!unacked.isEmpty()) {
      var first = unacked.firstEntry();
      long position = acked.getOrDefault(first.getValue().conversationId(), 0L);
      if (position < first.getValue().seq()) break;
      cursor = first.getKey();
      unacked.pollFirstEntry();
    }
    return cursor;
  }

  int size() {
    return unacked.size();
  }
}
