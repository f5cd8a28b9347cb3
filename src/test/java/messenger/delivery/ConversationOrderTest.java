package messenger.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import messenger.chat.ChatMessage;
import messenger.delivery.ConversationOrder.Gap;
import org.junit.jupiter.api.Test;

class ConversationOrderTest {

  private static ChatMessage message(String conversationId, long seq) {
    return new ChatMessage(
        conversationId, seq, conversationId + "-" + seq, "alice", "body", Instant.EPOCH);
  }

  private static List<ChatMessage> messages(String conversationId, long... seqs) {
    return LongStream.of(seqs).mapToObj(seq -> message(conversationId, seq)).toList();
  }

  private static DeviceMessage.Deliver deliver(String conversationId, long after, long... seqs) {
    return new DeviceMessage.Deliver(conversationId, after, messages(conversationId, seqs));
  }

  private static ConnectReply.Connected connected(long ackedCursor, Object... ranges) {
    Map<String, ConnectReply.Visible> visible = new HashMap<>();
    for (int i = 0; i < ranges.length; i += 3) {
      visible.put(
          (String) ranges[i],
          new ConnectReply.Visible(
              ((Number) ranges[i + 1]).longValue(), ((Number) ranges[i + 2]).longValue()));
    }
    return new ConnectReply.Connected(ackedCursor, visible);
  }

  /** "a:4" per entry: which conversation and seq went out, ignoring cursors. */
  private static List<String> seqs(List<InboxEntry> entries) {
    return entries.stream()
        .map(e -> e.message().conversationId() + ":" + e.message().seq())
        .toList();
  }

  private static List<Long> cursors(List<InboxEntry> entries) {
    return entries.stream().map(InboxEntry::cursor).toList();
  }

  private static List<List<String>> frames(ConversationOrder.Step step) {
    return step.frames().stream().map(ConversationOrderTest::seqs).toList();
  }

  /** Attached with conversation "a" caught up at {@code seq}: nothing to read. */
  private static ConversationOrder caughtUpAt(long seq, int batchSize, int pendingLimit) {
    ConversationOrder order = new ConversationOrder(batchSize, pendingLimit);
    assertEquals(List.of(), order.attached(connected(0, "a", seq, seq)));
    assertEquals(List.of(), order.release().frames());
    return order;
  }

  @Test
  void theFirstAttachStartsEachConversationAtTheStoredPositionAndAsksForWhatTheDeviceLacks() {
    ConversationOrder order = new ConversationOrder(10, 100);

    List<Gap> gaps = order.attached(connected(7, "a", 3, 5, "b", 2, 2));

    assertEquals(List.of(new Gap("a", 3, 5)), gaps);
    assertEquals(3, order.delivered("a"));
    assertEquals(2, order.delivered("b"));
  }

  @Test
  void cursorsStartAfterTheAcknowledgedCursorAndRiseByOneAcrossConversations() {
    ConversationOrder order = new ConversationOrder(10, 100);
    order.attached(connected(7, "a", 3, 5, "b", 0, 0));

    List<InboxEntry> replayed = order.replayed("a", messages("a", 4, 5));
    ConversationOrder.Step live = order.live(deliver("b", 0, 1));

    assertEquals(List.of(8L, 9L), cursors(replayed));
    assertEquals(List.of(10L), cursors(live.frames().get(0)));
  }

  @Test
  void aReattachNeverMovesAConversationBackNorCursorsDown() {
    ConversationOrder order = new ConversationOrder(10, 100);
    order.attached(connected(7, "a", 3, 5));
    order.replayed("a", messages("a", 4, 5));

    // The device acknowledged less than this connection sent; the inbox says one more exists.
    List<Gap> gaps = order.attached(connected(2, "a", 3, 6));

    assertEquals(List.of(new Gap("a", 5, 6)), gaps);
    assertEquals(List.of(10L), cursors(order.replayed("a", messages("a", 6))));
  }

  @Test
  void aReattachTakesAPositionBeyondWhatThisConnectionSent() {
    ConversationOrder order = caughtUpAt(2, 10, 100);

    assertEquals(List.of(), order.attached(connected(20, "a", 8, 8)));

    assertEquals(8, order.delivered("a"));
    ConversationOrder.Step step = order.live(deliver("a", 8, 9));
    assertEquals(List.of(21L), cursors(step.frames().get(0)));
  }

