package messenger.delivery;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.pattern.StatusReply;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.CommandHandlerWithReplyBuilderByState;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.RetentionCriteria;
import akka.persistence.typed.javadsl.SignalHandler;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import messenger.CborSerializable;
import messenger.chat.ChatMessage;
import messenger.chat.ConversationInfo;
import messenger.chat.InboxProgress;
import messenger.chat.Notice;
import messenger.chat.Refusal;
import messenger.push.PushKind;
import messenger.storage.EntityRestarts;

/**
 * One user: profile, where each of the user's conversations stands for them (joined from, read up
 * to, muted, the head it has heard of: {@link ConversationSummary}), each device's acknowledged
 * position per conversation, push endpoints, and, not persisted, the live connections of the user's
 * devices ({@link LiveConnections}), to which it pushes each message it hears of; devices that are
 * not connected hear of it by push ({@link OfflinePush}).
 *
 * <p>Fan-out on read (docs/architecture.md): the conversation's log is the only durable copy of a
 * message. A conversation tells the inbox of its new messages ({@link Append}); the inbox writes
 * nothing for them, moves its summaries in memory ({@link InboxHeads}), pushes them to the live
 * connections and answers at once. Its summaries and the devices' acks are written coalesced. A
 * connection catches up by reading the conversations' logs from the device's positions, which
 * {@link ConnectReply.Connected} gives it. A restarted inbox first reads where its conversations
 * stand ({@link InboxStart}); until then it stashes what it is asked.
 *
 * <p>This file is the entity's table of contents: its protocol, its state and the handler groups.
 * Each group's handlers sit beside it ({@link InboxTimeline}, {@link InboxDevices}, {@link
 * InboxPushEndpoints}, {@link InboxConversations}, {@link InboxAcks}), and how each event changes
 * the state is {@link InboxStateChanges}.
 */
