package messenger.chat;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
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
import akka.persistence.typed.javadsl.EffectBuilder;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import akka.persistence.typed.javadsl.SignalHandler;
import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import messenger.CborSerializable;
import messenger.ErrorCode;

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
          GetAccess,
          GetDetails,
          AddMember,
          RemoveMember,
          Rename,
          Typing,
          MemberReceipt,
          PresenceOf,
          WrappedProgress,
          Loaded,
          Tick,
          Flush {}

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

  public record Created(ConversationInfo info, boolean alreadyExisted) implements CborSerializable {}

  public record Post(
      String senderId, String clientMsgId, String body, ActorRef<StatusReply<Posted>> replyTo)
      implements Command {}

  public record Posted(String conversationId, String messageId, long seq, Instant timestamp)
      implements CborSerializable {}

  /** Refused with not_found / not_member unless {@code userId} may read the conversation. */
  public record GetAccess(String userId, ActorRef<StatusReply<Access>> replyTo)
      implements Command {}

  /** @param visibleFromSeq the first seq the user may read: where they joined */
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
  public record Rename(String actorId, String title, ActorRef<StatusReply<Changed>> replyTo)
      implements Command {}

  /**
   * A member is typing: the other members' online devices are told. Never stored.
   *
   * @param refusedTo told if {@code userId} is not a member (or there is no such conversation);
   *     may be null
   */
  public record Typing(String userId, ActorRef<Refusal> refusedTo) implements Command {
    public Typing(String userId) {
      this(userId, null);
    }
  }

  /**
   * A member's inbox says the member received or read up to a seq. Gathered and passed on to the
   * members' online devices at the next tick, so a busy group sends one batch a second.
   */
  public record MemberReceipt(Notice.Receipt receipt) implements Command {}

  /**
   * A member came online or went away. Passed on to the other members only in groups of at most
   * {@code presence-max-group} members: presence must not become a storm (docs/architecture.md).
   */
  public record PresenceOf(Notice.Presence presence) implements Command {}

  /** @param seq the log entry that records the change (for a no-op, the one that did it before) */
  public record Changed(long seq) implements CborSerializable {}

  private record WrappedProgress(InboxProgress progress) implements Command {}

  private record Loaded(String member, List<ChatMessage> messages, Throwable failure)
      implements Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  /** Write the batched posts: sent to self by the first post of a batch, so it queues behind the rest. */
  private enum Flush implements Command {
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
   */
  public record Open(
      ConversationInfo info,
      long lastSeq,
      Instant lastTimestamp,
      DedupWindow recentSends,
      Roster roster,
      String title)
      implements State {

    Posted previousAnswer(String senderId, String clientMsgId) {
      return recentSends.get(senderId, clientMsgId);
    }

    boolean isGroup() {
      return info.type() == ConversationType.GROUP;
    }

    /** What members' inboxes are told: a group without its roster, with its current title. */
    ConversationInfo inboxInfo() {
      return isGroup()
          ? new ConversationInfo(info.conversationId(), info.type(), List.of(), info.createdAt(), title)
          : info;
    }

    Open with(MessagePosted posted, int dedupWindow) {
      ChatMessage m = posted.message();
      DedupWindow sends = recentSends;
      if (posted.clientMsgId() != null) {
        sends =
            recentSends.with(
                m.senderId(),
                posted.clientMsgId(),
                new Posted(m.conversationId(), m.messageId(), m.seq(), m.timestamp()),
                dedupWindow);
      }
      Roster nextRoster = m.isSystem() ? roster.apply(m.change(), m.seq()) : roster;
      String nextTitle =
          m.isSystem() && m.change().kind() == SystemChange.Kind.RENAMED ? m.change().title() : title;
      return new Open(info, m.seq(), m.timestamp(), sends, nextRoster, nextTitle);
    }
  }

  // ---- behaviour ----

  public static void init(
      ActorSystem<?> system, ChatSettings settings, MemberInboxes inboxes, ConversationLog log) {
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
                            self -> ctx.getShard().tell(new ClusterSharding.Passivate<>(self))))
                .withSettings(ClusterShardingSettings.create(system).withRememberEntities(true)));
  }

  public static Behavior<Command> create(
      String conversationId,
      ChatSettings settings,
      MemberInboxes inboxes,
      ConversationLog log,
      Consumer<ActorRef<Command>> passivate) {
    return Behaviors.withTimers(
        timers ->
            Behaviors.setup(
                ctx ->
                    new Conversation(
                        conversationId, settings, inboxes, log, passivate, ctx, timers)));
  }

  /** The id of the direct conversation between two users: the same whoever opens it. */
  public static String directId(String userA, String userB) {
    String pair = userA.compareTo(userB) < 0 ? userA + '\n' + userB : userB + '\n' + userA;
    return "d-" + Generators.nameBasedGenerator().generate(pair);
  }

  private static final TimeBasedEpochGenerator MESSAGE_IDS = Generators.timeBasedEpochGenerator();

  static final int MAX_TITLE_CHARS = 100;

  private final String conversationId;
  private final ChatSettings settings;
  private final MemberInboxes inboxes;
  private final ConversationLog log;
  private final Consumer<ActorRef<Command>> passivate;
  private final ActorContext<Command> context;
  private final ActorRef<InboxProgress> progressAdapter;
  private final FanoutTracker fanout;
  private final Clock clock = Clock.systemUTC();
  private long lastActivityNanos = System.nanoTime();
  /** When each member last had a typing notice passed on (System.nanoTime). */
  private final java.util.Map<String, Long> lastTyping = new java.util.HashMap<>();
  /** Receipts to pass on at the next tick. */
  private final List<Notice.Receipt> pendingReceipts = new java.util.ArrayList<>();
  private final PostBatch batch = new PostBatch();

  private Conversation(
      String conversationId,
      ChatSettings settings,
      MemberInboxes inboxes,
      ConversationLog log,
      Consumer<ActorRef<Command>> passivate,
      ActorContext<Command> context,
      TimerScheduler<Command> timers) {
    super(
        PersistenceId.of(ENTITY_KEY.name(), conversationId),
        SupervisorStrategy.restartWithBackoff(
            java.time.Duration.ofMillis(200), java.time.Duration.ofSeconds(5), 0.1));
    this.conversationId = conversationId;
    this.settings = settings;
    this.inboxes = inboxes;
    this.log = log;
    this.passivate = passivate;
    this.context = context;
    this.progressAdapter = context.messageAdapter(InboxProgress.class, WrappedProgress::new);
    this.fanout =
        new FanoutTracker(
            settings.fanoutBatchSize(),
            settings.dedupWindow(),
            settings.fanoutRetryInterval().toNanos(),
            settings.fanoutMaxInFlight());
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

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    var builder = newCommandHandlerWithReplyBuilder();
    builder
        .forStateType(Blank.class)
        .onCommand(Create.class, this::onCreate)
        .onCommand(
            Post.class,
            (state, cmd) -> Effect().reply(cmd.replyTo(), notFound()))
        .onCommand(
            GetAccess.class,
            (state, cmd) -> Effect().reply(cmd.replyTo(), notFound()))
        .onCommand(
            GetDetails.class,
            (state, cmd) -> Effect().reply(cmd.replyTo(), notFound()))
        .onCommand(
            AddMember.class,
            (state, cmd) -> Effect().reply(cmd.replyTo(), notFound()))
        .onCommand(
            RemoveMember.class,
            (state, cmd) -> Effect().reply(cmd.replyTo(), notFound()))
        .onCommand(
            Rename.class,
            (state, cmd) -> Effect().reply(cmd.replyTo(), notFound()))
        // Anyone can name a conversation that does not exist; what they say to it goes nowhere.
        .onCommand(
            Typing.class,
            (state, cmd) -> {
              refuse(cmd.refusedTo(), ErrorCode.NOT_FOUND);
              return Effect().noReply();
            })
        .onCommand(MemberReceipt.class, (state, cmd) -> Effect().noReply())
        .onCommand(PresenceOf.class, (state, cmd) -> Effect().noReply());
    builder
        .forStateType(Open.class)
        .onCommand(Create.class, this::onCreateExisting)
        .onCommand(Post.class, this::onPost)
        .onCommand(GetAccess.class, this::onGetAccess)
        .onCommand(GetDetails.class, this::onGetDetails)
        .onCommand(AddMember.class, this::onAddMember)
        .onCommand(RemoveMember.class, this::onRemoveMember)
        .onCommand(Rename.class, this::onRename)
        .onCommand(Typing.class, this::onTyping)
        .onCommand(MemberReceipt.class, this::onMemberReceipt)
        .onCommand(PresenceOf.class, this::onPresence);
    builder
        .forAnyState()
        .onCommand(WrappedProgress.class, this::onProgress)
        .onCommand(Loaded.class, this::onLoaded)
        .onCommand(Tick.class, this::onTick)
        .onCommand(Flush.class, this::onFlush);
    return builder.build();
  }

  private ReplyEffect<Event, State> onCreate(Blank state, Create cmd) {
    touch();
    List<String> members = cmd.members().stream().distinct().sorted().toList();
    boolean group = cmd.type() == ConversationType.GROUP;
    if (!members.contains(cmd.creatorId())
        || (!group && members.size() != 2)
        || (group && (members.size() > settings.maxGroupSize() || !validTitle(cmd.title())))) {
      return Effect()
          .reply(cmd.replyTo(), StatusReply.error(ErrorCode.BAD_REQUEST.wire()));
    }
    var info =
        new ConversationInfo(conversationId, cmd.type(), members, clock.instant(), group ? cmd.title() : null);
    return Effect()
        .persist(new ConversationCreated(info, cmd.creatorId()))
        .thenRun(
            created -> {
              fanout.created(members);
              fanOut(created);
            })
        .thenReply(cmd.replyTo(), created -> StatusReply.success(new Created(info, false)));
  }

  private ReplyEffect<Event, State> onCreateExisting(Open state, Create cmd) {
    touch();
    boolean same =
        state.roster().contains(cmd.creatorId())
            && state.info().type() == cmd.type()
            && state.info().members().equals(cmd.members().stream().distinct().sorted().toList());
    if (!same) return Effect().reply(cmd.replyTo(), StatusReply.error(ErrorCode.BAD_REQUEST.wire()));
    return Effect().reply(cmd.replyTo(), StatusReply.success(new Created(state.info(), true)));
  }

  /**
   * Numbers the post and adds it to the batch the next journal write takes; the sender hears back
   * when that write has succeeded.
   */
  private ReplyEffect<Event, State> onPost(Open state, Post cmd) {
    touch();
    if (!state.roster().contains(cmd.senderId())) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(ErrorCode.NOT_MEMBER.wire()));
    }
    Posted previous = state.previousAnswer(cmd.senderId(), cmd.clientMsgId());
    if (previous != null) return Effect().reply(cmd.replyTo(), StatusReply.success(previous));
    Posted batched = batch.pendingAnswer(cmd.senderId(), cmd.clientMsgId());
    if (batched != null) {
      batch.addWaiter(batched, cmd.replyTo());
      return Effect().noReply();
    }

    if (batch.isEmpty()) context.getSelf().tell(Flush.INSTANCE);
    ChatMessage message = nextEntry(state, cmd.senderId(), cmd.body(), null);
    batch.add(new MessagePosted(message, cmd.clientMsgId()), cmd.replyTo());
    if (batch.size() < settings.maxPersistBatch()) return Effect().noReply();
    return persistBatch(null).thenNoReply();
  }

  private ReplyEffect<Event, State> onFlush(State state, Flush flush) {
    return batch.isEmpty() ? Effect().noReply() : persistBatch(null).thenNoReply();
  }

  /**
   * Persists the batched posts, then {@code change} if there is one, in one journal write;
   * afterwards fans them out and acknowledges the senders.
   */
  private EffectBuilder<Event, State> persistBatch(ChatMessage change) {
    List<Event> events = new java.util.ArrayList<>(batch.events());
    if (change != null) events.add(new MessagePosted(change, null));
    List<PostBatch.Waiter> waiters = batch.clear();
    return Effect()
        .persist(events)
        .thenRun(
            open -> {
              for (Event event : events) fanout.persisted(((MessagePosted) event).message());
              if (change != null && change.change().kind() == SystemChange.Kind.MEMBER_ADDED) {
                fanout.added(change.change().userId(), change.seq());
              } else if (change != null && change.change().isRemoval()) {
                fanout.removed(change.change().userId(), change.seq());
              }
              fanOut(open);
              for (PostBatch.Waiter waiter : waiters) {
                waiter.replyTo().tell(StatusReply.success(waiter.answer()));
              }
            });
  }

  private ReplyEffect<Event, State> onGetAccess(Open state, GetAccess cmd) {
    if (!state.roster().contains(cmd.userId())) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(ErrorCode.NOT_MEMBER.wire()));
    }
    var access = new Access(state.inboxInfo(), state.lastSeq(), state.roster().joinedSeq(cmd.userId()));
    return Effect().reply(cmd.replyTo(), StatusReply.success(access));
  }

  private ReplyEffect<Event, State> onGetDetails(Open state, GetDetails cmd) {
    if (!state.roster().contains(cmd.userId())) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(ErrorCode.NOT_MEMBER.wire()));
    }
    var details = new Details(state.inboxInfo(), state.title(), state.lastSeq(), state.roster());
    return Effect().reply(cmd.replyTo(), StatusReply.success(details));
  }

  private ReplyEffect<Event, State> onAddMember(Open state, AddMember cmd) {
    touch();
    Roster roster = state.roster();
    if (!state.isGroup()) return Effect().reply(cmd.replyTo(), StatusReply.error(ErrorCode.BAD_REQUEST.wire()));
    if (!roster.contains(cmd.actorId())) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(ErrorCode.NOT_MEMBER.wire()));
    }
    if (roster.contains(cmd.userId())) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(new Changed(roster.joinedSeq(cmd.userId()))));
    }
    if (roster.size() >= settings.maxGroupSize()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(ErrorCode.GROUP_FULL.wire()));
    }
    return change(state, cmd.actorId(), SystemChange.added(cmd.userId()), cmd.replyTo());
  }

  private ReplyEffect<Event, State> onRemoveMember(Open state, RemoveMember cmd) {
    touch();
    Roster roster = state.roster();
    if (!state.isGroup()) return Effect().reply(cmd.replyTo(), StatusReply.error(ErrorCode.BAD_REQUEST.wire()));
    if (!roster.contains(cmd.actorId())) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(ErrorCode.NOT_MEMBER.wire()));
    }
    boolean leaving = cmd.actorId().equals(cmd.userId());
    if (!leaving && !roster.isAdmin(cmd.actorId())) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(ErrorCode.NOT_ADMIN.wire()));
    }
    if (!roster.contains(cmd.userId())) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(ErrorCode.NOT_FOUND.wire()));
    }
    SystemChange change =
        leaving ? SystemChange.left(cmd.userId()) : SystemChange.removed(cmd.userId());
    return change(state, cmd.actorId(), change, cmd.replyTo());
  }

  private ReplyEffect<Event, State> onRename(Open state, Rename cmd) {
    touch();
    if (!state.isGroup() || !validTitle(cmd.title())) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(ErrorCode.BAD_REQUEST.wire()));
    }
    if (!state.roster().contains(cmd.actorId())) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(ErrorCode.NOT_MEMBER.wire()));
    }
    if (cmd.title().equals(state.title())) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(new Changed(state.lastSeq())));
    }
    return change(state, cmd.actorId(), SystemChange.renamed(cmd.title()), cmd.replyTo());
  }

  private ReplyEffect<Event, State> onTyping(Open state, Typing cmd) {
    if (!state.roster().contains(cmd.userId())) {
      refuse(cmd.refusedTo(), ErrorCode.NOT_MEMBER);
      return Effect().noReply();
    }
    long now = System.nanoTime();
    Long last = lastTyping.get(cmd.userId());
    if (last != null && now - last < settings.typingInterval().toNanos()) return Effect().noReply();
    lastTyping.put(cmd.userId(), now);
    var notice = new Notice.Typing(conversationId, cmd.userId());
    for (String member : state.roster().members().keySet()) {
      if (!member.equals(cmd.userId())) inboxes.relay(member, notice);
    }
    return Effect().noReply();
  }

  private void refuse(ActorRef<Refusal> refusedTo, ErrorCode code) {
    if (refusedTo != null) refusedTo.tell(new Refusal(conversationId, code));
  }

  private ReplyEffect<Event, State> onMemberReceipt(Open state, MemberReceipt cmd) {
    if (state.roster().contains(cmd.receipt().userId())) pendingReceipts.add(cmd.receipt());
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> onPresence(Open state, PresenceOf cmd) {
    String userId = cmd.presence().userId();
    Roster roster = state.roster();
    if (!roster.contains(userId) || roster.size() > settings.presenceMaxGroup()) return Effect().noReply();
    for (String member : roster.members().keySet()) {
      if (!member.equals(userId)) inboxes.relay(member, cmd.presence());
    }
    return Effect().noReply();
  }

  private void flushReceipts(State state) {
    if (pendingReceipts.isEmpty() || !(state instanceof Open open)) return;
    var batch = new Notice.Receipts(List.copyOf(pendingReceipts));
    pendingReceipts.clear();
    for (String member : open.roster().members().keySet()) inboxes.relay(member, batch);
  }

  /**
   * Records a membership or title change as the next log entry, after any batched posts (they were
   * ordered first), and fans it out.
   */
  private ReplyEffect<Event, State> change(
      Open state, String actorId, SystemChange change, ActorRef<StatusReply<Changed>> replyTo) {
    ChatMessage entry = nextEntry(state, actorId, "", change);
    return persistBatch(entry).thenReply(replyTo, open -> StatusReply.success(new Changed(entry.seq())));
  }

  /** The next log entry: numbered and timed after everything persisted or batched. */
  private ChatMessage nextEntry(Open state, String senderId, String body, SystemChange change) {
    Instant last = batch.lastTimestamp(state.lastTimestamp());
    Instant now = clock.instant();
    return new ChatMessage(
        conversationId,
        batch.lastSeq(state.lastSeq()) + 1,
        MESSAGE_IDS.generate().toString(),
        senderId,
        body,
        now.isBefore(last) ? last : now,
        change);
  }

  static boolean validTitle(String title) {
    return title != null && !title.isBlank() && title.length() <= MAX_TITLE_CHARS;
  }

  private ReplyEffect<Event, State> onProgress(State state, WrappedProgress wrapped) {
    fanout.progress(wrapped.progress().userId(), wrapped.progress().lastSeq());
    fanOut(state);
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> onLoaded(State state, Loaded loaded) {
    if (loaded.failure() != null) {
      context.getLog().warn("Reading {} for fan-out failed", conversationId, loaded.failure());
      fanout.loadFailed(loaded.member());
    } else {
      inboxes.append(loaded.member(), conversationId, loaded.messages(), progressAdapter);
    }
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> onTick(State state, Tick tick) {
    long now = System.nanoTime();
    fanout.expire(now);
    fanOut(state);
    flushReceipts(state);
    boolean idle = now - lastActivityNanos >= settings.idlePassivation().toNanos();
    if (idle && batch.isEmpty() && fanout.caughtUp(lastSeq(state))) passivate.accept(context.getSelf());
    return Effect().noReply();
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(
            RecoveryCompleted.instance(),
            state -> {
              if (state instanceof Open open) {
                // Nothing says whether the last fan-out finished: probe every member.
                fanout.recovered(open.roster().joinedSeqs());
                fanOut(open);
              }
            })
        .build();
  }

  private void fanOut(State state) {
    if (!(state instanceof Open open)) return;
    for (FanoutTracker.Action action : fanout.actions(open.lastSeq(), System.nanoTime())) {
      if (action instanceof FanoutTracker.Probe probe) {
        inboxes.append(probe.member(), conversationId, List.of(), progressAdapter);
      } else if (action instanceof FanoutTracker.Join join) {
        inboxes.join(join.member(), open.inboxInfo(), join.fromSeq(), progressAdapter);
      } else if (action instanceof FanoutTracker.Append append) {
        inboxes.append(append.member(), conversationId, append.messages(), progressAdapter);
      } else if (action instanceof FanoutTracker.Load load) {
        context.pipeToSelf(
            log.read(conversationId, load.fromSeq(), load.toSeq()),
            (messages, failure) -> new Loaded(load.member(), messages, failure));
      }
    }
  }

  private void touch() {
    lastActivityNanos = System.nanoTime();
  }

  private static long lastSeq(State state) {
    return state instanceof Open open ? open.lastSeq() : 0;
  }

  private static <T> StatusReply<T> notFound() {
    return StatusReply.error(ErrorCode.NOT_FOUND.wire());
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    var builder = newEventHandlerBuilder();
    builder
        .forStateType(Blank.class)
        .onEvent(
            ConversationCreated.class,
            (state, created) ->
                new Open(
                    created.info(),
                    0,
                    created.info().createdAt(),
                    DedupWindow.empty(),
                    Roster.founded(
                        created.info().members(),
                        created.creatorId(),
                        created.info().type() == ConversationType.GROUP),
                    created.info().title()));
    builder
        .forStateType(Open.class)
        .onEvent(
            MessagePosted.class,
            (state, posted) -> state.with(posted, settings.dedupWindow()));
    return builder.build();
  }

}
