package messenger.delivery;

import akka.persistence.typed.javadsl.EffectFactories;
import akka.persistence.typed.javadsl.ReplyEffect;
import java.util.List;
import java.util.Map;
import messenger.chat.ChatMessage;
import messenger.chat.InboxProgress;
import messenger.delivery.DeviceMessage.Deliver;
import messenger.delivery.UserInbox.Append;
import messenger.delivery.UserInbox.ConversationJoined;
import messenger.delivery.UserInbox.Event;
import messenger.delivery.UserInbox.Join;
import messenger.delivery.UserInbox.State;

/**
 * {@link UserInbox}'s handlers for the user's timeline: joining a conversation (written), and
 * hearing of its messages (not written: the conversation's log holds them). What follows on from
 * the head the inbox has heard of moves the summary ({@link InboxHeads}), goes to every live
 * connection and, by push, to the devices that are not connected; the conversation is answered at
 * once with the new head. Redeliveries change nothing, and a message beyond a gap is left for the
 * conversation to send again from the head the answer names.
 */
final class InboxTimeline {

  private final String userId;
  private final EffectFactories<Event, State> effect;
  private final DeliverySettings settings;
  private final PushNotifier pushNotifier;
  private final InboxHeads heads;
  private final InboxDevices devices;
  private final InboxAcks acks;

  InboxTimeline(
      String userId,
      EffectFactories<Event, State> effect,
      DeliverySettings settings,
      PushNotifier pushNotifier,
      InboxHeads heads,
      InboxDevices devices,
      InboxAcks acks) {
    this.userId = userId;
    this.effect = effect;
    this.settings = settings;
    this.pushNotifier = pushNotifier;
    this.heads = heads;
    this.devices = devices;
    this.acks = acks;
  }

  ReplyEffect<Event, State> onJoin(State state, Join cmd) {
    String conversationId = cmd.info().conversationId();
    ConversationSummary known = heads.get(conversationId);
    if (known != null && alreadyJoined(known, cmd.fromSeq())) {
      return effect.reply(cmd.replyTo(), progress(conversationId, known.lastSeq()));
    }
    return effect
        .persist(new ConversationJoined(userId, cmd.info(), cmd.fromSeq()))
        .thenRun(s -> heads.joined(cmd.info(), Math.max(1, cmd.fromSeq())))
        .thenReply(
            cmd.replyTo(), s -> progress(conversationId, heads.get(conversationId).lastSeq()));
  }

  ReplyEffect<Event, State> onAppend(State state, Append cmd) {
    String conversationId = cmd.conversationId();
    ConversationSummary before = heads.get(conversationId);
    if (before == null) {
      return effect.reply(cmd.replyTo(), progress(conversationId, InboxProgress.NOT_JOINED));
    }
    List<ChatMessage> next = heads.append(conversationId, cmd.messages());
    if (!next.isEmpty()) {
      deliver(state, conversationId, before.lastSeq(), next);
      acks.summariesMoved();
    }
    return effect.reply(
        cmd.replyTo(), progress(conversationId, heads.get(conversationId).lastSeq()));
  }

  /** Pushes the new messages to every connected device and notifies the others that can be. */
  private void deliver(State state, String conversationId, long after, List<ChatMessage> next) {
    for (int from = 0; from < next.size(); from += settings.batchSize()) {
      int to = Math.min(next.size(), from + settings.batchSize());
      long previous = from == 0 ? after : next.get(from - 1).seq();
      devices.tellAll(new Deliver(conversationId, previous, List.copyOf(next.subList(from, to))));
    }
    OfflinePush.latestFrom(next, state.blocked())
        .ifPresent(latest -> notifyOffline(state, conversationId, latest));
  }

  /**
   * A starting inbox read these from the logs ({@link InboxStart}): news to the user like an
   * append's, and most often the very message whose append woke the inbox (the conversation writes
   * its log before it tells), which then comes in as a redelivery. No device is connected yet; the
   * ones that attach catch up from their cursors. After a crash, a message already pushed before it
   * (heard of, not yet written to the summary) may be pushed again: a notification twice, never
   * none.
   */
  void heardAtStart(State state, Map<String, List<ChatMessage>> applied) {
    applied.forEach(
        (conversationId, messages) ->
            OfflinePush.latestNews(OfflinePush.notFrom(messages, state.blocked()))
                .ifPresent(latest -> notifyOffline(state, conversationId, latest)));
  }

  private void notifyOffline(State state, String conversationId, ChatMessage latest) {
    ConversationSummary now = heads.get(conversationId);
    for (var push :
        OfflinePush.notifications(
            userId, state.push(), now, latest, devices.connectedDeviceIds())) {
      pushNotifier.notify(userId, push.deviceId(), push.subscription(), push.notification());
    }
  }

  /**
   * Whether a join from {@code fromSeq} is one the inbox has taken. A group the user left ends at
   * the removal ({@code lastSeq}): a join from after it is a new one, even right after it.
   */
  private static boolean alreadyJoined(ConversationSummary known, long fromSeq) {
    return known.left() ? fromSeq <= known.lastSeq() : known.lastSeq() >= fromSeq - 1;
  }

  private InboxProgress progress(String conversationId, long lastSeq) {
    return new InboxProgress(userId, conversationId, lastSeq);
  }
}
