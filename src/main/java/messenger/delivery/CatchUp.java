package messenger.delivery;

import akka.NotUsed;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.japi.Pair;
import akka.stream.Attributes;
import akka.stream.KillSwitches;
import akka.stream.UniqueKillSwitch;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Source;
import akka.stream.typed.javadsl.ActorSink;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import messenger.chat.ChatMessage;
import messenger.chat.ConversationLog;

/**
 * A session's catch-up from the conversations' logs, with back-pressure: it reads the {@link
 * ConversationOrder.Gap}s in chunks of at most the batch size, up to {@link #READ_AHEAD} reads at
 * once, streams the chunks to the session in the gaps' order as {@link Signal}s and lets the next
 * one come only when the session has taken this one and its outgoing buffer has room. At most one
 * catch-up runs; starting another abandons the current one, whose late signals {@link #isCurrent}
 * tells apart. Runtime bookkeeping only: the session owns it and calls it from its own thread.
 */
final class CatchUp {

  /** What the catch-up tells the session. */
  sealed interface Signal extends Session.Command permits Started, Batch, Ended, Room {
    /**
     * For a signal the session does not act on (of an abandoned catch-up): let the stream go on.
     */
    void pass();
  }

  record Started(int generation, ActorRef<Ack> ackTo) implements Signal {
    @Override
    public void pass() {
      ackTo.tell(Ack.INSTANCE);
    }
  }

  /** Messages of one conversation, in seq order, at most the batch size. */
  record Batch(
      int generation, String conversationId, List<ChatMessage> messages, ActorRef<Ack> ackTo)
      implements Signal {
    @Override
    public void pass() {
      ackTo.tell(Ack.INSTANCE);
    }
  }

  /**
   * @param failure null if every gap was read
   */
  record Ended(int generation, Throwable failure) implements Signal {
    @Override
    public void pass() {}
  }

  /** The outgoing buffer has room again: a held-back ack may go. */
  enum Room implements Signal {
    INSTANCE;

    @Override
    public void pass() {}
  }

  enum Ack {
    INSTANCE
  }

  /**
   * Reads in flight at once. One at a time, a device back to 20 conversations waited for 20 log
   * reads in a row (about 30 ms each here); a few at once overlap them, while a connection holds at
   * most this many chunks beyond the one it is sending.
   */
  static final int READ_AHEAD = 4;

  private record Chunk(String conversationId, List<ChatMessage> messages) {}

  /** What one read takes on: a range of at most the batch size, or a gap to the end of the log. */
  private sealed interface Part permits Range, ToEnd {
    CompletionStage<Source<Chunk, NotUsed>> read(CatchUp catchUp);
  }

  /** Seqs {@code from..to} of one conversation, to read at once. */
  private record Range(String conversationId, long from, long to, long joinedFrom) implements Part {
    @Override
    public CompletionStage<Source<Chunk, NotUsed>> read(CatchUp catchUp) {
      return catchUp
          .log
          .read(conversationId, from, to)
          .thenApply(
              messages -> Source.single(new Chunk(conversationId, seenFrom(joinedFrom, messages))));
    }
  }

  /** As the user sees them: a reply quoting a message from before they joined, unavailable. */
  private static List<ChatMessage> seenFrom(long joinedFrom, List<ChatMessage> messages) {
    if (joinedFrom <= 1 || messages.stream().allMatch(m -> m.quote() == null)) return messages;
    return messages.stream().map(m -> m.seenFrom(joinedFrom)).toList();
  }

  /** A gap with no known end: read a chunk at a time until one comes back short. */
  private record ToEnd(ConversationOrder.Gap gap) implements Part {
    @Override
    public CompletionStage<Source<Chunk, NotUsed>> read(CatchUp catchUp) {
      return CompletableFuture.completedFuture(catchUp.chunks(gap));
    }
  }

  private final ConversationLog log;
  private final int batchSize;
  private final Outbox outbox;
  private final ActorRef<Session.Command> session;
  private final ActorSystem<?> system;

  /** Identifies the current catch-up; signals from an abandoned one are ignored. */
  private int generation;

  private UniqueKillSwitch reading;

  /** The stream's ack, held back while the outgoing buffer is over half full. */
  private ActorRef<Ack> heldAck;

  /** Entries the current catch-up emitted, for the catch-up size metric. */
  private long emitted;

