package messenger.delivery;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.stream.KillSwitches;
import akka.stream.UniqueKillSwitch;
import akka.stream.javadsl.Keep;
import akka.stream.typed.javadsl.ActorSink;
import java.util.List;

/**
 * A session's replay of the user's inbox from the journal, with back-pressure: it streams batches
 * of entries to the session as {@link Signal}s and lets the next one come only when the session has
 * taken this one and its outgoing buffer has room. At most one replay runs; starting another
 * abandons the current one, whose late signals {@link #isCurrent} tells apart. Runtime bookkeeping
 * only: the session owns it and calls it from its own thread.
 */
final class CatchUp {

  /** What the replay tells the session. */
  sealed interface Signal extends Session.Command permits Started, Batch, Ended, Room {
    /** For a signal the session does not act on (of an abandoned replay): let the stream go on. */
    void pass();
  }

  record Started(int generation, ActorRef<Ack> ackTo) implements Signal {
    @Override
    public void pass() {
      ackTo.tell(Ack.INSTANCE);
    }
  }

  record Batch(int generation, List<InboxEntry> entries, ActorRef<Ack> ackTo) implements Signal {
    @Override
    public void pass() {
      ackTo.tell(Ack.INSTANCE);
    }
  }

  /**
   * @param failure null if the replay reached the end of the journal
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

  private final InboxLog inboxLog;
  private final String userId;
  private final int batchSize;
  private final Outbox outbox;
  private final ActorRef<Session.Command> session;
  private final ActorSystem<?> system;

  /** Identifies the current replay; signals from an abandoned one are ignored. */
  private int generation;

  private UniqueKillSwitch replay;

  /** The replay's ack, held back while the outgoing buffer is over half full. */
  private ActorRef<Ack> heldAck;

  /** Entries the current replay emitted, for the catch-up size metric. */
  private long replayed;

  CatchUp(
      InboxLog inboxLog,
      String userId,
      int batchSize,
      Outbox outbox,
      ActorRef<Session.Command> session,
      ActorSystem<?> system) {
    this.inboxLog = inboxLog;
    this.userId = userId;
    this.batchSize = batchSize;
    this.outbox = outbox;
    this.session = session;
    this.system = system;
  }

  /** Abandons any current replay and starts one after {@code afterCursor}. */
  void start(long afterCursor, long fromSeqNr) {
    stop();
    heldAck = null;
    replayed = 0;
    int gen = ++generation;
    replay =
        inboxLog
            .entriesAfter(userId, afterCursor, fromSeqNr)
            .grouped(batchSize)
            .viaMat(KillSwitches.single(), Keep.right())
            .toMat(
                ActorSink.<List<InboxEntry>, Session.Command, Ack>actorRefWithBackpressure(
                    session,
                    (ackTo, batch) -> new Batch(gen, batch, ackTo),
                    ackTo -> new Started(gen, ackTo),
                    Ack.INSTANCE,
                    new Ended(gen, null),
                    failure -> new Ended(gen, failure)),
                Keep.left())
            .run(system);
  }

  boolean isCurrent(Batch batch) {
    return batch.generation() == generation;
  }

  boolean isCurrent(Ended ended) {
    return ended.generation() == generation;
  }

  /**
   * The session emitted {@code emitted} entries of the current {@code batch}: the next comes now,
   * or once the outgoing buffer has room ({@link Room} tells the session when).
   */
  void emitted(Batch batch, int emitted) {
    replayed += emitted;
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

  /** The current replay ended; how many entries it emitted. */
  long ended() {
    replay = null;
    heldAck = null;
    return replayed;
  }

  void stop() {
    if (replay != null) replay.shutdown();
    replay = null;
  }
}
