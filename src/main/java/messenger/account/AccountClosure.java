package messenger.account;

import akka.Done;
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
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.SignalHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import messenger.CborSerializable;
import messenger.storage.EntityRestarts;

/**
 * Closing one user's account, to the end: sharded and event-sourced, keyed by user id, and
 * remembered by sharding, so a closure that a crash interrupted starts again on another node and
 * finishes by itself (nobody could ask again: the user's tokens are gone by then).
 *
 * <p>It runs {@link ClosureSteps} one at a time, in an order that shuts the user out first: the
 * login record, then the tokens (open sockets close), then the inbox (devices, push endpoints,
 * profile), then each group the inbox names. Each finished step is written before the next starts;
 * a failed step is tried again after a backoff. Whoever asked is answered once everything is done,
 * and the entity then passivates for good.
 */
public final class AccountClosure
    extends EventSourcedBehaviorWithEnforcedReplies<
        AccountClosure.Command, AccountClosure.Event, AccountClosure.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "AccountClosure");

  // --- protocol ---

  public sealed interface Command extends CborSerializable
      permits Close, GetStatus, StepOutcome, Retry, Finish {}

  /** Closes the account of the username; answered Done once it is closed (also on a repeat). */
  public record Close(String username, ActorRef<Done> replyTo) implements Command {}

  public record GetStatus(ActorRef<State> replyTo) implements Command {}

  /** How a step ended: {@code groups} for the inbox step, {@code failure} if it failed. */
  record StepOutcome(Step step, String group, List<String> groups, Throwable failure)
      implements Command {}

  enum Retry implements Command {
    INSTANCE
  }

  /** Every step is done: the closure is written finished. */
  enum Finish implements Command {
    INSTANCE
  }

  /** The steps before the groups, in the order they run. */
  public enum Step {
    CLOSE_ACCOUNT,
    REVOKE_TOKENS,
    CLOSE_INBOX,
    LEAVE_GROUP
  }

  public sealed interface Event extends CborSerializable
      permits ClosureStarted, StepFinished, GroupLeft, ClosureFinished {}

  public record ClosureStarted(String userId, String username, Instant at) implements Event {}

  /**
   * @param groups for {@link Step#CLOSE_INBOX}: the groups the user was still in; else empty
   */
  public record StepFinished(Step step, List<String> groups) implements Event {
    public StepFinished {
      groups = groups == null ? List.of() : List.copyOf(groups);
    }
  }

  public record GroupLeft(String conversationId) implements Event {}

  public record ClosureFinished(Instant at) implements Event {}

  // --- state ---

  public sealed interface State extends CborSerializable permits Open, Closing, Closed {}

  /** Nothing asked yet. */
  public record Open() implements State {}

  /**
   * @param next the step to run now
   * @param groups the groups still to leave (known once the inbox is closed)
   */
  public record Closing(String username, Step next, List<String> groups) implements State {
    public Closing {
      groups = groups == null ? List.of() : List.copyOf(groups);
    }

    Closing after(StepFinished done) {
      return switch (done.step()) {
        case CLOSE_ACCOUNT -> new Closing(username, Step.REVOKE_TOKENS, groups);
        case REVOKE_TOKENS -> new Closing(username, Step.CLOSE_INBOX, groups);
        case CLOSE_INBOX, LEAVE_GROUP -> new Closing(username, Step.LEAVE_GROUP, done.groups());
      };
    }

    Closing left(String conversationId) {
      List<String> rest = new ArrayList<>(groups);
      rest.remove(conversationId);
      return new Closing(username, next, rest);
    }

    /** Whether nothing is left to do. */
    boolean finished() {
      return next == Step.LEAVE_GROUP && groups.isEmpty();
    }
  }

  public record Closed(Instant at) implements State {}

  // --- behaviour ---

  static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  static final Duration LAST_RETRY = Duration.ofSeconds(30);

  private final String userId;
  private final ClosureSteps steps;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final Consumer<ActorRef<Command>> passivate;

  // Runtime only: who waits for the end, whether a step runs, how long the next retry waits.
  private final List<ActorRef<Done>> waiting = new ArrayList<>();
  private boolean running;
  private Duration retryAfter = FIRST_RETRY;

  private AccountClosure(
      String userId,
      ClosureSteps steps,
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      Consumer<ActorRef<Command>> passivate) {
    super(PersistenceId.of(ENTITY_KEY.name(), userId), EntityRestarts.onJournalFailure());
    this.userId = userId;
    this.steps = steps;
    this.context = context;
    this.timers = timers;
    this.passivate = passivate;
  }

  public static Behavior<Command> create(
      String userId, ClosureSteps steps, Consumer<ActorRef<Command>> passivate) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> new AccountClosure(userId, steps, ctx, timers, passivate)));
  }

  public static void init(ActorSystem<?> system, ClosureSteps steps) {
    ClusterSharding.get(system)
        .init(
            Entity.of(
                    ENTITY_KEY,
                    ctx ->
                        create(
                            ctx.getEntityId(),
                            steps,
                            self -> ctx.getShard().tell(new ClusterSharding.Passivate<>(self))))
                .withSettings(ClusterShardingSettings.create(system).withRememberEntities(true)));
  }

  @Override
  public State emptyState() {
    return new Open();
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::proceed).build();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    var builder = newCommandHandlerWithReplyBuilder();
    builder
        .forStateType(Open.class)
        .onCommand(Close.class, this::onStart)
        .onCommand(GetStatus.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
        .onCommand(StepOutcome.class, (state, cmd) -> Effect().noReply())
        .onCommand(Retry.class, (state, cmd) -> Effect().noReply())
        .onCommand(Finish.class, (state, cmd) -> Effect().noReply());
    builder
        .forStateType(Closing.class)
        .onCommand(Close.class, this::onCloseAgain)
        .onCommand(GetStatus.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
        .onCommand(StepOutcome.class, this::onStepOutcome)
        .onCommand(Retry.class, this::onRetry)
        .onCommand(Finish.class, this::onFinish);
    builder
        .forStateType(Closed.class)
        .onCommand(Close.class, (state, cmd) -> Effect().reply(cmd.replyTo(), Done.getInstance()))
        .onCommand(GetStatus.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
        .onCommand(StepOutcome.class, (state, cmd) -> Effect().noReply())
        .onCommand(Retry.class, (state, cmd) -> Effect().noReply())
        .onCommand(Finish.class, (state, cmd) -> Effect().noReply());
    return builder.build();
  }

  // -- starting and waiting --

  private ReplyEffect<Event, State> onStart(Open state, Close cmd) {
    waiting.add(cmd.replyTo());
    return Effect()
        .persist(new ClosureStarted(userId, cmd.username(), Instant.now()))
        .thenRun(this::proceed)
        .thenNoReply();
  }

  private ReplyEffect<Event, State> onCloseAgain(Closing state, Close cmd) {
    waiting.add(cmd.replyTo());
    return Effect().noReply();
  }

  // -- the steps --

  private ReplyEffect<Event, State> onStepOutcome(Closing state, StepOutcome outcome) {
    running = false;
    if (outcome.failure() != null) {
      context
          .getLog()
          .warn(
              "Closing the account of {}: {} failed, trying again in {}",
              userId,
              outcome.step(),
              retryAfter,
              outcome.failure());
      timers.startSingleTimer(Retry.INSTANCE, retryAfter);
      retryAfter =
          retryAfter.multipliedBy(2).compareTo(LAST_RETRY) > 0
              ? LAST_RETRY
              : retryAfter.multipliedBy(2);
      return Effect().noReply();
    }
    retryAfter = FIRST_RETRY;
    Event done =
        outcome.step() == Step.LEAVE_GROUP
            ? new GroupLeft(outcome.group())
            : new StepFinished(outcome.step(), outcome.groups());
    return Effect().persist(done).thenRun(this::proceed).thenNoReply();
  }

  private ReplyEffect<Event, State> onRetry(Closing state, Retry retry) {
    proceed(state);
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> onFinish(Closing state, Finish finish) {
    running = false;
    return Effect()
        .persist(new ClosureFinished(Instant.now()))
        .thenRun(this::proceed)
        .thenNoReply();
  }

  /** Runs the next step, or finishes; a closed closure passivates for good. */
  private void proceed(State state) {
    if (state instanceof Closed) {
      waiting.forEach(replyTo -> replyTo.tell(Done.getInstance()));
      waiting.clear();
      passivate.accept(context.getSelf());
      return;
    }
    if (!(state instanceof Closing closing) || running) return;
    running = true;
    if (closing.finished()) {
      context.getSelf().tell(Finish.INSTANCE);
      return;
    }
    switch (closing.next()) {
      case CLOSE_ACCOUNT ->
          run(Step.CLOSE_ACCOUNT, null, steps.closeAccount(closing.username(), userId));
      case REVOKE_TOKENS -> run(Step.REVOKE_TOKENS, null, steps.revokeTokens(userId));
      case CLOSE_INBOX ->
          context.pipeToSelf(
              steps.closeInbox(userId),
              (groups, failure) -> new StepOutcome(Step.CLOSE_INBOX, null, groups, failure));
      case LEAVE_GROUP -> {
        String group = closing.groups().get(0);
        run(Step.LEAVE_GROUP, group, steps.leaveGroup(userId, group));
      }
    }
  }

  private void run(Step step, String group, CompletionStage<Done> work) {
    context.pipeToSelf(work, (done, failure) -> new StepOutcome(step, group, null, failure));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    var builder = newEventHandlerBuilder();
    builder
        .forStateType(Open.class)
        .onEvent(
            ClosureStarted.class,
            (state, event) -> new Closing(event.username(), Step.CLOSE_ACCOUNT, List.of()));
    builder
        .forStateType(Closing.class)
        .onEvent(StepFinished.class, Closing::after)
        .onEvent(GroupLeft.class, (state, event) -> state.left(event.conversationId()))
        .onEvent(ClosureFinished.class, (state, event) -> new Closed(event.at()));
    return builder.build();
  }
}