  CatchUp(
      ConversationLog log,
      int batchSize,
      Outbox outbox,
      ActorRef<Session.Command> session,
      ActorSystem<?> system) {
    if (batchSize < 1) throw new IllegalArgumentException("batchSize must be positive");
    this.log = log;
    this.batchSize = batchSize;
    this.outbox = outbox;
    this.session = session;
    this.system = system;
  }

  /** Abandons any current catch-up and starts reading {@code gaps}, in their order. */
  void start(List<ConversationOrder.Gap> gaps) {
    stop();
    heldAck = null;
    emitted = 0;
    int gen = ++generation;
    reading =
        Source.from(List.copyOf(gaps))
            .mapConcat(this::parts)
            .mapAsync(READ_AHEAD, part -> part.read(this))
            .flatMapConcat(chunks -> chunks)
            .filter(chunk -> !chunk.messages().isEmpty())
            .viaMat(KillSwitches.single(), Keep.right())
            .toMat(
                ActorSink.<Chunk, Session.Command, Ack>actorRefWithBackpressure(
                        session,
                        (ackTo, chunk) ->
                            new Batch(gen, chunk.conversationId(), chunk.messages(), ackTo),
                        ackTo -> new Started(gen, ackTo),
                        Ack.INSTANCE,
                        new Ended(gen, null),
                        failure -> new Ended(gen, failure))
                    // By default the sink pulls 16 chunks ahead of the session's acks: per
                    // connection,
                    // 16 batches in memory and reads the device may never need (it disconnects).
                    .addAttributes(Attributes.inputBuffer(1, 1)),
                Keep.left())
            .run(system);
  }

  /**
   * A gap's reads: ranges of at most the batch size up to its {@code upTo}, made as they are taken
   * (a long gap is not a long list); a range past the log's end reads nothing and is dropped.
   */
  private Iterable<Part> parts(ConversationOrder.Gap gap) {
    if (gap.upTo() == Long.MAX_VALUE) return List.of(new ToEnd(gap));
    return () ->
        new Iterator<>() {
          private long after = gap.after();

          @Override
          public boolean hasNext() {
            return after < gap.upTo();
          }

          @Override
          public Part next() {
            if (!hasNext()) throw new NoSuchElementException();
            long to = gap.upTo() - after <= batchSize ? gap.upTo() : after + batchSize;
            Range range = new Range(gap.conversationId(), after + 1, to, gap.joinedFrom());
            after = to;
            return range;
          }
        };
  }

  /**
   * A gap to the end of the log, read a chunk at a time: each read asks for at most the batch size,
   * and the gap ends at a chunk shorter than asked (the log ends there; seqs are dense).
   */
  private Source<Chunk, NotUsed> chunks(ConversationOrder.Gap gap) {
    String conversationId = gap.conversationId();
    long upTo = gap.upTo();
    return Source.unfoldAsync(
        gap.after(),
        after -> {
          if (after >= upTo)
            return CompletableFuture.completedFuture(Optional.<Pair<Long, Chunk>>empty());
          // Written so that upTo = Long.MAX_VALUE cannot overflow.
          long to = upTo - after <= batchSize ? upTo : after + batchSize;
          CompletionStage<List<ChatMessage>> read = log.read(conversationId, after + 1, to);
          return read.thenApply(
              messages -> {
                if (messages.isEmpty()) return Optional.<Pair<Long, Chunk>>empty();
                long next = messages.size() < to - after ? upTo : to;
                var chunk = new Chunk(conversationId, seenFrom(gap.joinedFrom(), messages));
                return Optional.of(Pair.create(next, chunk));
              });
        });
  }

  boolean isCurrent(Batch batch) {
    return batch.generation() == generation;
  }

  boolean isCurrent(Ended ended) {
    return ended.generation() == generation;
  }

  /**
   * The session emitted {@code count} entries of the current {@code batch}: the next comes now, or
   * once the outgoing buffer has room ({@link Room} tells the session when).
   */
  void emitted(Batch batch, int count) {
    emitted += count;
    if (outbox.hasRoom()) {
      batch.pass();
    } else {
      heldAck = batch.ackTo();
      outbox.whenRoom(() -> session.tell(Room.INSTANCE));
    }
  }

  void onRoom() {
    if (heldAck != null) heldAck.tell(Ack.INSTANCE);
    heldAck = null;
  }

  /** The current catch-up ended; how many entries it emitted. */
  long ended() {
    reading = null;
    heldAck = null;
    return emitted;
  }

  void stop() {
    if (reading != null) reading.shutdown();
    reading = null;
  }
}
