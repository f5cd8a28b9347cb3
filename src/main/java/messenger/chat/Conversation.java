package messenger.chat;

import static messenger.ErrorCode.NOT_FOUND;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.ClusterShardingSettings;
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
import com.fasterxml.uuid.Generators;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import messenger.CborSerializable;
import messenger.ErrorCode;
import messenger.storage.EntityRestarts;
import messenger.storage.UnstashedCommands;

/**
 * One conversation: the single writer of its ordered log. It checks membership, drops client
 * retries, assigns a dense {@code seq}, a UUIDv7 {@code messageId} and a timestamp that never goes
 * backwards, persists the message, acknowledges the sender, and then fans the message out to every
 * member's inbox until each inbox has confirmed it (see docs/architecture.md, "Reliable fan-out").
 *
 * <p>A group's membership and title changes are entries of the log too ({@link SystemChange}, with
 * their own seq), so members see them in order and delivery needs nothing special for them. The
 * journal holds only {@link ConversationCreated} followed by one {@link MessagePosted} per seq, so
 * the entry with seq {@code n} is journal entry {@code n + 1}: history is read by replay of exactly
 * the range it needs.
 *
 * <p>This file is the entity's table of contents: protocol, state, handler groups. Beside it: the
 * handlers that write ({@link ConversationWrites}, over {@link PostBatch}, the group commit), read
 * ({@link ConversationReads}) and pass notices on ({@link ConversationNotices}, over {@link
 * NoticeRelay}: typing, receipts, presence), blocks between a direct conversation's two members
 * ({@link ConversationBlocks}), {@link ConversationRules} (who may do what), {@link FanoutDriver}
 * over {@link FanoutTracker} (fan-out), the tick and the fan-out's answers ({@link
 * ConversationUpkeep}) and how each event changes the state ({@link ConversationStateChanges}).
 */
