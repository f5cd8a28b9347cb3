package messenger.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import messenger.chat.ChatMessage;
import org.junit.jupiter.api.Test;

class CursorOrderTest {

  private static InboxEntry entry(long cursor) {
    return new InboxEntry(
        cursor, new ChatMessage("c-1", cursor, "m" + cursor, "alice", "body", Instant.EPOCH));
  }

  private static List<InboxEntry> entries(long... cursors) {
    return LongStream.of(cursors).mapToObj(CursorOrderTest::entry).toList();
  }

  private static List<Long> cursors(List<InboxEntry> entries) {
    return entries.stream().map(InboxEntry::cursor).toList();
  }

  private static List<List<Long>> frames(CursorOrder.Step step) {
    return step.frames().stream().map(CursorOrderTest::cursors).toList();
  }

  /** A connection that attached to an inbox with nothing after {@code acked}. */
  private static CursorOrder caughtUpAt(long acked, int batchSize, int pendingLimit) {
    CursorOrder order = new CursorOrder(batchSize, pendingLimit);
    assertFalse(order.replayFrom(acked, acked));
    assertEquals(List.of(), order.release().frames());
    return order;
  }

  @Test
  void aReplayIsNeededOnlyWhenTheInboxIsAheadOfWhereItWouldStart() {
    CursorOrder order = new CursorOrder(10, 100);

    assertFalse(order.replayFrom(5, 5));
    assertTrue(order.replayFrom(5, 6));
    assertEquals(5, order.delivered());
    assertTrue(order.isBehind(6));
    assertFalse(order.isBehind(5));
  }

  @Test
  void aReplayedBatchLeavesOutWhatWasAlreadyEmitted() {
    CursorOrder order = new CursorOrder(10, 100);
    assertTrue(order.replayFrom(0, 4));

    assertEquals(List.of(1L, 2L, 3L), cursors(order.replayed(entries(1, 2, 3))));
    assertEquals(List.of(4L), cursors(order.replayed(entries(2, 3, 4))));
    assertEquals(List.of(), order.replayed(entries(3, 4)));
    assertEquals(4, order.delivered());
  }

  @Test
  void livePushesThatFollowOnGoOutAtOnceAsOneFrameWithoutDuplicates() {
    CursorOrder order = caughtUpAt(0, 2, 100);

    CursorOrder.Step first = order.live(entries(1, 2, 3));
    assertEquals(List.of(List.of(1L, 2L, 3L)), frames(first), "one frame, whatever the batch size");
    assertFalse(first.replay());

    CursorOrder.Step again = order.live(entries(2, 3, 4));
    assertEquals(List.of(List.of(4L)), frames(again));
    assertEquals(List.of(), order.live(entries(3, 4)).frames(), "nothing new, no frame");
    assertEquals(4, order.delivered());
  }

  @Test
  void aGapInLivePushesHoldsWhatIsAheadAndAsksForAReplay() {
    CursorOrder order = caughtUpAt(0, 10, 100);
    order.live(entries(1));

    CursorOrder.Step gap = order.live(entries(3, 4));
    assertEquals(List.of(), gap.frames());
    assertTrue(gap.replay());
    assertEquals(1, order.delivered());

    // Nothing jumps what is held, not even the entry that closes the gap.
    CursorOrder.Step closing = order.live(entries(2));
    assertEquals(List.of(), closing.frames());
    assertTrue(closing.replay());

    assertTrue(order.replayFrom(order.delivered(), 4));
    assertEquals(List.of(2L, 3L), cursors(order.replayed(entries(2, 3))));
    CursorOrder.Step after = order.release();
    assertEquals(List.of(List.of(4L)), frames(after));
    assertFalse(after.replay());
  }

