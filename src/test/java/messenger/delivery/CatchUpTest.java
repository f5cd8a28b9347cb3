package messenger.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import messenger.chat.ChatMessage;
import messenger.chat.ConversationLog;
import messenger.delivery.ConversationOrder.Gap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class CatchUpTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create("CatchUpTest", ConfigFactory.parseString("akka.actor.provider = local"));

  /** Long enough for a stream that was going to run ahead to have done so. */
  private static final Duration QUIET = Duration.ofMillis(300);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** Conversations whose logs hold seqs 1..head; it remembers every read asked of it. */
  private static final class FakeLog implements ConversationLog {
    final Map<String, Long> heads = new ConcurrentHashMap<>();
    final List<String> reads = new CopyOnWriteArrayList<>();
    volatile boolean failing;

    FakeLog head(String conversationId, long head) {
      heads.put(conversationId, head);
      return this;
    }

    @Override
    public CompletionStage<List<ChatMessage>> read(
        String conversationId, long fromSeq, long toSeq) {
      reads.add(conversationId + ":" + fromSeq + "-" + toSeq);
      if (failing) return CompletableFuture.failedFuture(new IllegalStateException("journal down"));
      long to = Math.min(toSeq, heads.getOrDefault(conversationId, 0L));
      List<ChatMessage> messages =
          LongStream.rangeClosed(fromSeq, to)
              .mapToObj(
                  seq ->
                      new ChatMessage(
                          conversationId, seq, "m" + seq, "alice", "body", Instant.EPOCH))
              .toList();
      return CompletableFuture.completedFuture(messages);
    }
  }

  /** An outbox that only answers whether it has room, and says when room comes. */
  private static final class FakeOutbox implements Outbox {
    volatile boolean room = true;
    final List<Runnable> waiting = new ArrayList<>();

    @Override
    public boolean offer(Outbound out) {
      return true;
    }

    @Override
    public boolean hasRoom() {
      return room;
    }

    @Override
    public boolean isClosed() {
      return false;
    }

    @Override
    public void whenRoom(Runnable callback) {
      waiting.add(callback);
    }

    @Override
    public void close() {}

    @Override
    public void abort() {}
  }

  private final FakeLog log = new FakeLog();
  private final FakeOutbox outbox = new FakeOutbox();
  private final TestProbe<Session.Command> session = testKit.createTestProbe();

  private CatchUp catchUp(int batchSize) {
    return new CatchUp(log, batchSize, outbox, session.ref(), testKit.system());
  }

  /** Starts reading and lets the first chunk come. */
  private void start(CatchUp catchUp, Gap... gaps) {
    catchUp.start(List.of(gaps));
    session.expectMessageClass(CatchUp.Started.class).pass();
  }

  private CatchUp.Batch nextBatch() {
    return session.expectMessageClass(CatchUp.Batch.class);
  }

  private static String seqs(CatchUp.Batch batch) {
    List<ChatMessage> messages = batch.messages();
    return batch.conversationId()
        + ":"
        + messages.get(0).seq()
        + "-"
        + messages.get(messages.size() - 1).seq();
  }

  /** Takes every batch as the session would (all emitted, room to spare) until the end. */
  private List<String> drain(CatchUp catchUp) {
    List<String> batches = new ArrayList<>();
    while (true) {
      Session.Command signal = session.receiveMessage();
      if (signal instanceof CatchUp.Ended ended) {
        assertNull(ended.failure());
        return batches;
      }
      CatchUp.Batch batch = (CatchUp.Batch) signal;
      assertTrue(catchUp.isCurrent(batch));
      batches.add(seqs(batch));
      catchUp.emitted(batch, batch.messages().size());
    }
  }

  @Test
  void aGapIsReadInChunksOfAtMostTheBatchSizeAndStopsAtItsUpTo() {
    log.head("a", 100);
    CatchUp catchUp = catchUp(3);

    start(catchUp, new Gap("a", 0, 7));

    assertEquals(List.of("a:1-3", "a:4-6", "a:7-7"), drain(catchUp));
    assertEquals(List.of("a:1-3", "a:4-6", "a:7-7"), log.reads);
  }

  @Test
  void aGapToTheEndOfTheLogStopsAtAChunkShorterThanAsked() {
    log.head("a", 5);
    CatchUp catchUp = catchUp(3);

    start(catchUp, new Gap("a", 0, Long.MAX_VALUE));

    assertEquals(List.of("a:1-3", "a:4-5"), drain(catchUp));
    assertEquals(List.of("a:1-3", "a:4-6"), log.reads);
  }

  @Test
  void aGapToTheEndOfTheLogStopsAtAnEmptyChunk() {
    log.head("a", 6);
    CatchUp catchUp = catchUp(3);

    start(catchUp, new Gap("a", 0, Long.MAX_VALUE));

    assertEquals(List.of("a:1-3", "a:4-6"), drain(catchUp));
    assertEquals(List.of("a:1-3", "a:4-6", "a:7-9"), log.reads);
  }

  @Test
  void severalGapsAreReadOneAfterAnotherInTheirOrder() {
    log.head("a", 10).head("b", 10);
    CatchUp catchUp = catchUp(2);

    start(catchUp, new Gap("b", 4, 7), new Gap("a", 0, 1), new Gap("b", 9, 10));

    assertEquals(List.of("b:5-6", "b:7-7", "a:1-1", "b:10-10"), drain(catchUp));
  }

  /** A log whose reads are answered only when the test says, in any order. */
  private static final class HeldLog implements ConversationLog {
    final List<String> reads = new CopyOnWriteArrayList<>();
    final Map<String, CompletableFuture<List<ChatMessage>>> answers = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<List<ChatMessage>> read(
        String conversationId, long fromSeq, long toSeq) {
      String key = conversationId + ":" + fromSeq + "-" + toSeq;
      reads.add(key);
      return answers.computeIfAbsent(key, k -> new CompletableFuture<>());
    }

    void answer(String conversationId, long fromSeq, long toSeq) {
      answers
          .computeIfAbsent(
              conversationId + ":" + fromSeq + "-" + toSeq, k -> new CompletableFuture<>())
          .complete(
              LongStream.rangeClosed(fromSeq, toSeq)
                  .mapToObj(
                      seq ->
                          new ChatMessage(
                              conversationId, seq, "m" + seq, "alice", "body", Instant.EPOCH))
                  .toList());
    }
  }

  @Test
  void severalReadsRunAtOnceAndTheirChunksStillComeInTheGapsOrder() {
    HeldLog held = new HeldLog();
    CatchUp catchUp = new CatchUp(held, 2, outbox, session.ref(), testKit.system());
    catchUp.start(
        List.of(new Gap("a", 0, 2), new Gap("b", 0, 2), new Gap("c", 0, 2), new Gap("d", 0, 2)));
    session.expectMessageClass(CatchUp.Started.class).pass();

    // All four asked before any answer: they overlap instead of waiting for each other.
    testKit
        .createTestProbe()
        .awaitAssert(
            () -> {
              assertEquals(CatchUp.READ_AHEAD, held.reads.size(), "reads " + held.reads);
              return null;
            });
    held.answer("d", 1, 2);
    held.answer("c", 1, 2);
    held.answer("b", 1, 2);
    session.expectNoMessage(QUIET);
    held.answer("a", 1, 2);

    List<String> batches = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      CatchUp.Batch batch = nextBatch();
      batches.add(seqs(batch));
      catchUp.emitted(batch, batch.messages().size());
    }
    assertEquals(List.of("a:1-2", "b:1-2", "c:1-2", "d:1-2"), batches);
    assertNull(session.expectMessageClass(CatchUp.Ended.class).failure());
  }

  @Test
  void theNextChunkWaitsUntilTheSessionHasTakenThisOne() {
    log.head("a", 100);
    CatchUp catchUp = catchUp(2);
    start(catchUp, new Gap("a", 0, 100));

    CatchUp.Batch first = nextBatch();
    session.expectNoMessage(QUIET);
    // Nothing read far ahead either: the chunk in hand, one each in the sink, the concatenation
    // and the stage before it, and the reads ahead.
    assertTrue(log.reads.size() <= 4 + CatchUp.READ_AHEAD, "reads " + log.reads);

    catchUp.emitted(first, 2);
    assertEquals("a:3-4", seqs(nextBatch()));
  }

  @Test
  void theNextChunkWaitsWhileTheOutgoingBufferIsOverHalfFull() {
    log.head("a", 100);
    CatchUp catchUp = catchUp(2);
    start(catchUp, new Gap("a", 0, 100));
    CatchUp.Batch first = nextBatch();

    outbox.room = false;
    catchUp.emitted(first, 2);
    session.expectNoMessage(QUIET);

    outbox.room = true;
    outbox.waiting.forEach(Runnable::run);
    assertEquals(CatchUp.Room.INSTANCE, session.expectMessageClass(CatchUp.Room.class));
    catchUp.onRoom();
    assertEquals("a:3-4", seqs(nextBatch()));
  }

  @Test
  void aNewCatchUpAbandonsTheCurrentOneAndItsSignalsAreNotCurrent() {
    log.head("a", 100).head("b", 100);
    CatchUp catchUp = catchUp(2);
    start(catchUp, new Gap("a", 0, 100));
    CatchUp.Batch old = nextBatch();

    catchUp.start(List.of(new Gap("b", 0, 1)));

    assertFalse(catchUp.isCurrent(old));
    // The abandoned stream may still end; only the new one's signals count.
    List<String> current = new ArrayList<>();
    boolean ended = false;
    while (!ended) {
      Session.Command signal = session.receiveMessage();
      if (signal instanceof CatchUp.Signal s && !isCurrent(catchUp, s)) {
        s.pass();
      } else if (signal instanceof CatchUp.Started started) {
        started.pass();
      } else if (signal instanceof CatchUp.Batch batch) {
        current.add(seqs(batch));
        catchUp.emitted(batch, batch.messages().size());
      } else {
        ended = signal instanceof CatchUp.Ended;
      }
    }
    assertEquals(List.of("b:1-1"), current);
  }

  private static boolean isCurrent(CatchUp catchUp, CatchUp.Signal signal) {
    if (signal instanceof CatchUp.Batch batch) return catchUp.isCurrent(batch);
    if (signal instanceof CatchUp.Ended ended) return catchUp.isCurrent(ended);
    return true;
  }

  @Test
  void itCountsWhatTheSessionEmittedForTheCatchUpSizeMetric() {
    log.head("a", 5);
    CatchUp catchUp = catchUp(3);
    start(catchUp, new Gap("a", 0, 5));

    CatchUp.Batch first = nextBatch();
    // One of them had gone out live already.
    catchUp.emitted(first, 2);
    catchUp.emitted(nextBatch(), 2);
    session.expectMessageClass(CatchUp.Ended.class);

    assertEquals(4, catchUp.ended());
  }

  @Test
  void aFailedReadEndsTheCatchUpWithTheFailure() {
    log.failing = true;
    CatchUp catchUp = catchUp(3);

    start(catchUp, new Gap("a", 0, 5));

    CatchUp.Ended ended = session.expectMessageClass(CatchUp.Ended.class);
    assertTrue(catchUp.isCurrent(ended));
    assertNotNull(ended.failure());
  }

  @Test
  void withNoGapsItEndsAtOnceWithoutReading() {
    CatchUp catchUp = catchUp(3);

    start(catchUp);

    assertTrue(catchUp.isCurrent(session.expectMessageClass(CatchUp.Ended.class)));
    assertEquals(List.of(), log.reads);
  }
}
