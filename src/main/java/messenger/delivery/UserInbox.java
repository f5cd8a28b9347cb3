package messenger.delivery;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.pattern.StatusReply;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.CommandHandlerWithReplyBuilderByState;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import messenger.CborSerializable;
import messenger.ErrorCode;
import messenger.chat.ChatMessage;
import messenger.chat.ConversationInfo;
import messenger.chat.InboxProgress;
import messenger.chat.Notice;
import messenger.chat.Refusal;
import messenger.push.PushKind;

/**
 * One user: profile, the ordered inbox of every message in the user's conversations (dense {@code
 * cursor} from 1), each device's acknowledged cursor, push endpoints, and, not persisted, the live
 * connections of the user's devices ({@link LiveConnections}), to which it pushes each appended
 * message; devices that are not connected hear of it by push ({@link OfflinePush}).
 *
 * <p>Appends are idempotent per (conversation, seq): a conversation that redelivers after a crash
 * never creates a second inbox entry. Catch-up beyond what a connection was pushed is read by the
 * connection itself by replay of this journal, starting at a checkpoint this actor keeps.
 */
public final class UserInbox
    extends EventSourcedBehaviorWithEnforcedReplies<
        UserInbox.Command, UserInbox.Event, UserInbox.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "UserInbox");

  /** Every this many cursors the journal sequence number is remembered, to start replays near. */
  static final int CHECKPOINT_EVERY = 64;

  // ---- protocol ----

  public sealed interface Command extends CborSerializable
      permits Register,
          GetProfile,
          Join,
          Append,
          Connect,
          Locate,
          Ack,
          ListConversations,
          ListDevices,
          RegisterPush,
          UnregisterPush,
          PushEndpointGone,
          SetMuted,
          Relay,
          EndRevokedConnections,
          MarkRead,
          GetPresence,
          DeviceGone,
          PresenceGraceOver {}

  /** Idempotent: the first registration wins, repeats with the same username are Done. */
  public record Register(String username, String displayName, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  public record GetProfile(ActorRef<Profile> replyTo) implements Command {}

  public record Profile(String userId, String username, String displayName, boolean registered)
      implements CborSerializable {}

  /**
   * The user is a member of this conversation from {@code fromSeq} on (1 for its founders). Joining
   * again after leaving moves the inbox's position forward to {@code fromSeq}.
   */
  public record Join(ConversationInfo info, long fromSeq, ActorRef<InboxProgress> replyTo)
      implements Command {}

  public record Append(
      String conversationId, List<ChatMessage> messages, ActorRef<InboxProgress> replyTo)
      implements Command {}

  /**
   * A device's connection attaches (or re-attaches); it gets {@link Deliver}s from now on. One
   * connection per device: the one with the newest {@code connectionId} (time-ordered) wins, and
   * the other is told {@link Replaced}. A device beyond the user's connection limit is {@link
   * Refused}.
   */
  public record Connect(
      String deviceId,
      String connectionId,
      ActorRef<DeviceMessage> device,
      ActorRef<ConnectReply> replyTo)
      implements Command {}

  public sealed interface ConnectReply extends CborSerializable permits Connected, Refused {}

  /**
   * @param replayFromSeqNr a journal sequence number at or before the entry after {@code
   *     ackedCursor}, to start a catch-up replay from
   */
  public record Connected(long ackedCursor, long latestCursor, long replayFromSeqNr)
      implements ConnectReply {}

  /** The user already has {@code limit} other devices connected. */
  public record Refused(int limit) implements ConnectReply {}

  /** Where to start replaying to get the entries after {@code afterCursor}. */
  public record Locate(long afterCursor, ActorRef<Located> replyTo) implements Command {}

  public record Located(long afterCursor, long latestCursor, long replayFromSeqNr)
      implements CborSerializable {}

  /** The device holds every entry up to {@code cursor}. */
  public record Ack(String deviceId, long cursor) implements Command {}

  public record ListConversations(ActorRef<Conversations> replyTo) implements Command {}

  public record Conversations(List<ConversationSummary> conversations)
      implements CborSerializable {}

  public record ListDevices(ActorRef<Devices> replyTo) implements Command {}

  public record Devices(List<DeviceView> devices) implements CborSerializable {}

  /** @param push the kind of the device's push endpoint, or null without one */
  public record DeviceView(String deviceId, boolean online, long ackedCursor, PushKind push)
      implements CborSerializable {}

  /** Replaces the device's push endpoint, if it had one. */
  public record RegisterPush(String deviceId, PushRegistration registration, ActorRef<Done> replyTo)
      implements Command {}

  public record UnregisterPush(String deviceId, ActorRef<Done> replyTo) implements Command {}

  /**
   * The push service no longer knows this endpoint (404/410). It names the endpoint so that a
   * late answer about an old endpoint never removes the device's newer one.
   */
  public record PushEndpointGone(String deviceId, String endpoint) implements Command {}

  /** Turn push notifications of one conversation off or on; refused if the inbox does not know it. */
  public record SetMuted(String conversationId, boolean muted, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  private record DeviceGone(String deviceId, ActorRef<DeviceMessage> device) implements Command {}

  /** The grace after the last device left has passed. */
  private enum PresenceGraceOver implements Command {
    INSTANCE
  }

  /**
   * The user has read the conversation up to {@code seq} (on some device).
   *
   * @param refusedTo told if the user is not in the conversation; may be null
   */
  public record MarkRead(String conversationId, long seq, ActorRef<Refusal> refusedTo)
      implements Command {}

  public record GetPresence(ActorRef<Notice.Presence> replyTo) implements Command {}

  /** Pass a notice on to every connected device of the user (nothing is stored). */
  public record Relay(Notice notice) implements Command {}

  /** Passes {@link Revoked} on to every live connection of the user. */
  public record EndRevokedConnections(int generation, String tokenId) implements Command {}

  /** What the inbox pushes to a connected device. */
  public sealed interface DeviceMessage extends CborSerializable
      permits Deliver, Replaced, Ephemeral, Revoked {}

  /**
   * Tokens of the user were revoked: connections opened with a token of a generation below {@code
   * generation}, or with the token {@code tokenId} (if not null), must end.
   */
  public record Revoked(int generation, String tokenId) implements DeviceMessage {}

  public record Ephemeral(Notice notice) implements DeviceMessage {}

  public record Deliver(List<InboxEntry> entries) implements DeviceMessage {}

  /** A newer connection of the same device took over; this one should close. */
  public record Replaced(String deviceId) implements DeviceMessage {}

  public sealed interface Event extends CborSerializable
      permits UserRegistered,
          ConversationJoined,
          MessageAppended,
          DeviceAcked,
          PushRegistered,
          PushUnregistered,
          ConversationMuted,
          ConversationRead,
          WentOffline {}

  public record UserRegistered(String userId, String username, String displayName, Instant at)
      implements Event {}

  /** @param fromSeq the first seq the inbox holds (0 in events written before groups: read as 1) */
  public record ConversationJoined(String userId, ConversationInfo info, long fromSeq)
      implements Event {}

  public record MessageAppended(String userId, long cursor, ChatMessage message) implements Event {}

  public record DeviceAcked(String userId, String deviceId, long cursor) implements Event {}

  public record PushRegistered(String userId, String deviceId, PushRegistration registration)
      implements Event {}

  public record PushUnregistered(String userId, String deviceId) implements Event {}

  public record ConversationMuted(String userId, String conversationId, boolean muted)
      implements Event {}

  public record ConversationRead(String userId, String conversationId, long seq) implements Event {}

  /** The user's last connected device went away. */
  public record WentOffline(String userId, Instant at) implements Event {}

  // ---- state ----

  /**
   * @param eventCount how many events this state has applied: the journal sequence number of the
   *     last one, which is how checkpoints learn where an entry sits in the journal
   * @param checkpoints cursor to journal sequence number, every {@link #CHECKPOINT_EVERY} cursors
   */
  public record State(
      String username,
      String displayName,
      long lastCursor,
      long eventCount,
      TreeMap<Long, Long> checkpoints,
      Map<String, Long> devices,
      Map<String, ConversationSummary> conversations,
      Map<String, PushRegistration> push,
      Instant lastSeen)
      implements CborSerializable {

    static State empty() {
      return new State("", "", 0, 0, new TreeMap<>(), Map.of(), Map.of(), Map.of(), null);
    }

    boolean registered() {
      return !username.isEmpty();
    }

    long ackedCursor(String deviceId) {
      return devices.getOrDefault(deviceId, 0L);
    }

    long replayFrom(long afterCursor) {
      var checkpoint = checkpoints.floorEntry(afterCursor + 1);
      return checkpoint == null ? 1 : checkpoint.getValue();
    }

    /** The conversations the user is a member of now. */
    List<ConversationInfo> memberOf() {
      List<ConversationInfo> infos = new ArrayList<>();
      for (ConversationSummary summary : conversations.values()) {
        if (!summary.left()) infos.add(summary.info());
      }
      return infos;
    }

    // Every event is counted before it is applied.

    State counted() {
      return withLog(lastCursor, eventCount + 1, checkpoints);
    }

    State registered(UserRegistered e) {
      return withUser(e.username(), e.displayName(), lastSeen);
    }

    State joined(ConversationJoined e) {
      long fromSeq = Math.max(1, e.fromSeq());
      var convs = new HashMap<>(conversations);
      convs.merge(
          e.info().conversationId(),
          ConversationSummary.joined(e.info(), fromSeq),
          (known, fresh) -> known.rejoined(e.info(), fromSeq));
      return withMaps(devices, convs, push);
    }

    State appended(MessageAppended e) {
      TreeMap<Long, Long> marks = checkpoints;
      if ((e.cursor() - 1) % CHECKPOINT_EVERY == 0) {
        marks = new TreeMap<>(checkpoints);
        marks.put(e.cursor(), eventCount);
      }
      return withLog(e.cursor(), eventCount, marks)
          .withConversation(
              e.message().conversationId(), s -> s.append(e.userId(), e.cursor(), e.message()));
    }

    State acked(DeviceAcked e) {
      var devs = new HashMap<>(devices);
      devs.put(e.deviceId(), e.cursor());
      var convs = new HashMap<>(conversations);
      // A conversation whose last entry the device now holds is delivered up to that entry.
      convs.replaceAll((id, s) -> s.lastCursor() <= e.cursor() ? s.deliveredUpTo(s.lastSeq()) : s);
      return withMaps(devs, convs, push);
    }

    State read(ConversationRead e) {
      return withConversation(e.conversationId(), s -> s.readUpTo(e.seq()));
    }

    State muted(ConversationMuted e) {
      return withConversation(e.conversationId(), s -> s.muted(e.muted()));
    }

    State pushRegistered(PushRegistered e) {
      var endpoints = new HashMap<>(push);
      endpoints.put(e.deviceId(), e.registration());
      return withMaps(devices, conversations, endpoints);
    }

    State pushUnregistered(PushUnregistered e) {
      var endpoints = new HashMap<>(push);
      endpoints.remove(e.deviceId());
      return withMaps(devices, conversations, endpoints);
    }

    State wentOffline(WentOffline e) {
      return withUser(username, displayName, e.at());
    }

    private State withConversation(String id, UnaryOperator<ConversationSummary> change) {
      var convs = new HashMap<>(conversations);
      convs.computeIfPresent(id, (key, summary) -> change.apply(summary));
      return withMaps(devices, convs, push);
    }

    private State withUser(String username, String displayName, Instant lastSeen) {
      return new State(
          username,
          displayName,
          lastCursor,
          eventCount,
          checkpoints,
          devices,
          conversations,
          push,
          lastSeen);
    }

    private State withLog(long lastCursor, long eventCount, TreeMap<Long, Long> checkpoints) {
      return new State(
          username,
          displayName,
          lastCursor,
          eventCount,
          checkpoints,
          devices,
          conversations,
          push,
          lastSeen);
    }

    private State withMaps(
        Map<String, Long> devices,
        Map<String, ConversationSummary> conversations,
        Map<String, PushRegistration> push) {
      return new State(
          username,
          displayName,
          lastCursor,
          eventCount,
          checkpoints,
          devices,
          conversations,
          push,
          lastSeen);
    }
  }

  // ---- behaviour ----

  public static void init(
      ActorSystem<?> system, DeliverySettings settings, PushNotifier push, InboxSignals signals) {
    ClusterSharding.get(system)
        .init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), settings, push, signals)));
  }

  public static Behavior<Command> create(
      String userId, DeliverySettings settings, PushNotifier push, InboxSignals signals) {
    return Behaviors.withTimers(
        timers ->
            Behaviors.setup(ctx -> new UserInbox(userId, settings, push, signals, ctx, timers)));
  }

  private final String userId;
  private final DeliverySettings settings;
  private final PushNotifier pushNotifier;
  private final InboxSignals signals;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final LiveConnections<ActorRef<DeviceMessage>> live;

  private UserInbox(
      String userId,
      DeliverySettings settings,
      PushNotifier push,
      InboxSignals signals,
      ActorContext<Command> context,
      TimerScheduler<Command> timers) {
    super(
        PersistenceId.of(ENTITY_KEY.name(), userId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.userId = userId;
    this.settings = settings;
    this.pushNotifier = push;
    this.signals = signals;
    this.context = context;
    this.timers = timers;
    this.live = new LiveConnections<>(settings.maxConnectionsPerUser());
  }

  @Override
  public State emptyState() {
    return State.empty();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(500, 2);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return profile()
        .orElse(inboxLog())
        .orElse(devices())
        .orElse(presence())
        .orElse(push())
        .orElse(conversations())
        .build();
  }

  // -- profile --

  private CommandHandlerWithReplyBuilderByState<Command, Event, State, State> profile() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Register.class, this::onRegister)
        .onCommand(GetProfile.class, this::onGetProfile);
  }

  private ReplyEffect<Event, State> onRegister(State state, Register cmd) {
    if (state.registered()) {
      return state.username().equals(cmd.username())
          ? Effect().reply(cmd.replyTo(), StatusReply.ack())
          : Effect().reply(cmd.replyTo(), StatusReply.error(ErrorCode.USERNAME_TAKEN.wire()));
    }
    return Effect()
        .persist(new UserRegistered(userId, cmd.username(), cmd.displayName(), Instant.now()))
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onGetProfile(State state, GetProfile cmd) {
    var profile = new Profile(userId, state.username(), state.displayName(), state.registered());
    return Effect().reply(cmd.replyTo(), profile);
  }

  // -- the inbox log: joins, appends, checkpoints, acks --

  private CommandHandlerWithReplyBuilderByState<Command, Event, State, State> inboxLog() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Join.class, this::onJoin)
        .onCommand(Append.class, this::onAppend)
        .onCommand(Locate.class, this::onLocate)
        .onCommand(Ack.class, this::onAck);
  }

  private ReplyEffect<Event, State> onJoin(State state, Join cmd) {
    String conversationId = cmd.info().conversationId();
    ConversationSummary known = state.conversations().get(conversationId);
    if (known != null && known.lastSeq() >= Math.max(0, cmd.fromSeq() - 1)) {
      return Effect().reply(cmd.replyTo(), progress(conversationId, known.lastSeq()));
    }
    return Effect()
        .persist(new ConversationJoined(userId, cmd.info(), cmd.fromSeq()))
        .thenReply(
            cmd.replyTo(),
            s -> progress(conversationId, s.conversations().get(conversationId).lastSeq()));
  }

  private ReplyEffect<Event, State> onAppend(State state, Append cmd) {
    String conversationId = cmd.conversationId();
    ConversationSummary known = state.conversations().get(conversationId);
    if (known == null) {
      return Effect().reply(cmd.replyTo(), progress(conversationId, InboxProgress.NOT_JOINED));
    }
    List<ChatMessage> next = known.following(cmd.messages());
    long lastSeq = known.lastSeq() + next.size();
    if (next.isEmpty()) return Effect().reply(cmd.replyTo(), progress(conversationId, lastSeq));
    List<Event> events = new ArrayList<>(next.size());
    List<InboxEntry> entries = new ArrayList<>(next.size());
    long cursor = state.lastCursor();
    for (ChatMessage message : next) {
      events.add(new MessageAppended(userId, ++cursor, message));
      entries.add(new InboxEntry(cursor, message));
    }
    return Effect()
        .persist(events)
        .thenRun(s -> deliver(s, entries))
        .thenReply(cmd.replyTo(), s -> progress(conversationId, lastSeq));
  }

  /** Pushes the new entries to every connected device and notifies the others that can be. */
  private void deliver(State state, List<InboxEntry> entries) {
    for (int from = 0; from < entries.size(); from += settings.batchSize()) {
      int to = Math.min(entries.size(), from + settings.batchSize());
      tellConnections(new Deliver(List.copyOf(entries.subList(from, to))));
    }
    ChatMessage latest = entries.get(entries.size() - 1).message();
    for (var push : OfflinePush.notifications(userId, state, latest, live.deviceIds())) {
      pushNotifier.notify(userId, push.deviceId(), push.subscription(), push.notification());
    }
  }

  private ReplyEffect<Event, State> onLocate(State state, Locate cmd) {
    long after = Math.max(0, Math.min(cmd.afterCursor(), state.lastCursor()));
    var located = new Located(after, state.lastCursor(), state.replayFrom(after));
    return Effect().reply(cmd.replyTo(), located);
  }

  private ReplyEffect<Event, State> onAck(State state, Ack cmd) {
    long cursor = Math.min(cmd.cursor(), state.lastCursor());
    if (cursor <= state.ackedCursor(cmd.deviceId())) return Effect().noReply();
    return Effect()
        .persist(new DeviceAcked(userId, cmd.deviceId(), cursor))
        .thenRun(after -> signalDelivered(state, after))
        .thenNoReply();
  }

  private void signalDelivered(State before, State after) {
    after
        .conversations()
        .forEach(
            (id, summary) -> {
              ConversationSummary was = before.conversations().get(id);
              if (was != null && summary.deliveredSeq() > was.deliveredSeq()) {
                signals.receipt(
                    new Notice.Receipt(id, userId, Notice.Kind.DELIVERED, summary.deliveredSeq()));
              }
            });
  }

  // -- devices: live connections, what they are told, the device list --

  private CommandHandlerWithReplyBuilderByState<Command, Event, State, State> devices() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Connect.class, this::onConnect)
        .onCommand(DeviceGone.class, this::onDeviceGone)
        .onCommand(Relay.class, this::onRelay)
        .onCommand(EndRevokedConnections.class, this::onEndRevokedConnections)
        .onCommand(ListDevices.class, this::onListDevices);
  }

  private ReplyEffect<Event, State> onConnect(State state, Connect cmd) {
    var attach = live.attach(cmd.deviceId(), cmd.connectionId(), cmd.device());
    if (attach.replaced() != null) attach.replaced().tell(new Replaced(cmd.deviceId()));
    return switch (attach.outcome()) {
      case REFUSED -> Effect().reply(cmd.replyTo(), new Refused(settings.maxConnectionsPerUser()));
      case OUTDATED -> Effect().noReply();
      case ALREADY_ATTACHED -> connected(state, cmd);
      case ATTACHED -> watched(state, cmd);
      case CAME_ONLINE -> {
        signals.presence(new Notice.Presence(userId, true, null), state.memberOf());
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
    long acked = state.ackedCursor(cmd.deviceId());
    var connected = new Connected(acked, state.lastCursor(), state.replayFrom(acked));
    return Effect().reply(cmd.replyTo(), connected);
  }

  private ReplyEffect<Event, State> onDeviceGone(State state, DeviceGone gone) {
    if (!live.detach(gone.deviceId(), gone.device(), Instant.now())) return Effect().noReply();
    Duration grace = settings.presenceGrace();
    if (grace.isZero()) return onPresenceGraceOver(state, PresenceGraceOver.INSTANCE);
    timers.startSingleTimer(PresenceGraceOver.INSTANCE, grace);
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> onRelay(Relay relay) {
    tellConnections(new Ephemeral(relay.notice()));
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> onEndRevokedConnections(EndRevokedConnections end) {
    tellConnections(new Revoked(end.generation(), end.tokenId()));
    return Effect().noReply();
  }

  private void tellConnections(DeviceMessage message) {
    live.refs().forEach(device -> device.tell(message));
  }

  private ReplyEffect<Event, State> onListDevices(State state, ListDevices cmd) {
    var ids = new TreeSet<>(state.devices().keySet());
    ids.addAll(state.push().keySet());
    ids.addAll(live.deviceIds());
    List<DeviceView> views = new ArrayList<>(ids.size());
    for (String id : ids) {
      PushRegistration push = state.push().get(id);
      PushKind kind = push == null ? null : push.subscription().kind();
      views.add(new DeviceView(id, live.connected(id), state.ackedCursor(id), kind));
    }
    return Effect().reply(cmd.replyTo(), new Devices(views));
  }

  // -- presence: online while connected and for a grace after --

  private CommandHandlerWithReplyBuilderByState<Command, Event, State, State> presence() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(GetPresence.class, this::onGetPresence)
        .onCommand(PresenceGraceOver.class, this::onPresenceGraceOver);
  }

  private ReplyEffect<Event, State> onGetPresence(State state, GetPresence cmd) {
    boolean online = live.online();
    var presence = new Notice.Presence(userId, online, online ? null : state.lastSeen());
    return Effect().reply(cmd.replyTo(), presence);
  }

  private ReplyEffect<Event, State> onPresenceGraceOver(State state, PresenceGraceOver over) {
    Optional<Instant> left = live.graceOver();
    if (left.isEmpty()) return Effect().noReply();
    Instant at = left.get();
    return Effect()
        .persist(new WentOffline(userId, at))
        .thenRun(s -> signals.presence(new Notice.Presence(userId, false, at), s.memberOf()))
        .thenNoReply();
  }

  // -- push endpoints --

  private CommandHandlerWithReplyBuilderByState<Command, Event, State, State> push() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(RegisterPush.class, this::onRegisterPush)
        .onCommand(UnregisterPush.class, this::onUnregisterPush)
        .onCommand(PushEndpointGone.class, this::onPushEndpointGone);
  }

  private ReplyEffect<Event, State> onRegisterPush(State state, RegisterPush cmd) {
    if (cmd.registration().equals(state.push().get(cmd.deviceId()))) {
      return Effect().reply(cmd.replyTo(), Done.getInstance());
    }
    return Effect()
        .persist(new PushRegistered(userId, cmd.deviceId(), cmd.registration()))
        .thenReply(cmd.replyTo(), s -> Done.getInstance());
  }

  private ReplyEffect<Event, State> onUnregisterPush(State state, UnregisterPush cmd) {
    if (!state.push().containsKey(cmd.deviceId())) {
      return Effect().reply(cmd.replyTo(), Done.getInstance());
    }
    return Effect()
        .persist(new PushUnregistered(userId, cmd.deviceId()))
        .thenReply(cmd.replyTo(), s -> Done.getInstance());
  }

  private ReplyEffect<Event, State> onPushEndpointGone(State state, PushEndpointGone cmd) {
    PushRegistration current = state.push().get(cmd.deviceId());
    if (current == null || !current.subscription().endpoint().equals(cmd.endpoint())) {
      return Effect().noReply();
    }
    return Effect().persist(new PushUnregistered(userId, cmd.deviceId())).thenNoReply();
  }

  // -- conversations: the list, mute, read markers --

  private CommandHandlerWithReplyBuilderByState<Command, Event, State, State> conversations() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(ListConversations.class, this::onListConversations)
        .onCommand(SetMuted.class, this::onSetMuted)
        .onCommand(MarkRead.class, this::onMarkRead);
  }

  private ReplyEffect<Event, State> onListConversations(State state, ListConversations cmd) {
    List<ConversationSummary> list =
        state.conversations().values().stream()
            .sorted(Comparator.comparing(ConversationSummary::lastActivity).reversed())
            .toList();
    return Effect().reply(cmd.replyTo(), new Conversations(list));
  }

  private ReplyEffect<Event, State> onSetMuted(State state, SetMuted cmd) {
    ConversationSummary known = state.conversations().get(cmd.conversationId());
    if (known == null) {
      // Not in it, whether or not it exists: the inbox cannot tell, nor need the caller know.
      return Effect().reply(cmd.replyTo(), StatusReply.error(ErrorCode.NOT_MEMBER.wire()));
    }
    if (known.muted() == cmd.muted()) return Effect().reply(cmd.replyTo(), StatusReply.ack());
    return Effect()
        .persist(new ConversationMuted(userId, cmd.conversationId(), cmd.muted()))
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onMarkRead(State state, MarkRead cmd) {
    ConversationSummary known = state.conversations().get(cmd.conversationId());
    if (known == null) {
      if (cmd.refusedTo() != null) {
        cmd.refusedTo().tell(new Refusal(cmd.conversationId(), ErrorCode.NOT_MEMBER));
      }
      return Effect().noReply();
    }
    long seq = Math.min(cmd.seq(), known.lastSeq());
    if (seq <= known.readSeq()) return Effect().noReply();
    var receipt = new Notice.Receipt(cmd.conversationId(), userId, Notice.Kind.READ, seq);
    return Effect()
        .persist(new ConversationRead(userId, cmd.conversationId(), seq))
        .thenRun(s -> signals.receipt(receipt))
        .thenNoReply();
  }

  private InboxProgress progress(String conversationId, long lastSeq) {
    return new InboxProgress(userId, conversationId, lastSeq);
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(UserRegistered.class, (state, e) -> state.counted().registered(e))
        .onEvent(ConversationJoined.class, (state, e) -> state.counted().joined(e))
        .onEvent(MessageAppended.class, (state, e) -> state.counted().appended(e))
        .onEvent(DeviceAcked.class, (state, e) -> state.counted().acked(e))
        .onEvent(PushRegistered.class, (state, e) -> state.counted().pushRegistered(e))
        .onEvent(PushUnregistered.class, (state, e) -> state.counted().pushUnregistered(e))
        .onEvent(ConversationMuted.class, (state, e) -> state.counted().muted(e))
        .onEvent(ConversationRead.class, (state, e) -> state.counted().read(e))
        .onEvent(WentOffline.class, (state, e) -> state.counted().wentOffline(e))
        .build();
  }
}