  @Test
  void pushesHeldDuringAReplayFollowItInOrderInFramesOfAtMostTheBatchSize() {
    CursorOrder order = new CursorOrder(2, 100);
    assertTrue(order.replayFrom(0, 3));
    order.hold(entries(6, 4, 8, 5, 7));
    order.hold(entries(5));

    assertEquals(List.of(1L, 2L, 3L), cursors(order.replayed(entries(1, 2, 3))));
    CursorOrder.Step after = order.release();

    assertEquals(List.of(List.of(4L, 5L), List.of(6L, 7L), List.of(8L)), frames(after));
    assertFalse(after.replay());
    assertEquals(8, order.delivered());
    assertEquals(0, order.held());
  }

  @Test
  void heldPushesTheReplayAlreadyEmittedAreDropped() {
    CursorOrder order = new CursorOrder(10, 100);
    assertTrue(order.replayFrom(0, 5));
    order.hold(entries(3, 4, 5, 6));

    order.replayed(entries(1, 2, 3, 4, 5));
    CursorOrder.Step after = order.release();

    assertEquals(List.of(List.of(6L)), frames(after));
    assertFalse(after.replay());
  }

  @Test
  void aGapLeftAfterTheReplayAsksForAnotherAndKeepsWhatIsHeld() {
    CursorOrder order = new CursorOrder(10, 100);
    assertTrue(order.replayFrom(0, 2));
    order.hold(entries(5, 6));

    order.replayed(entries(1, 2));
    CursorOrder.Step after = order.release();
    assertEquals(List.of(), after.frames());
    assertTrue(after.replay());
    assertEquals(2, order.held());

    assertTrue(order.replayFrom(order.delivered(), 6));
    order.replayed(entries(3, 4));
    assertEquals(List.of(List.of(5L, 6L)), frames(order.release()));
  }

  @Test
  void heldPushesAreBoundedAndThoseDroppedAskForAnotherReplayOnce() {
    CursorOrder order = new CursorOrder(2, 3);
    assertTrue(order.replayFrom(0, 2));
    order.hold(entries(3, 4, 5, 6, 7));
    assertEquals(3, order.held());

    order.replayed(entries(1, 2));
    CursorOrder.Step after = order.release();
    assertEquals(List.of(List.of(3L, 4L), List.of(5L)), frames(after));
    assertTrue(after.replay(), "6 and 7 were dropped: only the journal has them");

    assertTrue(order.replayFrom(order.delivered(), 7));
    order.replayed(entries(6, 7));
    assertFalse(order.release().replay(), "the truncation was answered by that replay");
  }

  @Test
  void aSyncFromAnEarlierCursorEmitsFromThereAgain() {
    CursorOrder order = caughtUpAt(0, 10, 100);
    order.live(entries(1, 2, 3));

    assertTrue(order.replayFrom(1, 3));
    assertEquals(1, order.delivered());
    assertEquals(List.of(2L, 3L), cursors(order.replayed(entries(2, 3))));
  }

  @Test
  void aReplayNotNeededStillLetsGoOfWhatIsHeld() {
    CursorOrder order = new CursorOrder(10, 100);
    order.hold(entries(1, 2));
    order.hold(entries(4));

    assertFalse(order.replayFrom(2, 2));
    CursorOrder.Step after = order.release();
    assertEquals(List.of(), after.frames(), "1 and 2 are already the device's");
    assertTrue(after.replay(), "4 waits for 3");
    assertEquals(1, order.held());
  }

  @Test
  void theDeviceMayAcknowledgeOnlyWhatItWasSent() {
    CursorOrder order = caughtUpAt(0, 10, 100);
    order.live(entries(1, 2));

    assertEquals(2, order.ackable(9));
    assertEquals(1, order.ackable(1));
  }

  @Test
  void refusesSizesThatCouldNeverEmit() {
    assertThrows(IllegalArgumentException.class, () -> new CursorOrder(0, 10));
    assertThrows(IllegalArgumentException.class, () -> new CursorOrder(10, 0));
  }

