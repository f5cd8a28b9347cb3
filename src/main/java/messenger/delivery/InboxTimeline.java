package messenger.delivery;

import akka.actor.typed.ActorRef;
import akka.persistence.typed.javadsl.EffectBuilder;
import akka.persistence.typed.javadsl.EffectFactories;
import akka.persistence.typed.javadsl.ReplyEffect;
import java.util.ArrayList;
import java.util.List;
import messenger.chat.InboxProgress;
import messenger.delivery.UserInbox.Append;
import messenger.delivery.UserInbox.Command;
import messenger.delivery.UserInbox.ConversationJoined;
import messenger.delivery.UserInbox.Deliver;
import messenger.delivery.UserInbox.Event;
import messenger.delivery.UserInbox.FlushAppends;
import messenger.delivery.UserInbox.Join;
import messenger.delivery.UserInbox.Locate;
import messenger.delivery.UserInbox.Located;
import messenger.delivery.UserInbox.State;
import messenger.delivery.UserInbox.Stop;

/**
 * {@link UserInbox}'s handlers for the user's ordered timeline: joining a conversation, appending
 * what follows on from what the inbox holds (idempotent per conversation and seq, group-committed
 * by {@link AppendBatch}, answered with the inbox's progress once written), pushing the new entries
 * to the live connections and notifying the devices that are not connected, and where a replay
 * starts. Device acks are taken by {@link InboxAcks}; the ones held are written with the next
 * append, or by {@link InboxAcks} when none comes.
 */
final class InboxTimeline {

  private final String userId;
  private final EffectFactories<Event, State> effect;
  private final DeliverySettings settings;
  private final PushNotifier pushNotifier;
  private final InboxSignals signals;
  private final InboxDevices devices;
  private final InboxAcks acks;
  private final ActorRef<Command> self;
  private final AppendBatch batch = new AppendBatch();

  InboxTimeline(
      String userId,
      EffectFactories<Event, State> effect,
      DeliverySettings settings,
      PushNotifier pushNotifier,
      InboxSignals signals,
      InboxDevices devices,
      InboxAcks acks,
      ActorRef<Command> self) {
    this.userId = userId;
    this.effect = effect;
    this.settings = settings;
    this.pushNotifier = pushNotifier;
    this.signals = signals;
    this.devices = devices;
    this.acks = acks;
    this.self = self;
  }

  ReplyEffect<Event, State> onJoin(State state, Join cmd) {
    String conversationId = cmd.info().conversationId();
    ConversationSummary known = state.conversations().get(conversationId);
    if (known != null && known.lastSeq() >= Math.max(0, cmd.fromSeq() - 1)) {
      return effect.reply(cmd.replyTo(), progress(conversationId, known.lastSeq()));
    }
    return effect
        .persist(new ConversationJoined(userId, cmd.info(), cmd.fromSeq()))
        .thenReply(
            cmd.replyTo(),
            s -> progress(conversationId, s.conversations().get(conversationId).lastSeq()));
  }

  /**
   * Takes the append into the next write ({@link AppendBatch}): the first one of a write asks for
   * the write behind whatever is already in the mailbox, so that everything that came meanwhile
   * goes with it; a full batch is written at once.
   */
  ReplyEffect<Event, State> onAppend(State state, Append cmd) {
    if (batch.isEmpty()) self.tell(FlushAppends.INSTANCE);
    batch.add(cmd);
    if (batch.messages() < settings.maxPersistBatch()) return effect.noReply();
    return write(state).thenNoReply();
  }

  ReplyEffect<Event, State> onFlushAppends(State state, FlushAppends flush) {
    return batch.isEmpty() ? effect.noReply() : write(state).thenNoReply();
  }

  /**
   * Writes what is held (appends and device acks), then stops: the sharding stop message, so that
   * passivating or handing off loses no ack and answers every waiting conversation.
   */
  ReplyEffect<Event, State> onStop(State state, Stop stop) {
    if (batch.isEmpty() && !acks.holding()) return effect.stop().thenNoReply();
    return write(state).thenStop().thenNoReply();
  }

  /**
   * One journal write for every waiting append, with the device acks held so far riding along: a
   * busy inbox then writes its acks for free instead of on their own every flush interval.
   */
  private EffectBuilder<Event, State> write(State state) {
    AppendBatch.Write write = batch.take(userId, state);
    List<Event> events = new ArrayList<>(acks.takeHeld(state));
    events.addAll(write.events());
    if (events.isEmpty()) {
      write.answer();
      return effect.none();
    }
    return effect
        .persist(events)
        .thenRun(
            s -> {
              if (write.hasEvents()) deliver(s, write);
              write.answer();
            });
  }

  /** Pushes the new entries to every connected device and notifies the others that can be. */
  private void deliver(State state, AppendBatch.Write write) {
    List<InboxEntry> entries = write.entries();
    for (int from = 0; from < entries.size(); from += settings.batchSize()) {
      int to = Math.min(entries.size(), from + settings.batchSize());
      devices.tellAll(new Deliver(List.copyOf(entries.subList(from, to))));
    }
    for (AppendBatch.Delivery delivery : write.deliveries()) {
      for (var push :
          OfflinePush.notifications(
              userId, state, delivery.latest(), devices.connectedDeviceIds())) {
        pushNotifier.notify(userId, push.deviceId(), push.subscription(), push.notification());
      }
    }
  }

  ReplyEffect<Event, State> onLocate(State state, Locate cmd) {
    long after = Math.max(0, Math.min(cmd.afterCursor(), state.lastCursor()));
    var located = new Located(after, state.lastCursor(), state.replayFrom(after));
    return effect.reply(cmd.replyTo(), located);
  }

  private InboxProgress progress(String conversationId, long lastSeq) {
    return new InboxProgress(userId, conversationId, lastSeq);
  }
}
