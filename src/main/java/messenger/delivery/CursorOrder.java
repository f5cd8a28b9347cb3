package messenger.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The order in which one connection emits inbox entries: never an entry twice, never one out of
 * cursor order. Pure bookkeeping for a {@link Session}: it is told of live pushes, replayed batches
 * and where a replay starts, and answers what to emit now, what to hold and whether another replay
 * is needed. Not thread-safe; one per connection.
 *
 * <p>Live pushes that run ahead of {@code delivered + 1} are held in {@code pending}; while a
 * replay runs, at most {@code pendingLimit} of them are held, the rest dropped and replayed later,
 * so memory stays bounded during a long catch-up.
 */
final class CursorOrder {

  /**
   * What to do now.
   *
   * @param frames what to emit, in order: each a non-empty run of entries
   * @param replay whether to replay from {@link #delivered()}: a gap remains that only the journal
   *     can fill
   */
  record Step(List<List<InboxEntry>> frames, boolean replay) {}

  private final int batchSize;
  private final int pendingLimit;

  /** The highest cursor emitted. */
  private long delivered;

  /** Live pushes that arrived ahead of {@code delivered + 1}, by cursor. */
  private final TreeMap<Long, InboxEntry> pending = new TreeMap<>();

  /** Whether live pushes were dropped because {@code pending} was full; they are in the journal. */
  private boolean pendingTruncated;

  /**
   * @param batchSize the most entries in one frame when held entries are let go
   * @param pendingLimit the most live entries held while a replay runs
   */
  CursorOrder(int batchSize, int pendingLimit) {
    if (batchSize < 1 || pendingLimit < 1) {
      throw new IllegalArgumentException("batchSize and pendingLimit must be positive");
    }
    this.batchSize = batchSize;
    this.pendingLimit = pendingLimit;
  }

  long delivered() {
    return delivered;
  }

  /** Whether the inbox holds entries beyond what was emitted. */
  boolean isBehind(long latestCursor) {
    return latestCursor > delivered;
  }

  /** The cursor the device may acknowledge for {@code cursor}: never beyond what it was sent. */
  long ackable(long cursor) {
    return Math.min(cursor, delivered);
  }

  /**
   * A replay is about to start after {@code afterCursor} (which may be below {@link #delivered()}:
   * the client asked to sync from there). Held entries up to it are dropped.
   *
   * @return whether the journal has anything after it, i.e. a replay is needed; if not, {@link
   *     #release()} says what to emit
   */
  boolean replayFrom(long afterCursor, long latestCursor) {
    delivered = afterCursor;
    dropDelivered();
    return latestCursor > delivered;
  }

  /** A batch of the replay: the entries to emit, those already emitted left out. */
  List<InboxEntry> replayed(List<InboxEntry> batch) {
    List<InboxEntry> fresh = new ArrayList<>(batch.size());
    for (InboxEntry entry : batch) {
      if (entry.cursor() > delivered) {
        fresh.add(entry);
        delivered = entry.cursor();
      }
    }
    return List.copyOf(fresh);
  }

  /**
   * A live push while no replay runs: what follows on is emitted at once, as one frame; anything
   * ahead of a gap is held, and asks for a replay.
   */
  Step live(List<InboxEntry> entries) {
    List<InboxEntry> next = new ArrayList<>(entries.size());
    for (InboxEntry entry : entries) {
      if (entry.cursor() <= delivered) continue;
      if (entry.cursor() == delivered + 1 && pending.isEmpty()) {
        next.add(entry);
        delivered++;
      } else {
        pending.put(entry.cursor(), entry);
      }
    }
    return new Step(next.isEmpty() ? List.of() : List.of(List.copyOf(next)), !pending.isEmpty());
  }

  /** A live push while a replay runs (or before it starts): held, up to the limit. */
  void hold(List<InboxEntry> entries) {
    for (InboxEntry entry : entries) {
      if (entry.cursor() <= delivered) continue;
      if (pending.size() < pendingLimit) pending.put(entry.cursor(), entry);
      else pendingTruncated = true;
    }
  }

  /**
   * The replay has ended: the held entries that now follow on, in frames of at most the batch size,
   * and whether a gap (or dropped entries) still needs a replay.
   */
  Step release() {
    dropDelivered();
    List<InboxEntry> next = new ArrayList<>();
    while (!pending.isEmpty() && pending.firstKey() == delivered + 1) {
      next.add(pending.pollFirstEntry().getValue());
      delivered++;
    }
    List<List<InboxEntry>> frames = new ArrayList<>();
    for (int from = 0; from < next.size(); from += batchSize) {
      frames.add(List.copyOf(next.subList(from, Math.min(next.size(), from + batchSize))));
    }
    boolean replay = !pending.isEmpty() || pendingTruncated;
    pendingTruncated = false;
    return new Step(List.copyOf(frames), replay);
  }

  int held() {
    return pending.size();
  }

  private void dropDelivered() {
    pending.headMap(delivered, true).clear();
  }
}