  @Test
  void aLiveMessageThatFollowsOnGoesOutAndOneAtOrBelowWhatWentOutIsDropped() {
    ConversationOrder order = caughtUpAt(0, 10, 100);

    ConversationOrder.Step first = order.live(deliver("a", 0, 1, 2));
    ConversationOrder.Step again = order.live(deliver("a", 1, 2, 3));

    assertEquals(List.of(List.of("a:1", "a:2")), frames(first));
    assertEquals(List.of(List.of("a:3")), frames(again));
    assertEquals(List.of(), again.gaps());
  }

  @Test
  void aLiveMessageAheadIsHeldWhileItsGapIsReadFromTheLog() {
    ConversationOrder order = caughtUpAt(3, 10, 100);

    ConversationOrder.Step ahead = order.live(deliver("a", 5, 6, 7));

    assertEquals(List.of(), ahead.frames());
    assertEquals(List.of(new Gap("a", 3, 5)), ahead.gaps());
    assertEquals(2, order.held());
    assertEquals(List.of("a:4", "a:5"), seqs(order.replayed("a", messages("a", 4, 5))));
    ConversationOrder.Step released = order.release();
    assertEquals(List.of(List.of("a:6", "a:7")), frames(released));
    assertEquals(List.of(), released.gaps());
    assertEquals(0, order.held());
  }

  @Test
  void aLivePushThatClosesTheGapLetsTheHeldMessagesFollow() {
    ConversationOrder order = caughtUpAt(0, 10, 100);
    order.live(deliver("a", 2, 3));

    ConversationOrder.Step closing = order.live(deliver("a", 0, 1, 2));

    assertEquals(List.of(List.of("a:1", "a:2", "a:3")), frames(closing));
    assertEquals(List.of(), closing.gaps());
  }

  @Test
  void aConversationFirstHeardOfInALivePushFollowsOnFromThePushesAfter() {
    ConversationOrder order = caughtUpAt(0, 10, 100);

    ConversationOrder.Step joined = order.live(deliver("new", 40, 41));

    assertEquals(List.of(List.of("new:41")), frames(joined));
    assertEquals(List.of(), joined.gaps());
    assertEquals(41, order.delivered("new"));
  }

  @Test
  void aConversationFirstHeardOfWhileCatchingUpFollowsOnFromThePushesAfter() {
    ConversationOrder order = new ConversationOrder(10, 100);
    order.attached(connected(0, "a", 0, 2));

    order.hold(deliver("new", 40, 41, 42));
    order.replayed("a", messages("a", 1, 2));
    ConversationOrder.Step released = order.release();

    assertEquals(List.of(List.of("new:41", "new:42")), frames(released));
    assertEquals(List.of(), released.gaps());
  }

  @Test
  void messagesHeldBeyondTheBoundAreDroppedAndTheirRangeIsReadLater() {
    ConversationOrder order = new ConversationOrder(10, 2);
    order.attached(connected(0, "a", 0, 3));

    order.hold(deliver("a", 3, 4, 5, 6, 7));
    assertEquals(2, order.held());
    order.replayed("a", messages("a", 1, 2, 3));
    ConversationOrder.Step released = order.release();

    assertEquals(List.of(List.of("a:4", "a:5")), frames(released));
    assertEquals(List.of(new Gap("a", 5, 7)), released.gaps());
  }

  @Test
  void aHoleAfterAHeldRunIsAskedForOnceTheRunIsReleased() {
    ConversationOrder order = new ConversationOrder(10, 100);
    order.attached(connected(0, "a", 0, 1));
    order.hold(deliver("a", 1, 2));
    order.hold(deliver("a", 3, 4));
    order.replayed("a", messages("a", 1));

    ConversationOrder.Step released = order.release();

    assertEquals(List.of(List.of("a:2")), frames(released));
    assertEquals(List.of(new Gap("a", 2, 3)), released.gaps());
  }

