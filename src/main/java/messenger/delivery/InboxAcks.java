package messenger.delivery;

import akka.actor.typed.javadsl.TimerScheduler;
import akka.persistence.typed.javadsl.EffectFactories;
import akka.persistence.typed.javadsl.ReplyEffect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import messenger.chat.Notice;
import messenger.delivery.InboxInternal.FlushAcks;
import messenger.delivery.InboxInternal.Stop;
import messenger.delivery.UserInbox.Ack;
import messenger.delivery.UserInbox.Command;
import messenger.delivery.UserInbox.ConversationsNoted;
import messenger.delivery.UserInbox.Event;
import messenger.delivery.UserInbox.State;

/**
 * {@link UserInbox}'s coalesced writes: device acks, taken in memory ({@link PendingAcks}) with the
 * delivered receipts they imply signalled at once, and the summaries moved by messages ({@link
 * InboxHeads}). Both are written together, one event per device and one for the summaries, at most
 * every {@code ack-flush-interval} (sooner for a device far ahead), and before the inbox stops
 * (passivation, hand-off, shutdown).
 *
 * <p>The interval is spread at random over its second half: a group post moves a thousand inboxes
 * at once, and a fixed interval would have them all write in the same instant, every interval.
 */
final class InboxAcks {

  private final String userId;
  private final EffectFactories<Event, State> effect;
  private final PendingAcks pending;
  private final InboxHeads heads;
  private final InboxSignals signals;
  private final TimerScheduler<Command> timers;
  private final Duration flushInterval;

  InboxAcks(
      String userId,
      EffectFactories<Event, State> effect,
      PendingAcks pending,
      InboxHeads heads,
      InboxSignals signals,
      TimerScheduler<Command> timers,
      Duration flushInterval) {
    this.userId = userId;
    this.effect = effect;
    this.pending = pending;
    this.heads = heads;
    this.signals = signals;
    this.timers = timers;
    this.flushInterval = flushInterval;
  }

  ReplyEffect<Event, State> onAck(State state, Ack cmd) {
    List<Notice.Receipt> receipts =
        pending.take(userId, state, heads, cmd.deviceId(), cmd.cursor(), cmd.positions());
    if (receipts == null) return effect.noReply();
    receipts.forEach(signals::receipt);
    if (pending.due(state)) return write(state);
    flushLater();
    return effect.noReply();
  }

  /** Summaries moved in memory: they are written with the next flush. */
  void summariesMoved() {
    flushLater();
  }

  ReplyEffect<Event, State> onFlush(State state, FlushAcks flush) {
    return write(state);
  }

  /** Writes what is held, then stops: passivating or handing off loses no ack nor summary. */
  ReplyEffect<Event, State> onStop(State state, Stop stop) {
    List<Event> held = held(state);
    if (held.isEmpty()) return effect.stop().thenNoReply();
    return effect.persist(held).thenStop().thenNoReply();
  }

  private void flushLater() {
    if (!timers.isTimerActive(FlushAcks.INSTANCE)) {
      timers.startSingleTimer(FlushAcks.INSTANCE, spread(flushInterval));
    }
  }

  /** A delay in {@code [interval / 2, interval]}, at random. */
  static Duration spread(Duration interval) {
    long half = interval.toNanos() / 2;
    return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(half + 1));
  }

  private List<Event> held(State state) {
    timers.cancel(FlushAcks.INSTANCE);
    List<Event> events = new ArrayList<>(pending.drain(userId, state));
    if (heads.hasMoved()) events.add(new ConversationsNoted(userId, heads.takeMoved()));
    return events;
  }

  private ReplyEffect<Event, State> write(State state) {
    List<Event> held = held(state);
    if (held.isEmpty()) return effect.noReply();
    return effect.persist(held).thenNoReply();
  }
}