public final class UserInbox
    extends EventSourcedBehaviorWithEnforcedReplies<
        UserInbox.Command, UserInbox.Event, UserInbox.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "UserInbox");

  // ---- protocol ----

  public sealed interface Command extends CborSerializable
      permits Register,
          GetProfile,
          Join,
          Append,
          Connect,
          Ack,
          ListConversations,
          ListDevices,
          GetDeviceTokens,
          ForgetDevice,
          ChangeDisplayName,
          CloseUser,
          RegisterPush,
          UnregisterPush,
          PushEndpointGone,
          SetMuted,
          Relay,
          EndRevokedConnections,
          MarkRead,
          GetPresence,
          SetBlocking,
          InboxInternal.DeviceGone,
          InboxInternal.PresenceGraceOver,
          InboxInternal.FlushAcks,
          InboxInternal.ReadHeads,
          InboxInternal.HeadsCaughtUp,
          InboxInternal.Stop {}

  /** Idempotent: the first registration wins, repeats with the same username are Done. */
  public record Register(String username, String displayName, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  public record GetProfile(ActorRef<Profile> replyTo) implements Command {}

  /**
   * @param closed the user closed their account: {@code displayName} is {@link #CLOSED_NAME}, the
   *     username empty, and {@code registered} false
   */
  public record Profile(
      String userId, String username, String displayName, boolean registered, boolean closed)
      implements CborSerializable {}

  /** What others see of a user who closed their account. */
  public static final String CLOSED_NAME = "Deleted user";

  /**
   * The user closed their account: their devices, push endpoints, device records, positions and
   * profile are dropped (the name becomes {@link #CLOSED_NAME}), their connections end. Answered
   * with the groups they are still a member of, for the closure to leave; again on a repeat.
   */
  public record CloseUser(ActorRef<ClosedUser> replyTo) implements Command {}

  public record ClosedUser(List<String> groups) implements CborSerializable {
    public ClosedUser {
      groups = List.copyOf(groups);
    }
  }

  /** The display name shown to contacts (already validated); refused if not registered. */
  public record ChangeDisplayName(String displayName, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

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
   * A device's connection attaches (or re-attaches); it gets {@link DeviceMessage.Deliver}s from
   * now on. One connection per device: the one with the newest {@code connectionId} (time-ordered)
   * wins, and the other is told {@link DeviceMessage.Replaced}. A device beyond the user's
   * connection limit is {@link ConnectReply.Refused}.
   */
  public record Connect(
      String deviceId,
      String connectionId,
      ActorRef<DeviceMessage> device,
      ActorRef<ConnectReply> replyTo,
      Credential credential,
      String client)
      implements Command {}

  /**
   * The device holds every entry up to {@code cursor} and, per conversation, every entry up to the
   * seq in {@code positions}.
   */
  public record Ack(String deviceId, long cursor, Map<String, Long> positions) implements Command {}

  public record ListConversations(ActorRef<Conversations> replyTo) implements Command {}

  public record Conversations(List<ConversationSummary> conversations)
      implements CborSerializable {}

  public record ListDevices(ActorRef<Devices> replyTo) implements Command {}

  public record Devices(List<DeviceView> devices) implements CborSerializable {}

  /**
   * @param push the kind of the device's push endpoint, or null without one
   * @param client the label its client gave, or null
   * @param lastSeen when its last connection ended, or null (connected, or not known)
   */
  public record DeviceView(
      String deviceId,
      boolean online,
      long ackedCursor,
      PushKind push,
      String client,
      Instant lastSeen)
      implements CborSerializable {}

  /** Which tokens the device connected with, to revoke them before it is forgotten. */
  public record GetDeviceTokens(String deviceId, ActorRef<DeviceTokens> replyTo)
      implements Command {}

  /**
   * @param known whether the inbox knows the device at all (a cursor, push endpoint, connection or
   *     record)
   */
  public record DeviceTokens(boolean known, Map<String, Instant> tokens)
      implements CborSerializable {}

  /**
   * The device is logged out: its connection is ended, and its cursor, positions, push endpoint and
   * record are dropped. Done at once if the inbox does not know it.
   */
  public record ForgetDevice(String deviceId, ActorRef<Done> replyTo) implements Command {}

  /** Replaces the device's push endpoint, if it had one. */
  public record RegisterPush(String deviceId, PushRegistration registration, ActorRef<Done> replyTo)
      implements Command {}

  public record UnregisterPush(String deviceId, ActorRef<Done> replyTo) implements Command {}

  /**
   * The push service no longer knows this endpoint (404/410). It names the endpoint so that a late
   * answer about an old endpoint never removes the device's newer one.
   */
  public record PushEndpointGone(String deviceId, String endpoint) implements Command {}

  /**
   * Turn push notifications of one conversation off or on; refused if the inbox does not know it.
   */
  public record SetMuted(String conversationId, boolean muted, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

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

  /**
   * The user now blocks (or no longer blocks) {@code otherId}: from now on the user's devices get
   * no typing, presence or receipts from them, no push for their messages, and their messages
   * flagged ({@link DeviceMessage.Blocking}). Told by the block service after the block list stored
   * it; answered once written, so that the block holds on open connections and across restarts.
   */
  public record SetBlocking(String otherId, boolean blocked, ActorRef<Done> replyTo)
      implements Command {}

  /** Passes {@link DeviceMessage.Revoked} on to every live connection of the user. */
  public record EndRevokedConnections(int generation, String tokenId, String keptTokenId)
      implements Command {}

  public sealed interface Event extends CborSerializable
      permits UserRegistered,
          ConversationJoined,
          MessageAppended,
          DeviceAcked,
          PushRegistered,
          PushUnregistered,
          ConversationMuted,
          ConversationRead,
          ConversationsNoted,
          WentOffline,
          DeviceSignedIn,
          DeviceLeft,
          DeviceForgotten,
          DisplayNameChanged,
          UserClosed,
          BlockingChanged {}

  public record UserRegistered(String userId, String username, String displayName, Instant at)
      implements Event {}

  /**
   * @param fromSeq the first seq the inbox holds (0 in events written before groups: read as 1)
   */
  public record ConversationJoined(String userId, ConversationInfo info, long fromSeq)
      implements Event {}

  /**
   * An entry of the inbox journal of before fan-out on read (docs/architecture.md); never written
   * now, still replayed.
   */
  public record MessageAppended(String userId, long cursor, ChatMessage message) implements Event {}

  /**
   * The summaries of conversations that moved since the last such event, as the inbox has them in
   * memory ({@link InboxHeads}): written coalesced, with the device acks.
   */
  public record ConversationsNoted(String userId, List<ConversationSummary> summaries)
      implements Event {
    public ConversationsNoted {
      summaries = List.copyOf(summaries);
    }
  }

  /**
   * @param positions the conversations whose position for the device moved, to the seq it holds
   *     (absent in events written before positions: read as none)
   */
  public record DeviceAcked(
      String userId, String deviceId, long cursor, Map<String, Long> positions) implements Event {
    public DeviceAcked {
      positions = positions == null ? Map.of() : Map.copyOf(positions);
    }
  }

  public record PushRegistered(String userId, String deviceId, PushRegistration registration)
      implements Event {}

  public record PushUnregistered(String userId, String deviceId) implements Event {}

  public record ConversationMuted(String userId, String conversationId, boolean muted)
      implements Event {}

  public record ConversationRead(String userId, String conversationId, long seq) implements Event {}

  /** The user's last connected device went away. */
  public record WentOffline(String userId, Instant at) implements Event {}

  /**
   * A device connected with a token or label the inbox had not seen for it.
   *
   * @param tokenId null for a token without an id
   */
  public record DeviceSignedIn(
      String userId,
      String deviceId,
      String client,
      String tokenId,
      Instant tokenExpiresAt,
      Instant at)
      implements Event {}

  /** A device's connection ended. */
  public record DeviceLeft(String userId, String deviceId, Instant at) implements Event {}

  /** The device was logged out: everything the inbox kept of it is gone. */
  public record DeviceForgotten(String userId, String deviceId) implements Event {}

  public record DisplayNameChanged(String userId, String displayName) implements Event {}

  /** The user closed their account. */
  public record UserClosed(String userId, Instant at) implements Event {}

  /** The user blocked {@code otherId} (or unblocked, {@code blocked == false}). */
  public record BlockingChanged(String userId, String otherId, boolean blocked) implements Event {}

  // ---- state ----

  /**
   * @param lastCursor the last cursor of the inbox journal of before (only {@link MessageAppended}
   *     moves it)
   * @param devices each device's highest acknowledged cursor
   * @param conversations each conversation's summary as last written (the live ones are {@link
   *     InboxHeads})
   * @param positions each device's acknowledged seq per conversation
   * @param deviceRecords each device's label, last connection and tokens, for the device list
   * @param closed the user closed their account (absent in snapshots from before: false)
   * @param blocked the users this user blocks (a copy of the block list's, for delivery)
   */
  public record State(
      String username,
      String displayName,
      long lastCursor,
      Map<String, Long> devices,
      Map<String, ConversationSummary> conversations,
      Map<String, PushRegistration> push,
      Instant lastSeen,
      Map<String, Map<String, Long>> positions,
      Map<String, DeviceRecord> deviceRecords,
      boolean closed,
      Set<String> blocked)
      implements CborSerializable {

    public State {
      // Absent in snapshots taken before positions, device records and blocks.
      if (positions == null) positions = Map.of();
      if (deviceRecords == null) deviceRecords = Map.of();
      blocked = blocked == null ? Set.of() : Set.copyOf(blocked);
    }

    static State empty() {
      return new State(
          "", "", 0, Map.of(), Map.of(), Map.of(), null, Map.of(), Map.of(), false, Set.of());
    }

    DeviceRecord deviceRecord(String deviceId) {
      return deviceRecords.getOrDefault(deviceId, DeviceRecord.NONE);
    }

    /** Whether the inbox knows anything of the device beyond a live connection. */
    boolean knowsDevice(String deviceId) {
      return devices.containsKey(deviceId)
          || push.containsKey(deviceId)
          || positions.containsKey(deviceId)
          || deviceRecords.containsKey(deviceId);
    }

    boolean registered() {
      return !username.isEmpty();
    }

    long ackedCursor(String deviceId) {
      return devices.getOrDefault(deviceId, 0L);
    }

    /** The seq the device has acknowledged in the conversation, or null if none. */
    Long position(String deviceId, String conversationId) {
      return positions.getOrDefault(deviceId, Map.of()).get(conversationId);
    }
  }

  // ---- behaviour ----

  public static void init(
      ActorSystem<?> system,
      DeliverySettings settings,
      PushNotifier push,
      InboxSignals signals,
      InboxReads reads) {
    ClusterSharding.get(system)
        .init(
            Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), settings, push, signals, reads))
                .withStopMessage(InboxInternal.Stop.INSTANCE));
  }

  public static Behavior<Command> create(
      String userId,
      DeliverySettings settings,
      PushNotifier push,
      InboxSignals signals,
      InboxReads reads) {
    return Behaviors.withTimers(
        timers ->
            Behaviors.setup(
                ctx -> new UserInbox(userId, settings, push, signals, reads, ctx, timers)));
  }

  private final InboxHeads heads;
  private final InboxStart start;
  private final InboxTimeline timeline;
  private final InboxAcks acks;
  private final InboxDevices devices;
  private final InboxPushEndpoints pushEndpoints;
  private final InboxProfile profile;
  private final InboxConversations conversations;
  private final InboxClosure closure;
  private final InboxBlocks blocks;

  private UserInbox(
      String userId,
      DeliverySettings settings,
      PushNotifier push,
      InboxSignals signals,
      InboxReads reads,
      ActorContext<Command> context,
      TimerScheduler<Command> timers) {
    super(PersistenceId.of(ENTITY_KEY.name(), userId), EntityRestarts.onJournalFailure());
    PendingAcks pendingAcks = new PendingAcks();
    this.heads = new InboxHeads(userId);
    this.devices =
        new InboxDevices(userId, Effect(), settings, signals, pendingAcks, heads, context, timers);
    this.acks =
        new InboxAcks(
            userId, Effect(), pendingAcks, heads, signals, timers, settings.ackFlushInterval());
    this.timeline = new InboxTimeline(userId, Effect(), settings, push, heads, devices, acks);
    this.start = new InboxStart(Effect(), reads, heads, acks, timeline, context, timers);
    this.pushEndpoints = new InboxPushEndpoints(userId, Effect());
    this.profile = new InboxProfile(userId, Effect());
    this.conversations = new InboxConversations(userId, Effect(), signals, heads);
    this.closure = new InboxClosure(userId, Effect(), heads, devices);
    this.blocks = new InboxBlocks(userId, Effect(), heads, devices);
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
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(
            RecoveryCompleted.instance(),
            state -> {
              blocks.recovered(state);
              start.recovered(state);
            })
        .build();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return starting()
        .orElse(profile())
        .orElse(inboxLog())
        .orElse(devices())
        .orElse(push())
        .orElse(conversations())
        .orElse(blocking())
        .build();
  }

  // -- starting: until the summaries are caught up with the logs, everything else waits --

  private CommandHandlerWithReplyBuilderByState<Command, Event, State, State> starting() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(InboxInternal.ReadHeads.class, start::onReadHeads)
        .onCommand(InboxInternal.HeadsCaughtUp.class, start::onCaughtUp)
        .onCommand(command -> start.waiting(command), (state, command) -> Effect().stash());
  }

  // -- profile --

  private CommandHandlerWithReplyBuilderByState<Command, Event, State, State> profile() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Register.class, profile::onRegister)
        .onCommand(GetProfile.class, profile::onGetProfile)
        .onCommand(ChangeDisplayName.class, profile::onChangeDisplayName)
        .onCommand(CloseUser.class, closure::onCloseUser)
        .onCommand(InboxInternal.Stop.class, acks::onStop);
  }

  // -- the timeline: joins, messages heard of (nothing written), acks and summaries (coalesced) --

  private CommandHandlerWithReplyBuilderByState<Command, Event, State, State> inboxLog() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Join.class, timeline::onJoin)
        .onCommand(Append.class, timeline::onAppend)
        .onCommand(Ack.class, acks::onAck)
        .onCommand(InboxInternal.FlushAcks.class, acks::onFlush);
  }

  // -- devices: live connections, what they are told, the device list, presence --

  private CommandHandlerWithReplyBuilderByState<Command, Event, State, State> devices() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Connect.class, devices::onConnect)
        .onCommand(InboxInternal.DeviceGone.class, devices::onDeviceGone)
        .onCommand(Relay.class, devices::onRelay)
        .onCommand(EndRevokedConnections.class, devices::onEndRevokedConnections)
        .onCommand(ListDevices.class, devices::onListDevices)
        .onCommand(GetDeviceTokens.class, devices::onGetDeviceTokens)
        .onCommand(ForgetDevice.class, devices::onForgetDevice)
        .onCommand(GetPresence.class, devices::onGetPresence)
        .onCommand(InboxInternal.PresenceGraceOver.class, devices::onPresenceGraceOver);
  }

  // -- push endpoints --

  private CommandHandlerWithReplyBuilderByState<Command, Event, State, State> push() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(RegisterPush.class, pushEndpoints::onRegister)
        .onCommand(UnregisterPush.class, pushEndpoints::onUnregister)
        .onCommand(PushEndpointGone.class, pushEndpoints::onGone);
  }

  // -- conversations: the list, mute, read markers --

  private CommandHandlerWithReplyBuilderByState<Command, Event, State, State> conversations() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(ListConversations.class, conversations::onList)
        .onCommand(SetMuted.class, conversations::onSetMuted)
        .onCommand(MarkRead.class, conversations::onMarkRead);
  }

  // -- blocking: whom the user's devices hear nothing from but flagged messages --

  private CommandHandlerWithReplyBuilderByState<Command, Event, State, State> blocking() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(SetBlocking.class, blocks::onSetBlocking);
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(UserRegistered.class, InboxStateChanges::registered)
        .onEvent(ConversationJoined.class, InboxStateChanges::joined)
        .onEvent(MessageAppended.class, InboxStateChanges::appended)
        .onEvent(DeviceAcked.class, InboxStateChanges::acked)
        .onEvent(PushRegistered.class, InboxStateChanges::pushRegistered)
        .onEvent(PushUnregistered.class, InboxStateChanges::pushUnregistered)
        .onEvent(ConversationMuted.class, InboxStateChanges::muted)
        .onEvent(ConversationRead.class, InboxStateChanges::read)
        .onEvent(ConversationsNoted.class, InboxStateChanges::noted)
        .onEvent(WentOffline.class, InboxStateChanges::wentOffline)
        .onEvent(DeviceSignedIn.class, InboxStateChanges::deviceSignedIn)
        .onEvent(DeviceLeft.class, InboxStateChanges::deviceLeft)
        .onEvent(DeviceForgotten.class, InboxStateChanges::deviceForgotten)
        .onEvent(DisplayNameChanged.class, InboxStateChanges::displayNameChanged)
        .onEvent(UserClosed.class, InboxStateChanges::closed)
        .onEvent(BlockingChanged.class, InboxStateChanges::blockingChanged)
        .build();
  }
}