public final class Conversation
    extends EventSourcedBehaviorWithEnforcedReplies<
        Conversation.Command, Conversation.Event, Conversation.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "Conversation");

  // ---- protocol ----

  public sealed interface Command extends CborSerializable
      permits Create,
          Post,
          ModeratorDelete,
          GetAccess,
          GetDetails,
          AddMember,
          RemoveMember,
          Rename,
          SetRole,
          SetPermissions,
          JoinByInvite,
          Typing,
          SetBlocked,
          BlocksAnswered,
          PerMember,
          DrainPerMember,
          Tick,
          Flush {}

  /**
   * What comes one per member: fan-out answers and the log reads fan-out asked for, receipts,
   * presence. A post to a group of 1,000 brings ~1,000 of each within milliseconds, and the ones
   * that came during a write would all be stashed (too many for the stack when let go: see {@link
   * UnstashedCommands}), so they go past the stash and are handled in bulk at a {@link
   * DrainPerMember}. None of them writes or replies: the handlers take no effect. Each names its
   * handler, so that a new one does not compile unhandled.
   */
  sealed interface PerMember extends Command
      permits MemberReceipt, PresenceOf, WrappedProgress, Loaded {
    void handleIn(State state, ConversationUpkeep upkeep);
  }

  /**
   * Create the conversation; for a direct one that exists with the same members, say so. A group's
   * creator is its first admin.
   */
  public record Create(
      ConversationType type,
      List<String> members,
      String creatorId,
      String title,
      ActorRef<StatusReply<Created>> replyTo)
      implements Command {
    public Create(
        ConversationType type,
        List<String> members,
        String creatorId,
        ActorRef<StatusReply<Created>> replyTo) {
      this(type, members, creatorId, null, replyTo);
    }
  }

  public record Created(ConversationInfo info, boolean alreadyExisted)
      implements CborSerializable {}

  /**
   * A message from a member, or an amendment of an earlier one; its attachments were checked
   * against the object store already, its quote filled in from the message it answers, and its
   * amendment checked against its target ({@link AmendmentRules}).
   *
   * @param quote for a reply, the message it answers, quoted as it now is; else null
   * @param mentions members the message mentions (each must be one)
   * @param amendment null for a message
   * @param refusedUnlessRetry what the check of the amendment's target found against it (null:
   *     nothing): refused with it, unless it is a retry of an amendment already recorded (a
   *     deletion that succeeded finds its target deleted), which gets its first answer
   */
  public record Post(
      String senderId,
      String clientMsgId,
      String body,
      List<Attachment> attachments,
      Quote quote,
      List<String> mentions,
      Amendment amendment,
      ErrorCode refusedUnlessRetry,
      ActorRef<StatusReply<Posted>> replyTo)
      implements Command {

    public Post {
      attachments = List.copyOf(attachments);
      mentions = mentions == null ? List.of() : List.copyOf(mentions);
    }

    public Post(
        String senderId,
        String clientMsgId,
        String body,
        List<Attachment> attachments,
        ActorRef<StatusReply<Posted>> replyTo) {
      this(senderId, clientMsgId, body, attachments, null, List.of(), null, null, replyTo);
    }

    public Post(
        String senderId, String clientMsgId, String body, ActorRef<StatusReply<Posted>> replyTo) {
      this(senderId, clientMsgId, body, List.of(), replyTo);
    }

    /** An amendment: no body, files, quote or mentions. */
    public static Post amending(
        String senderId,
        String clientMsgId,
        Amendment amendment,
        ErrorCode refusedUnlessRetry,
        ActorRef<StatusReply<Posted>> replyTo) {
      return new Post(
          senderId,
          clientMsgId,
          "",
          List.of(),
          null,
          List.of(),
          amendment,
          refusedUnlessRetry,
          replyTo);
    }
  }

  public record Posted(String conversationId, String messageId, long seq, Instant timestamp)
      implements CborSerializable {}

  /**
   * A moderator deletes a message for everyone: the same deletion entry as a sender's (so the same
   * tombstone, redaction and file deletion follow), sent by the moderator, who need not be a
   * member. Only deletions come this way ({@link ConversationRules#moderatorAmend}).
   *
   * @param clientMsgId the same for every try of one deletion: a retry gets the first answer
   * @param refusedUnlessRetry as in {@link Post}
   */
  public record ModeratorDelete(
      String moderatorId,
      String clientMsgId,
      Amendment amendment,
      ErrorCode refusedUnlessRetry,
      ActorRef<StatusReply<Posted>> replyTo)
      implements Command {}

  /** Refused with not_found / not_member unless {@code userId} may read the conversation. */
  public record GetAccess(String userId, ActorRef<StatusReply<Access>> replyTo)
      implements Command {}

  /**
   * @param visibleFromSeq the first seq the user may read: where they joined
   */
  public record Access(ConversationInfo info, long lastSeq, long visibleFromSeq)
      implements CborSerializable {}

  /** The conversation with its roster, for a member. */
  public record GetDetails(String userId, ActorRef<StatusReply<Details>> replyTo)
      implements Command {}

  public record Details(ConversationInfo info, String title, long lastSeq, Roster roster)
      implements CborSerializable {}

  /** Any member may add someone to a group (up to max-group-size). */
  public record AddMember(String actorId, String userId, ActorRef<StatusReply<Changed>> replyTo)
      implements Command {}

  /** An admin may remove anyone; everyone may remove themselves (leave). */
  public record RemoveMember(String actorId, String userId, ActorRef<StatusReply<Changed>> replyTo)
      implements Command {}

  /** Any member may rename a group. */
  /** An admin makes a member an admin or a member again (never the group's last admin). */
  public record SetRole(
      String actorId, String userId, Roster.Role role, ActorRef<StatusReply<Changed>> replyTo)
      implements Command {}

  /**
   * {@code userId} joins the group with an invite link that {@code app.InviteService} checked (its
   * signature, expiry and that it was not revoked): a {@code member_added} entry made by the user;
   * answered with their join point if they are a member already.
   */
  public record JoinByInvite(String userId, ActorRef<StatusReply<Changed>> replyTo)
      implements Command {}

  /** An admin changes who may add members and rename the group. */
  public record SetPermissions(
      String actorId, GroupPermissions permissions, ActorRef<StatusReply<Changed>> replyTo)
      implements Command {}

  public record Rename(String actorId, String title, ActorRef<StatusReply<Changed>> replyTo)
      implements Command {}

  /**
   * A member is typing: the other members' online devices are told. Never stored.
   *
   * @param refusedTo told if {@code userId} is not a member (or there is no such conversation); may
   *     be null
   */
  public record Typing(String userId, ActorRef<Refusal> refusedTo) implements Command {}

  /**
   * Whether {@code blockerId} now blocks the other member of this direct conversation, as of {@code
   * version} of their block list: told by the block service after the list stored it, and answered
   * once the conversation holds it. While either member blocks the other, posts are refused {@code
   * blocked} (docs/protocol.md, "Blocking"). A group or a conversation that does not exist just
   * answers.
   */
  public record SetBlocked(
      String blockerId, boolean blocked, long version, ActorRef<akka.Done> replyTo)
      implements Command {}

  /** The block lists' answer to a direct conversation's question ({@link ConversationBlocks}). */
  record BlocksAnswered(List<BlockFact> facts, boolean failed) implements Command {}

  /**
   * A member's inbox says the member received or read up to a seq. Gathered and passed on to the
   * members' online devices at the next tick, so a busy group sends one batch a second.
   */
  public record MemberReceipt(Notice.Receipt receipt) implements PerMember {
    @Override
    public void handleIn(State state, ConversationUpkeep upkeep) {
      upkeep.receipt(state, this);
    }
  }

  /**
   * A member came online or went away. Passed on to the other members only in groups of at most
   * {@code presence-max-group} members: presence must not become a storm (docs/architecture.md).
   */
  public record PresenceOf(Notice.Presence presence) implements PerMember {
    @Override
    public void handleIn(State state, ConversationUpkeep upkeep) {
      upkeep.presence(state, this);
    }
  }

  /**
   * @param seq the log entry that records the change (for a no-op, the one that did it before)
   */
  public record Changed(long seq) implements CborSerializable {}

  // Internal: answers to fan-out (see FanoutDriver), the lane's wake-up, the tick and the group
  // commit's flush.

  record WrappedProgress(InboxProgress progress) implements PerMember {
    @Override
    public void handleIn(State state, ConversationUpkeep upkeep) {
      upkeep.progress(state, this);
    }
  }

  record Loaded(String member, List<ChatMessage> messages, Throwable failure) implements PerMember {
    @Override
    public void handleIn(State state, ConversationUpkeep upkeep) {
      upkeep.loaded(state, this);
    }
  }

  /** {@link PerMember} commands wait past the stash: handle them. */
  enum DrainPerMember implements Command {
    INSTANCE
  }

  enum Tick implements Command {
    INSTANCE
  }

  /**
   * Write the batched posts: sent to self by the first post of a batch, so it queues behind the
   * rest.
   */
  enum Flush implements Command {
    INSTANCE
  }

  public sealed interface Event extends CborSerializable
      permits ConversationCreated, MessagePosted {}

  public record ConversationCreated(ConversationInfo info, String creatorId) implements Event {}

  public record MessagePosted(ChatMessage message, String clientMsgId) implements Event {}

  // ---- state ----

  public sealed interface State extends CborSerializable permits Blank, Open {}

  public record Blank() implements State {}

  /**
   * @param info as created; the current roster and title are {@code roster} and {@code title}
   * @param recentSends at least the last {@code dedup-window} answers: a retry within the window
   *     gets the original answer
   * @param recentAmendments the last {@link #AMENDMENTS_KEPT} amendment entries: recorded in the
   *     {@link MessageChanges} again after a restart, in case the crash came between the log and
   *     the record (recording is idempotent)
   */
  public record Open(
      ConversationInfo info,
      long lastSeq,
      Instant lastTimestamp,
      DedupWindow recentSends,
      Roster roster,
      String title,
      List<ChatMessage> recentAmendments)
      implements State {

    static final int AMENDMENTS_KEPT = 16;

    public Open {
      recentAmendments = recentAmendments == null ? List.of() : List.copyOf(recentAmendments);
    }

    public Open(
        ConversationInfo info,
        long lastSeq,
        Instant lastTimestamp,
        DedupWindow recentSends,
        Roster roster,
        String title) {
      this(info, lastSeq, lastTimestamp, recentSends, roster, title, List.of());
    }

    /** Whether one of the recent amendments deleted the message at {@code seq}. */
    boolean recentlyDeleted(long seq) {
      for (ChatMessage entry : recentAmendments) {
        Amendment a = entry.amendment();
        if (a.kind() == Amendment.Kind.DELETE && a.targetSeq() == seq) return true;
      }
      return false;
    }

    Posted previousAnswer(String senderId, String clientMsgId) {
      return recentSends.get(senderId, clientMsgId);
    }

    boolean isGroup() {
      return info.type() == ConversationType.GROUP;
    }

    /** What members' inboxes are told: a group without its roster, with its current title. */
    ConversationInfo inboxInfo() {
      return isGroup()
          ? new ConversationInfo(
              info.conversationId(), info.type(), List.of(), info.createdAt(), title)
          : info;
    }
  }

  // ---- wiring ----

  public static void init(
      ActorSystem<?> system,
      ChatSettings settings,
      MemberInboxes inboxes,
      ConversationLog log,
      MessageChanges changes,
      DirectBlockLookup blocks) {
    ClusterSharding.get(system)
        .init(
            Entity.of(
                    ENTITY_KEY,
                    ctx ->
                        create(
                            ctx.getEntityId(),
                            settings,
                            inboxes,
                            log,
                            changes,
                            blocks,
                            self -> ctx.getShard().tell(new ClusterSharding.Passivate<>(self))))
                .withSettings(ClusterShardingSettings.create(system).withRememberEntities(true)));
  }

  public static Behavior<Command> create(
      String conversationId,
      ChatSettings settings,
      MemberInboxes inboxes,
      ConversationLog log,
      Consumer<ActorRef<Command>> passivate) {
    return create(conversationId, settings, inboxes, log, MessageChanges.NONE, passivate);
  }

  public static Behavior<Command> create(
      String conversationId,
      ChatSettings settings,
      MemberInboxes inboxes,
      ConversationLog log,
      MessageChanges changes,
      Consumer<ActorRef<Command>> passivate) {
    return create(
        conversationId, settings, inboxes, log, changes, DirectBlockLookup.NONE, passivate);
  }

  public static Behavior<Command> create(
      String conversationId,
      ChatSettings settings,
      MemberInboxes inboxes,
      ConversationLog log,
      MessageChanges changes,
      DirectBlockLookup blocks,
      Consumer<ActorRef<Command>> passivate) {
    return Behaviors.withTimers(
        timers ->
            UnstashedCommands.around(
                Command.class,
                PerMember.class,
                DrainPerMember.INSTANCE,
                lane ->
                    Behaviors.setup(
                        ctx ->
                            new Conversation(
                                conversationId,
                                settings,
                                inboxes,
                                log,
                                changes,
                                blocks,
                                passivate,
                                lane,
                                ctx,
                                timers))));
  }

  /** The id of the direct conversation between two users: the same whoever opens it. */
  public static String directId(String userA, String userB) {
    String pair = userA.compareTo(userB) < 0 ? userA + '\n' + userB : userB + '\n' + userA;
    return "d-" + Generators.nameBasedGenerator().generate(pair);
  }

  private final ChatSettings settings;
  private final FanoutDriver fanout;
  private final ConversationReplies replies;
  private final ConversationWrites writes;
  private final ConversationReads reads;
  private final ConversationNotices notices;
  private final ConversationUpkeep upkeep;
  private final ConversationBlocks blocks;

  private Conversation(
      String conversationId,
      ChatSettings settings,
      MemberInboxes inboxes,
      ConversationLog log,
      MessageChanges changes,
      DirectBlockLookup blockLookup,
      Consumer<ActorRef<Command>> passivate,
      UnstashedCommands<PerMember> lane,
      ActorContext<Command> context,
      TimerScheduler<Command> timers) {
    super(PersistenceId.of(ENTITY_KEY.name(), conversationId), EntityRestarts.onJournalFailure());
    this.settings = settings;
    var rules = new ConversationRules(settings.maxGroupSize());
    this.fanout = new FanoutDriver(conversationId, settings, inboxes, log, context);
    this.replies = new ConversationReplies(conversationId, Effect());
    this.blocks = new ConversationBlocks(blockLookup, Effect(), context);
    this.writes =
        new ConversationWrites(
            conversationId,
            Effect(),
            replies,
            rules,
            settings.maxPersistBatch(),
            fanout,
            changes,
            blocks,
            context.getSelf());
    this.reads = new ConversationReads(replies, rules, writes);
    this.notices = new ConversationNotices(conversationId, settings, inboxes, replies, rules);
    Runnable passivateSelf = () -> passivate.accept(context.getSelf());
    this.upkeep =
        new ConversationUpkeep(
            replies, fanout, notices, writes, lane, settings.idlePassivation(), passivateSelf);
    timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.fanoutRetryInterval());
  }

  @Override
  public State emptyState() {
    return new Blank();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(200, 2);
  }

  // ---- commands, in groups ----

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return blank()
        .orElse(open())
        .orElse(membership())
        .orElse(notices())
        .orElse(directBlocks())
        .orElse(internal())
        .build();
  }

  /** A conversation that does not exist: it can be created; anything else finds nothing. */
  private CommandHandlerWithReplyBuilderByState<Command, Event, Blank, State> blank() {
    return newCommandHandlerWithReplyBuilder()
        .forStateType(Blank.class)
        .onCommand(Create.class, writes::onCreate)
        .onCommand(Post.class, cmd -> replies.refused(cmd.replyTo(), NOT_FOUND))
        .onCommand(ModeratorDelete.class, cmd -> replies.refused(cmd.replyTo(), NOT_FOUND))
        .onCommand(GetAccess.class, cmd -> replies.refused(cmd.replyTo(), NOT_FOUND))
        .onCommand(GetDetails.class, cmd -> replies.refused(cmd.replyTo(), NOT_FOUND))
        .onCommand(AddMember.class, cmd -> replies.refused(cmd.replyTo(), NOT_FOUND))
        .onCommand(RemoveMember.class, cmd -> replies.refused(cmd.replyTo(), NOT_FOUND))
        .onCommand(Rename.class, cmd -> replies.refused(cmd.replyTo(), NOT_FOUND))
        .onCommand(SetRole.class, cmd -> replies.refused(cmd.replyTo(), NOT_FOUND))
        .onCommand(SetPermissions.class, cmd -> replies.refused(cmd.replyTo(), NOT_FOUND))
        .onCommand(JoinByInvite.class, cmd -> replies.refused(cmd.replyTo(), NOT_FOUND))
        // Anyone can name a conversation that does not exist; what they say to it goes nowhere.
        .onCommand(
            Typing.class,
            cmd -> replies.noReply(() -> replies.tellRefusal(cmd.refusedTo(), NOT_FOUND)));
  }

  /** An existing conversation: created again, posted to, read. */
  private CommandHandlerWithReplyBuilderByState<Command, Event, Open, State> open() {
    return newCommandHandlerWithReplyBuilder()
        .forStateType(Open.class)
        .onCommand(Create.class, reads::onCreateExisting)
        .onCommand(Post.class, writes::onPost)
        .onCommand(ModeratorDelete.class, writes::onModeratorDelete)
        .onCommand(GetAccess.class, reads::onGetAccess)
        .onCommand(GetDetails.class, reads::onGetDetails);
  }

  /** A group's roster and title: each change is the next entry of its log. */
  private CommandHandlerWithReplyBuilderByState<Command, Event, Open, State> membership() {
    return newCommandHandlerWithReplyBuilder()
        .forStateType(Open.class)
        .onCommand(AddMember.class, writes::onAddMember)
        .onCommand(RemoveMember.class, writes::onRemoveMember)
        .onCommand(Rename.class, writes::onRename)
        .onCommand(SetRole.class, writes::onSetRole)
        .onCommand(SetPermissions.class, writes::onSetPermissions)
        .onCommand(JoinByInvite.class, writes::onJoinByInvite);
  }

  /** Typing: passed on, never stored (receipts and presence come per member, in the lane). */
  private CommandHandlerWithReplyBuilderByState<Command, Event, Open, State> notices() {
    return newCommandHandlerWithReplyBuilder()
        .forStateType(Open.class)
        .onCommand(Typing.class, notices::onTyping);
  }

  /** Blocks between a direct conversation's members: told by the block service, or asked. */
  private CommandHandlerWithReplyBuilderByState<Command, Event, State, State> directBlocks() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(SetBlocked.class, blocks::onSetBlocked)
        .onCommand(BlocksAnswered.class, blocks::onAnswered);
  }

  /**
   * What the actor sends itself: the wake-up for what came per member (fan-out answers, receipts,
   * presence; {@link PerMember} commands never reach the handler one by one), the tick, the group
   * commit's flush.
   */
  private CommandHandlerWithReplyBuilderByState<Command, Event, State, State> internal() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(DrainPerMember.class, (state, drain) -> upkeep.onPerMember(state))
        .onCommand(Tick.class, (state, tick) -> upkeep.onTick(state))
        .onCommand(Flush.class, writes::onFlush);
  }

  // ---- recovery and events ----

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(
            RecoveryCompleted.instance(),
            state -> {
              if (state instanceof Open open) {
                fanout.recovered(open);
                writes.recovered(open);
              }
            })
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    var builder = newEventHandlerBuilder();
    builder
        .forStateType(Blank.class)
        .onEvent(ConversationCreated.class, ConversationStateChanges::founded);
    builder
        .forStateType(Open.class)
        .onEvent(
            MessagePosted.class,
            (state, posted) ->
                ConversationStateChanges.posted(state, posted, settings.dedupWindow()));
    return builder.build();
  }
}
