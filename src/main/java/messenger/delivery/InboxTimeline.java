package messenger.delivery;

import akka.persistence.typed.javadsl.EffectFactories;
import akka.persistence.typed.javadsl.ReplyEffect;
import java.util.ArrayList;
import java.util.List;
import messenger.chat.ChatMessage;
import messenger.chat.InboxProgress;
import messenger.delivery.UserInbox.Append;
import messenger.delivery.UserInbox.ConversationJoined;
import messenger.delivery.UserInbox.Deliver;
import messenger.delivery.UserInbox.Event;
import messenger.delivery.UserInbox.Join;
import messenger.delivery.UserInbox.Locate;
import messenger.delivery.UserInbox.Located;
import messenger.delivery.UserInbox.MessageAppended;
import messenger.delivery.UserInbox.State;

/**
 * {@link UserInbox}'s handlers for the user's ordered timeline: joining a conversation, appending
 * what follows on from what the inbox holds (idempotent per conversation and seq, answered with the
 * inbox's progress), pushing the new entries to the live connections and notifying the devices that
 * are not connected, and where a replay starts. Device acks are {@link InboxAcks}.
 */
final class InboxTimeline {

  private final String userId;
  private final EffectFactories<Event, State> effect;
  private final DeliverySettings settings;
  private final PushNotifier pushNotifier;
  private final InboxSignals signals;
  private final InboxDevices devices;

  InboxTimeline(
      String userId,
      EffectFactories<Event, State> effect,
      DeliverySettings settings,
      PushNotifier pushNotifier,
      InboxSignals signals,
      InboxDevices devices) {
    this.userId = userId;
    this.effect = effect;
    this.settings = settings;
    this.pushNotifier = pushNotifier;
    this.signals = signals;
    this.devices = devices;
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

  ReplyEffect<Event, State> onAppend(State state, Append cmd) {
    String conversationId = cmd.conversationId();
    ConversationSummary known = state.conversations().get(conversationId);
    if (known == null) {
      return effect.reply(cmd.replyTo(), progress(conversationId, InboxProgress.NOT_JOINED));
    }
    List<ChatMessage> next = known.following(cmd.messages());
    long lastSeq = known.lastSeq() + next.size();
    if (next.isEmpty()) return effect.reply(cmd.replyTo(), progress(conversationId, lastSeq));
    List<Event> events = new ArrayList<>(next.size());
    List<InboxEntry> entries = new ArrayList<>(next.size());
    long cursor = state.lastCursor();
    for (ChatMessage message : next) {
      events.add(new MessageAppended(userId, ++cursor, message));
      entries.add(new InboxEntry(cursor, message));
    }
    return effect
        .persist(events)
        .thenRun(s -> deliver(s, entries))
        .thenReply(cmd.replyTo(), s -> progress(conversationId, lastSeq));
  }

  /** Pushes the new entries to every connected device and notifies the others that can be. */
  private void deliver(State state, List<InboxEntry> entries) {
    for (int from = 0; from < entries.size(); from += settings.batchSize()) {
      int to = Math.min(entries.size(), from + settings.batchSize());
      devices.tellAll(new Deliver(List.copyOf(entries.subList(from, to))));
    }
    ChatMessage latest = entries.get(entries.size() - 1).message();
    for (var push :
        OfflinePush.notifications(userId, state, latest, devices.connectedDeviceIds())) {
      pushNotifier.notify(userId, push.deviceId(), push.subscription(), push.notification());
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