  @Test
  void releasedAndLiveFramesAreAtMostTheBatchSize() {
    ConversationOrder order = new ConversationOrder(2, 100);
    order.attached(connected(0, "a", 0, 0));
    order.hold(deliver("a", 0, 1, 2, 3, 4, 5));

    ConversationOrder.Step released = order.release();
    ConversationOrder.Step live = order.live(deliver("a", 5, 6, 7, 8));

    assertEquals(
        List.of(List.of("a:1", "a:2"), List.of("a:3", "a:4"), List.of("a:5")), frames(released));
    assertEquals(List.of(List.of("a:6", "a:7"), List.of("a:8")), frames(live));
  }

  @Test
  void aReplayedBatchLeavesOutWhatWasAlreadyEmitted() {
    ConversationOrder order = new ConversationOrder(10, 100);
    order.attached(connected(0, "a", 0, 4));

    assertEquals(List.of("a:1", "a:2", "a:3"), seqs(order.replayed("a", messages("a", 1, 2, 3))));
    assertEquals(List.of("a:4"), seqs(order.replayed("a", messages("a", 2, 3, 4))));
  }

  @Test
  void aResyncSendsEverythingAfterTheStoredPositionsAgainWithNewCursors() {
    ConversationOrder order = new ConversationOrder(10, 100);
    order.attached(connected(7, "a", 0, 3, "b", 0, 0));
    order.replayed("a", messages("a", 1, 2, 3));
    order.hold(deliver("a", 5, 6));
    order.hold(deliver("gone", 0, 1));

    List<Gap> gaps = order.resync(connected(8, "a", 1, 6, "b", 0, 0));

    assertEquals(List.of(new Gap("a", 1, 6)), gaps);
    assertEquals(0, order.held());
    assertEquals(List.of(11L, 12L), cursors(order.replayed("a", messages("a", 2, 3))));
    assertEquals(List.of(), order.release().frames());
  }

  @Test
  void theAckableCursorNeverPassesTheLastOneEmitted() {
    ConversationOrder order = new ConversationOrder(10, 100);
    order.attached(connected(7, "a", 0, 2));
    assertEquals(0, order.ackable(100));

    order.replayed("a", messages("a", 1, 2));

    assertEquals(9, order.ackable(100));
    assertEquals(8, order.ackable(8));
  }

  @Test
  void itRejectsABatchSizeOrBoundBelowOne() {
    assertThrows(IllegalArgumentException.class, () -> new ConversationOrder(0, 10));
    assertThrows(IllegalArgumentException.class, () -> new ConversationOrder(10, 0));
  }

  /**
   * Drives the order as a session does, over three conversations with logs of 1..n, through lost,
   * repeated and reordered live pushes, bounded holding, catch-ups of the gaps it names and
   * re-attaches: each conversation's seqs go out once each, in order, in frames of at most the
   * batch size, with cursors rising by one from the acknowledged cursor + 1.
   */
  @Test
  void throughLostRepeatedAndReorderedPushesEverySeqGoesOutOnceInOrder() {
    List<String> ids = List.of("a", "b", "c");
    for (int seed = 0; seed < 300; seed++) {
      Random random = new Random(seed);
      int batchSize = 1 + random.nextInt(5);
      ConversationOrder order = new ConversationOrder(batchSize, 1 + random.nextInt(10));
      Map<String, Long> logHead = new HashMap<>();
      Map<String, Integer> length = new HashMap<>();
      for (String id : ids) {
        length.put(id, 10 + random.nextInt(80));
        long stored = random.nextInt(5);
        logHead.put(id, stored + random.nextInt(5));
      }
      long acked = random.nextInt(100);
      Map<String, List<Long>> emitted = new HashMap<>();
      List<Long> allCursors = new ArrayList<>();
      Map<String, Long> start = new HashMap<>();
      Object[] ranges = new Object[ids.size() * 3];
      for (int i = 0; i < ids.size(); i++) {
        String id = ids.get(i);
        long after = Math.min(logHead.get(id), random.nextInt(3));
        start.put(id, after);
        ranges[3 * i] = id;
        ranges[3 * i + 1] = after;
        ranges[3 * i + 2] = logHead.get(id);
      }
      Driver driver = new Driver(order, logHead, emitted, allCursors, batchSize, random);
      driver.catchUp(order.attached(connected(acked, ranges)));
      boolean done = false;
      while (!done) {
        done = true;
        for (String id : ids) {
          long head = logHead.get(id);
          if (head >= length.get(id)) continue;
          done = false;
          long to = Math.min(length.get(id), head + 1 + random.nextInt(4));
          logHead.put(id, to);
          List<Long> push = new ArrayList<>();
          for (long s = head + 1; s <= to; s++) push.add(s);
          // The inbox lost this connection for a while: the push never came.
          if (random.nextInt(8) == 0) continue;
          if (random.nextInt(5) == 0 && head > 2) push.add(0, head - random.nextInt(2));
          if (random.nextInt(6) == 0) Collections.shuffle(push, random);
          long[] seqs = push.stream().mapToLong(Long::longValue).toArray();
          driver.live(new DeviceMessage.Deliver(id, head, messages(id, seqs)));
        }
        if (random.nextInt(10) == 0) driver.reattach(ids);
      }
      // The next re-attaches find the inbox ahead and read whatever is still missing.
      for (int i = 0; i < 3; i++) driver.reattach(ids);

      for (String id : ids) {
        List<Long> all = LongStream.rangeClosed(start.get(id) + 1, length.get(id)).boxed().toList();
        assertEquals(all, emitted.getOrDefault(id, List.of()), "seed " + seed + ", " + id);
      }
      List<Long> rising =
          LongStream.range(acked + 1, acked + 1 + allCursors.size()).boxed().toList();
      assertEquals(rising, allCursors, "seed " + seed);
    }
  }

