package messenger.delivery;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.persistence.typed.javadsl.EffectFactories;
import akka.persistence.typed.javadsl.ReplyEffect;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import messenger.chat.Notice;
import messenger.delivery.ConnectReply.Connected;
import messenger.delivery.ConnectReply.Refused;
import messenger.delivery.ConnectReply.Visible;
import messenger.delivery.DeviceMessage.Ephemeral;
import messenger.delivery.DeviceMessage.Replaced;
import messenger.delivery.DeviceMessage.Revoked;
import messenger.delivery.InboxInternal.DeviceGone;
import messenger.delivery.InboxInternal.PresenceGraceOver;
import messenger.delivery.UserInbox.Command;
import messenger.delivery.UserInbox.Connect;
import messenger.delivery.UserInbox.DeviceView;
import messenger.delivery.UserInbox.Devices;
import messenger.delivery.UserInbox.EndRevokedConnections;
import messenger.delivery.UserInbox.Event;
import messenger.delivery.UserInbox.GetPresence;
import messenger.delivery.UserInbox.ListDevices;
import messenger.delivery.UserInbox.Relay;
import messenger.delivery.UserInbox.State;
import messenger.delivery.UserInbox.WentOffline;
import messenger.push.PushKind;
import messenger.safety.BlockedNotices;

/**
 * {@link UserInbox}'s handlers for the user's devices: connections attaching and going (the
 * bookkeeping is {@link LiveConnections}), what every connection is told, the device list, and
 * presence, which holds while a device is connected and for a grace after the last one left. Only
 * going offline is persisted.
 */
final class InboxDevices {

  private final String userId;
  private final EffectFactories<Event, State> effect;
  private final DeliverySettings settings;
  private final InboxSignals signals;
  private final PendingAcks acks;
  private final InboxHeads heads;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final LiveConnections<ActorRef<DeviceMessage>> live;

  InboxDevices(
      String userId,
      EffectFactories<Event, State> effect,
      DeliverySettings settings,
      InboxSignals signals,
      PendingAcks acks,
      InboxHeads heads,
      ActorContext<Command> context,
      TimerScheduler<Command> timers) {
    this.userId = userId;
    this.effect = effect;
    this.settings = settings;
    this.signals = signals;
    this.acks = acks;
    this.heads = heads;
    this.context = context;
    this.timers = timers;
    this.live = new LiveConnections<>(settings.maxConnectionsPerUser());
  }

  /** Tells every live connection of the user. */
  void tellAll(DeviceMessage message) {
    live.refs().forEach(device -> device.tell(message));
  }

  Set<String> connectedDeviceIds() {
    return live.deviceIds();
  }

  ReplyEffect<Event, State> onConnect(State state, Connect cmd) {
    var attach = live.attach(cmd.deviceId(), cmd.connectionId(), cmd.device());
    if (attach.replaced() != null) attach.replaced().tell(new Replaced(cmd.deviceId()));
    return switch (attach.outcome()) {
      case REFUSED -> effect.reply(cmd.replyTo(), new Refused(settings.maxConnectionsPerUser()));
      case OUTDATED -> effect.noReply();
      case ALREADY_ATTACHED -> connected(state, cmd);
      case ATTACHED -> watched(state, cmd);
      case CAME_ONLINE -> {
        signals.presence(new Notice.Presence(userId, true, null), heads.memberOf());
        yield watched(state, cmd);
      }
      case BACK_WITHIN_GRACE -> {
        timers.cancel(PresenceGraceOver.INSTANCE);
        yield watched(state, cmd);
      }
    };
  }

  private ReplyEffect<Event, State> watched(State state, Connect cmd) {
    context.watchWith(cmd.device(), new DeviceGone(cmd.deviceId(), cmd.device()));
    return connected(state, cmd);
  }

  private ReplyEffect<Event, State> connected(State state, Connect cmd) {
    String deviceId = cmd.deviceId();
    long cursor = acks.cursor(state, deviceId);
    Map<String, Visible> visible = new HashMap<>();
    for (ConversationSummary summary : heads.all()) {
      String id = summary.info().conversationId();
      Long position = acks.position(state, deviceId, id);
      long held = position != null ? position : summary.positionWithout(cursor);
      visible.put(
          id, new Visible(summary.visibleAfter(held), summary.lastSeq(), summary.joinedFrom()));
    }
    return effect.reply(cmd.replyTo(), new Connected(cursor, visible, state.blocked()));
  }

  /** A device's connection ended: its held acks are written, and presence may end. */
  ReplyEffect<Event, State> onDeviceGone(State state, DeviceGone gone) {
    if (!live.detach(gone.deviceId(), gone.device(), Instant.now())) return effect.noReply();
    List<Event> acked = new ArrayList<>(acks.drain(userId, state, gone.deviceId()));
    Duration grace = settings.presenceGrace();
    if (grace.isZero()) return wentOffline(acked);
    timers.startSingleTimer(PresenceGraceOver.INSTANCE, grace);
    return acked.isEmpty() ? effect.noReply() : effect.persist(acked).thenNoReply();
  }

  /** A notice from someone the user blocks goes to none of the user's devices. */
  ReplyEffect<Event, State> onRelay(State state, Relay relay) {
    BlockedNotices.forBlocker(relay.notice(), state.blocked())
        .ifPresent(notice -> tellAll(new Ephemeral(notice)));
    return effect.noReply();
  }

  ReplyEffect<Event, State> onEndRevokedConnections(State state, EndRevokedConnections end) {
    tellAll(new Revoked(end.generation(), end.tokenId()));
    return effect.noReply();
  }

  ReplyEffect<Event, State> onListDevices(State state, ListDevices cmd) {
    var cursors = acks.cursors(state);
    var ids = new TreeSet<>(cursors.keySet());
    ids.addAll(state.push().keySet());
    ids.addAll(live.deviceIds());
    List<DeviceView> views = new ArrayList<>(ids.size());
    for (String id : ids) {
      PushRegistration push = state.push().get(id);
      PushKind kind = push == null ? null : push.subscription().kind();
      views.add(new DeviceView(id, live.connected(id), cursors.getOrDefault(id, 0L), kind));
    }
    return effect.reply(cmd.replyTo(), new Devices(views));
  }

  ReplyEffect<Event, State> onGetPresence(State state, GetPresence cmd) {
    boolean online = live.online();
    var presence = new Notice.Presence(userId, online, online ? null : state.lastSeen());
    return effect.reply(cmd.replyTo(), presence);
  }

  ReplyEffect<Event, State> onPresenceGraceOver(State state, PresenceGraceOver over) {
    return wentOffline(List.of());
  }

  /** Writes {@code before}, and the user going offline if the last device has gone for good. */
  private ReplyEffect<Event, State> wentOffline(List<Event> before) {
    Optional<Instant> left = live.graceOver();
    if (left.isEmpty()) {
      return before.isEmpty() ? effect.noReply() : effect.persist(before).thenNoReply();
    }
    Instant at = left.get();
    List<Event> events = new ArrayList<>(before);
    events.add(new WentOffline(userId, at));
    return effect
        .persist(events)
        .thenRun(s -> signals.presence(new Notice.Presence(userId, false, at), heads.memberOf()))
        .thenNoReply();
  }
}
