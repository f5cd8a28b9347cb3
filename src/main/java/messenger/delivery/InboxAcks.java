package messenger.delivery;

import akka.actor.typed.javadsl.TimerScheduler;
import akka.persistence.typed.javadsl.EffectFactories;
import akka.persistence.typed.javadsl.ReplyEffect;
import java.time.Duration;
import java.util.List;
import messenger.delivery.UserInbox.Ack;
import messenger.delivery.UserInbox.Command;
import messenger.delivery.UserInbox.DeviceAcked;
import messenger.delivery.UserInbox.Event;
import messenger.delivery.UserInbox.FlushAcks;
import messenger.delivery.UserInbox.State;

/**
 * {@link UserInbox}'s handlers for device acks: taken in memory ({@link PendingAcks}), with the
 * delivered receipts they imply signalled at once, and written coalesced, one event per device, at
 * most every {@code ack-flush-interval}, sooner for a device far ahead, with the inbox's next
 * append write if one comes first, and before the inbox stops (passivation, hand-off, shutdown:
 * {@link InboxTimeline#onStop}).
 */
final class InboxAcks {

  private final String userId;
  private final EffectFactories<Event, State> effect;
  private final PendingAcks pending;
  private final InboxSignals signals;
  private final TimerScheduler<Command> timers;
  private final Duration flushInterval;

  InboxAcks(
      String userId,
      EffectFactories<Event, State> effect,
      PendingAcks pending,
      InboxSignals signals,
      TimerScheduler<Command> timers,
      Duration flushInterval) {
    this.userId = userId;
    this.effect = effect;
    this.pending = pending;
    this.signals = signals;
    this.timers = timers;
    this.flushInterval = flushInterval;
  }

  ReplyEffect<Event, State> onAck(State state, Ack cmd) {
    if (!pending.take(state, cmd.deviceId(), cmd.cursor(), cmd.positions()))
      return effect.noReply();
    long cursor = pending.cursor(state, cmd.deviceId());
    pending.deliveredReceipts(userId, state, cursor).forEach(signals::receipt);
    if (pending.due(state)) return write(pending.drain(userId, state));
    if (!timers.isTimerActive(FlushAcks.INSTANCE)) {
      timers.startSingleTimer(FlushAcks.INSTANCE, flushInterval);
    }
    return effect.noReply();
  }

  ReplyEffect<Event, State> onFlush(State state, FlushAcks flush) {
    return write(pending.drain(userId, state));
  }

  boolean holding() {
    return !pending.isEmpty();
  }

  /**
   * The held acks, for a write the inbox makes anyway, and forgets them; the flush timer starts
   * again with the next ack. Without that the timer, started by the first ack after the previous
   * write, would write on its own the ack that follows every delivery, and a busy inbox would still
   * write its acks every interval.
   */
  List<DeviceAcked> takeHeld(State state) {
    timers.cancel(FlushAcks.INSTANCE);
    return pending.drain(userId, state);
  }

  private ReplyEffect<Event, State> write(List<DeviceAcked> held) {
    timers.cancel(FlushAcks.INSTANCE);
    if (held.isEmpty()) return effect.noReply();
    return effect.persist(List.<Event>copyOf(held)).thenNoReply();
  }
}
