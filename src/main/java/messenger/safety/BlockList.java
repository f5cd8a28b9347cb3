package messenger.safety;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
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
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import messenger.CborSerializable;
import messenger.ErrorCode;
import messenger.storage.EntityRestarts;

/**
 * The users one user blocks, and since when: the durable source of every block rule. Sharded and
 * event-sourced, keyed by the blocker's user id. Each change raises {@code version}, so whoever
 * hears of blocks from two sides (a direct conversation: the answer to its question and a later
 * change from {@link BlockService}) keeps the newest. Blocking and unblocking are idempotent.
 */
public final class BlockList
    extends EventSourcedBehaviorWithEnforcedReplies<
        BlockList.Command, BlockList.Event, BlockList.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "BlockList");

  // ---- protocol ----

  public sealed interface Command extends CborSerializable
      permits Block, Unblock, GetBlocked, IsBlocked {}

  /** Block {@code userId}; refused with bad_request (oneself) or too_many_blocks. */
  public record Block(String userId, ActorRef<StatusReply<Standing>> replyTo) implements Command {}

  /** Unblock {@code userId}; unblocking someone not blocked answers as if it had been. */
  public record Unblock(String userId, ActorRef<StatusReply<Standing>> replyTo)
      implements Command {}

  /** Everyone this user blocks, oldest block first. */
  public record GetBlocked(ActorRef<Blocked> replyTo) implements Command {}

  /** Whether this user blocks {@code userId}. */
  public record IsBlocked(String userId, ActorRef<Standing> replyTo) implements Command {}

  /**
   * @param version how many changes the list has had when this was true
   */
  public record Standing(String blockerId, String userId, boolean blocked, long version)
      implements CborSerializable {}

  public record Entry(String userId, Instant since) implements CborSerializable {}

  /**
   * @param version how many changes the list has had
   */
  public record Blocked(List<Entry> entries, long version) implements CborSerializable {
    public Blocked {
      entries = List.copyOf(entries);
    }
  }

  public sealed interface Event extends CborSerializable permits UserBlocked, UserUnblocked {}

  public record UserBlocked(String blockerId, String userId, Instant at) implements Event {}

  public record UserUnblocked(String blockerId, String userId) implements Event {}

  // ---- state ----

  /**
   * @param blocked each blocked user's id to when they were blocked
   * @param version how many events the list has applied
   */
  public record State(Map<String, Instant> blocked, long version) implements CborSerializable {
    public State {
      blocked = Map.copyOf(blocked);
    }

    static State empty() {
      return new State(Map.of(), 0);
    }

    boolean blocks(String userId) {
      return blocked.containsKey(userId);
    }

    State with(String userId, Instant since) {
      Map<String, Instant> next = new TreeMap<>(blocked);
      next.put(userId, since);
      return new State(next, version + 1);
    }

    State without(String userId) {
      Map<String, Instant> next = new TreeMap<>(blocked);
      next.remove(userId);
      return new State(next, version + 1);
    }
  }

  // ---- wiring ----

  public static void init(ActorSystem<?> system, BlockRules rules) {
    ClusterSharding.get(system)
        .init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), rules, Clock.systemUTC())));
  }

  public static Behavior<Command> create(String blockerId, BlockRules rules, Clock clock) {
    return new BlockList(blockerId, rules, clock);
  }

  private final String blockerId;
  private final BlockRules rules;
  private final Clock clock;

  private BlockList(String blockerId, BlockRules rules, Clock clock) {
    super(PersistenceId.of(ENTITY_KEY.name(), blockerId), EntityRestarts.onJournalFailure());
    this.blockerId = blockerId;
    this.rules = rules;
    this.clock = clock;
  }

  @Override
  public State emptyState() {
    return State.empty();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  // ---- commands: changes, then questions ----

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return changes().orElse(questions()).build();
  }

  private CommandHandlerWithReplyBuilderByState<Command, Event, State, State> changes() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Block.class, this::onBlock)
        .onCommand(Unblock.class, this::onUnblock);
  }

  private CommandHandlerWithReplyBuilderByState<Command, Event, State, State> questions() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(GetBlocked.class, this::onGetBlocked)
        .onCommand(IsBlocked.class, this::onIsBlocked);
  }

  private ReplyEffect<Event, State> onBlock(State state, Block cmd) {
    Optional<ErrorCode> refusal = rules.block(state.blocked(), blockerId, cmd.userId());
    if (refusal.isPresent()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(refusal.get().wire()));
    }
    if (state.blocks(cmd.userId())) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(standing(state, cmd.userId())));
    }
    return Effect()
        .persist(new UserBlocked(blockerId, cmd.userId(), clock.instant()))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(standing(s, cmd.userId())));
  }

  private ReplyEffect<Event, State> onUnblock(State state, Unblock cmd) {
    if (!state.blocks(cmd.userId())) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(standing(state, cmd.userId())));
    }
    return Effect()
        .persist(new UserUnblocked(blockerId, cmd.userId()))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(standing(s, cmd.userId())));
  }

  private ReplyEffect<Event, State> onGetBlocked(State state, GetBlocked cmd) {
    List<Entry> entries = new ArrayList<>();
    state.blocked().forEach((userId, since) -> entries.add(new Entry(userId, since)));
    entries.sort(Comparator.comparing(Entry::since).thenComparing(Entry::userId));
    return Effect().reply(cmd.replyTo(), new Blocked(entries, state.version()));
  }

  private ReplyEffect<Event, State> onIsBlocked(State state, IsBlocked cmd) {
    return Effect().reply(cmd.replyTo(), standing(state, cmd.userId()));
  }

  private Standing standing(State state, String userId) {
    return new Standing(blockerId, userId, state.blocks(userId), state.version());
  }

  // ---- events ----

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(UserBlocked.class, (state, e) -> state.with(e.userId(), e.at()))
        .onEvent(UserUnblocked.class, (state, e) -> state.without(e.userId()))
        .build();
  }
}
