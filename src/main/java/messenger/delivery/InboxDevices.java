package messenger.delivery;

import akka.Done;
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
import messenger.delivery.UserInbox.DeviceForgotten;
import messenger.delivery.UserInbox.DeviceLeft;
import messenger.delivery.UserInbox.DeviceSignedIn;
import messenger.delivery.UserInbox.DeviceTokens;
import messenger.delivery.UserInbox.DeviceView;
import messenger.delivery.UserInbox.Devices;
import messenger.delivery.UserInbox.EndRevokedConnections;
import messenger.delivery.UserInbox.Event;
import messenger.delivery.UserInbox.ForgetDevice;
import messenger.delivery.UserInbox.GetDeviceTokens;
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

  /**
   * Answers what the device should hold, after writing a token or label not yet on its record (a
   * new login), so that logging the device out can always revoke the token it is connected with.
   */
  private ReplyEffect<Event, State> connected(State state, Connect cmd) {
    Connected reply = holding(state, cmd.deviceId());
    Credential credential = cmd.credential();
    String tokenId = credential == null ? null : credential.tokenId();
    if (state.deviceRecord(cmd.deviceId()).knows(tokenId, cmd.client())) {
      return effect.reply(cmd.replyTo(), reply);
    }
    var signedIn =
        new DeviceSignedIn(
            userId,
            cmd.deviceId(),
            cmd.client(),
            tokenId,
            credential == null ? null : credential.expiresAt(),
            Instant.now());
    return effect.persist(signedIn).thenReply(cmd.replyTo(), s -> reply);
  }

  private Connected holding(State state, String deviceId) {
    long cursor = acks.cursor(state, deviceId);
    Map<String, Visible> visible = new HashMap<>();
    for (ConversationSummary summary : heads.all()) {
      String id = summary.info().conversationId();
      Long position = acks.position(state, deviceId, id);
      long held = position != null ? position : summary.positionWithout(cursor);
      visible.put(
          id, new Visible(summary.visibleAfter(held), summary.lastSeq(), summary.joinedFrom()));
    }
    return new Connected(cursor, visible, state.blocked());
  }

  /**
   * A device's connection ended: its held acks are written with when it left, and presence may end.
   */
  ReplyEffect<Event, State> onDeviceGone(State state, DeviceGone gone) {
    String deviceId = gone.deviceId();
    if (!gone.device().equals(live.ref(deviceId))) return effect.noReply();
    Instant now = Instant.now();
    boolean last = live.detach(deviceId, gone.device(), now);
    List<Event> events = new ArrayList<>(acks.drain(userId, state, deviceId));
    events.add(new DeviceLeft(userId, deviceId, now));
    return afterDetach(last, events, null);
  }

  /**
   * Logs the device out: its connection is told every token is revoked and is let go at once (so
   * that its end writes nothing back), and everything kept of it is dropped with its held acks.
   */
  ReplyEffect<Event, State> onForgetDevice(State state, ForgetDevice cmd) {
    String deviceId = cmd.deviceId();
    acks.drain(userId, state, deviceId);
    ActorRef<DeviceMessage> connection = live.ref(deviceId);
    boolean last = false;
    if (connection != null) {
      connection.tell(Revoked.everyToken());
      last = live.detach(deviceId, connection, Instant.now());
    }
    List<Event> events = new ArrayList<>();
    if (state.knowsDevice(deviceId)) events.add(new DeviceForgotten(userId, deviceId));
    return afterDetach(last, events, cmd.replyTo());
  }

  ReplyEffect<Event, State> onGetDeviceTokens(State state, GetDeviceTokens cmd) {
    String deviceId = cmd.deviceId();
    boolean known = state.knowsDevice(deviceId) || live.connected(deviceId);
    var tokens = new DeviceTokens(known, state.deviceRecord(deviceId).tokens());
    return effect.reply(cmd.replyTo(), tokens);
  }

  /**
   * Writes {@code events} after a connection was let go, and if it was the user's last, the user
   * going offline (at once without a grace, else when the grace is over); {@code replyTo}, if not
   * null, is told Done once written.
   */
  private ReplyEffect<Event, State> afterDetach(
      boolean last, List<Event> events, ActorRef<Done> replyTo) {
    Duration grace = settings.presenceGrace();
    if (last && grace.isZero()) return wentOffline(events, replyTo);
    if (last) timers.startSingleTimer(PresenceGraceOver.INSTANCE, grace);
    if (events.isEmpty()) {
      return replyTo == null ? effect.noReply() : effect.reply(replyTo, Done.getInstance());
    }
    var persisted = effect.persist(events);
    return replyTo == null
        ? persisted.thenNoReply()
        : persisted.thenReply(replyTo, s -> Done.getInstance());
  }

  /** A notice from someone the user blocks goes to none of the user's devices. */
  ReplyEffect<Event, State> onRelay(State state, Relay relay) {
    BlockedNotices.forBlocker(relay.notice(), state.blocked())
        .ifPresent(notice -> tellAll(new Ephemeral(notice)));
    return effect.noReply();
  }

  ReplyEffect<Event, State> onEndRevokedConnections(State state, EndRevokedConnections end) {
    tellAll(new Revoked(end.generation(), end.tokenId(), end.keptTokenId()));
    return effect.noReply();
  }

  ReplyEffect<Event, State> onListDevices(State state, ListDevices cmd) {
    var cursors = acks.cursors(state);
    var ids = new TreeSet<>(cursors.keySet());
    ids.addAll(state.push().keySet());
    ids.addAll(live.deviceIds());
    ids.addAll(state.deviceRecords().keySet());
    List<DeviceView> views = new ArrayList<>(ids.size());
    for (String id : ids) {
      PushRegistration push = state.push().get(id);
      PushKind kind = push == null ? null : push.subscription().kind();
      boolean online = live.connected(id);
      DeviceRecord record = state.deviceRecord(id);
      views.add(
          new DeviceView(
              id,
              online,
              cursors.getOrDefault(id, 0L),
              kind,
              record.client(),
              online ? null : record.lastSeen()));
    }
    return effect.reply(cmd.replyTo(), new Devices(views));
  }

  ReplyEffect<Event, State> onGetPresence(State state, GetPresence cmd) {
    boolean online = live.online();
    var presence = new Notice.Presence(userId, online, online ? null : state.lastSeen());
    return effect.reply(cmd.replyTo(), presence);
  }

  ReplyEffect<Event, State> onPresenceGraceOver(State state, PresenceGraceOver over) {
    return wentOffline(List.of(), null);
  }

  /**
   * Writes {@code before}, and the user going offline if the last device has gone for good; then
   * tells {@code replyTo} Done if it is not null.
   */
  private ReplyEffect<Event, State> wentOffline(List<Event> before, ActorRef<Done> replyTo) {
    Optional<Instant> left = live.graceOver();
    List<Event> events = new ArrayList<>(before);
    left.ifPresent(at -> events.add(new WentOffline(userId, at)));
    if (events.isEmpty()) {
      return replyTo == null ? effect.noReply() : effect.reply(replyTo, Done.getInstance());
    }
    var persisted =
        effect
            .persist(events)
            .thenRun(
                s ->
                    left.ifPresent(
                        at ->
                            signals.presence(
                                new Notice.Presence(userId, false, at), heads.memberOf())));
    return replyTo == null
        ? persisted.thenNoReply()
        : persisted.thenReply(replyTo, s -> Done.getInstance());
  }
}