  /** A session and its catch-up, reading gaps from logs whose heads the test moves. */
  private record Driver(
      ConversationOrder order,
      Map<String, Long> logHead,
      Map<String, List<Long>> emitted,
      List<Long> cursors,
      int batchSize,
      Random random) {

    void live(DeviceMessage.Deliver deliver) {
      ConversationOrder.Step step = order.live(deliver);
      emit(step);
      if (!step.gaps().isEmpty()) catchUp(step.gaps());
    }

    void reattach(List<String> ids) {
      Object[] ranges = new Object[ids.size() * 3];
      for (int i = 0; i < ids.size(); i++) {
        ranges[3 * i] = ids.get(i);
        // The device acknowledged nothing since: its stored position is far behind.
        ranges[3 * i + 1] = 0L;
        ranges[3 * i + 2] = logHead.get(ids.get(i));
      }
      List<Gap> gaps = order.attached(connected(0, ranges));
      if (!gaps.isEmpty()) catchUp(gaps);
    }

    /** Reads the gaps chunk by chunk, with live pushes held meanwhile, then releases. */
    void catchUp(List<Gap> gaps) {
      for (int round = 0; round < 10 && !gaps.isEmpty(); round++) {
        for (Gap gap : gaps) {
          assertTrue(gap.upTo() <= logHead.get(gap.conversationId()), "reads only what exists");
          for (long after = gap.after(); after < gap.upTo(); after += batchSize) {
            long to = Math.min(gap.upTo(), after + batchSize);
            long[] seqs = LongStream.rangeClosed(after + 1, to).toArray();
            record(order.replayed(gap.conversationId(), messages(gap.conversationId(), seqs)));
            // A push that comes during the catch-up, sometimes.
            long head = logHead.get(gap.conversationId());
            if (random.nextInt(4) == 0 && head > 0) {
              order.hold(deliver(gap.conversationId(), head - 1, head));
            }
          }
        }
        ConversationOrder.Step step = order.release();
        emit(step);
        gaps = step.gaps();
      }
    }

    private void emit(ConversationOrder.Step step) {
      for (List<InboxEntry> frame : step.frames()) {
        assertFalse(frame.isEmpty(), "no empty frames");
        assertTrue(frame.size() <= batchSize, "frame of " + frame.size());
        record(frame);
      }
    }

    private void record(List<InboxEntry> entries) {
      for (InboxEntry entry : entries) {
        var message = entry.message();
        emitted
            .computeIfAbsent(message.conversationId(), k -> new ArrayList<>())
            .add(message.seq());
        cursors.add(entry.cursor());
      }
    }
  }
}