  /**
   * Drives the order as a session does, through lost, repeated and reordered live pushes, bounded
   * holding and replays from a journal of 1..n: every entry is emitted once, in cursor order.
   */
  @Test
  void throughLostRepeatedAndReorderedPushesEveryEntryIsEmittedOnceInOrder() {
    for (int seed = 0; seed < 200; seed++) {
      Random random = new Random(seed);
      int n = 20 + random.nextInt(200);
      int batchSize = 1 + random.nextInt(5);
      CursorOrder order = new CursorOrder(batchSize, 1 + random.nextInt(10));
      List<Long> emitted = new ArrayList<>();
      long pushed = 0;
      boolean replaying = order.replayFrom(0, 0);
      assertFalse(replaying);
      emitAll(order.release(), emitted, batchSize);
      while (pushed < n) {
        long from = pushed + 1;
        pushed = Math.min(n, pushed + 1 + random.nextInt(6));
        List<InboxEntry> push = new ArrayList<>();
        for (long c = from; c <= pushed; c++) if (random.nextInt(10) > 0) push.add(entry(c));
        if (random.nextInt(5) == 0 && from > 3) push.add(0, entry(from - 1 - random.nextInt(3)));
        if (random.nextInt(5) == 0) java.util.Collections.shuffle(push, random);
        if (replaying) {
          order.hold(push);
          // The replay sends the journal up to what existed when it started, or a little more.
          if (random.nextBoolean()) {
            long upTo = order.delivered() + 1 + random.nextInt(batchSize);
            List<InboxEntry> batch = new ArrayList<>();
            for (long c = Math.max(1, upTo - batchSize + 1); c <= Math.min(upTo, pushed); c++) {
              batch.add(entry(c));
            }
            emitted.addAll(cursors(order.replayed(batch)));
          } else {
            replaying = finishReplay(order, pushed, emitted, batchSize);
          }
        } else {
          CursorOrder.Step step = order.live(push);
          emitAll(step, emitted, Integer.MAX_VALUE);
          if (step.replay()) replaying = relocate(order, pushed, emitted, batchSize);
        }
      }
      // The next re-attach finds the inbox ahead and replays whatever is still missing.
      for (int reattach = 0; reattach < 3 && order.delivered() < n; reattach++) {
        assertTrue(order.replayFrom(order.delivered(), n));
        finishReplay(order, n, emitted, batchSize);
      }
      List<Long> all = LongStream.rangeClosed(1, n).boxed().toList();
      assertEquals(all, emitted, "seed " + seed);
    }
  }

  /** Replays the journal from delivered() up to {@code latest}; whether another replay is asked. */
  private static boolean finishReplay(
      CursorOrder order, long latest, List<Long> emitted, int batchSize) {
    List<InboxEntry> rest = new ArrayList<>();
    for (long c = order.delivered() + 1; c <= latest; c++) rest.add(entry(c));
    for (int from = 0; from < rest.size(); from += batchSize) {
      emitted.addAll(
          cursors(order.replayed(rest.subList(from, Math.min(rest.size(), from + batchSize)))));
    }
    CursorOrder.Step step = order.release();
    emitAll(step, emitted, batchSize);
    return step.replay() && relocate(order, latest, emitted, batchSize);
  }

  /** As the session relocates: a replay from delivered(), or what is held let go if none needed. */
  private static boolean relocate(
      CursorOrder order, long latest, List<Long> emitted, int batchSize) {
    for (int tries = 0; tries < 3; tries++) {
      if (order.replayFrom(order.delivered(), latest)) return true;
      CursorOrder.Step step = order.release();
      emitAll(step, emitted, batchSize);
      if (!step.replay()) return false;
    }
    throw new AssertionError("asks for a replay the journal cannot give");
  }

  private static void emitAll(CursorOrder.Step step, List<Long> emitted, int batchSize) {
    for (List<InboxEntry> frame : step.frames()) {
      assertFalse(frame.isEmpty(), "no empty frames");
      assertTrue(frame.size() <= batchSize, "frame of " + frame.size());
      emitted.addAll(cursors(frame));
    }
  }
}
