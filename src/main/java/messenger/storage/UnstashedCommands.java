package messenger.storage;

import akka.actor.typed.Behavior;
import akka.actor.typed.BehaviorInterceptor;
import akka.actor.typed.TypedActorContext;
import akka.actor.typed.javadsl.Behaviors;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A lane past an event-sourced entity's stash for commands that arrive in crowds: one per member
 * per request, say, all within milliseconds. Akka Persistence stashes every command that comes
 * while the entity writes, and Akka 2.8.5 lets the stash go recursively, a group of stack frames
 * per command, so a few thousand stashed commands overflow a 1 MiB thread stack ({@code
 * StackOverflowError}, fatal: the JVM exits). Commands of the lane's class are taken out of the
 * mailbox before the entity sees them, queued here, and the entity is passed one wake-up command
 * instead; the entity's handler for the wake-up {@link #drain drains} the queue in a loop and
 * handles each command as it would have alone. However many arrive during a write, the stash holds
 * a handful of wake-ups, never the crowd, and the lane keeps its own order.
 *
 * <p>The contract for the entity:
 *
 * <ul>
 *   <li>Lane commands must not persist or reply through an effect: the drain handles any number of
 *       them in one command and returns one effect. Their handlers are side effects (counters,
 *       sends, runtime state).
 *   <li>Lane commands may overtake commands outside the lane that were stashed before them (they
 *       are handled at the first wake-up); their order among themselves is kept.
 *   <li>The entity should also drain at its own timer, if it has one: a wake-up dropped by a full
 *       stash ({@code stash-overflow-strategy = drop}) is otherwise replaced only when the queue
 *       doubles.
 * </ul>
 *
 * <p>Owned by one actor, created per incarnation by {@link #around}, hence not thread-safe.
 *
 * @param <L> the lane's commands
 */
public final class UnstashedCommands<L> {

  private final ArrayDeque<L> queue = new ArrayDeque<>();

  private UnstashedCommands() {}

  /**
   * The entity {@code entity} makes, with a lane in front of it that takes the commands of {@code
   * laneClass} and passes {@code wakeUp} on in their place.
   *
   * @param commandClass the entity's command type: only these are looked at, so the entity's own
   *     internal messages (journal answers, the testkit's probes) pass untouched
   */
  public static <C, L extends C> Behavior<C> around(
      Class<C> commandClass,
      Class<L> laneClass,
      C wakeUp,
      Function<UnstashedCommands<L>, Behavior<C>> entity) {
    return Behaviors.setup(
        context -> {
          var lane = new UnstashedCommands<L>();
          var interceptor = new Interceptor<>(commandClass, laneClass, wakeUp, lane);
          return Behaviors.intercept(() -> interceptor, entity.apply(lane));
        });
  }

  /** Hands every queued command to {@code handler}, oldest first; the lane is empty afterwards. */
  public void drain(Consumer<? super L> handler) {
    L next;
    while ((next = queue.poll()) != null) handler.accept(next);
  }

  /** How many commands wait for the next drain. */
  public int waiting() {
    return queue.size();
  }

  /** Queues a lane command; true if the entity should be woken for it. */
  private boolean take(L command) {
    queue.add(command);
    // One wake-up when the queue fills from empty is enough if it is stashed; more when the queue
    // doubles, in case a full stash dropped it. So at most log2(n) + 1 wake-ups wait for n.
    return Integer.bitCount(queue.size()) == 1;
  }

  private static final class Interceptor<C, L extends C> extends BehaviorInterceptor<C, C> {
    private final Class<L> laneClass;
    private final C wakeUp;
    private final UnstashedCommands<L> lane;

    Interceptor(Class<C> commandClass, Class<L> laneClass, C wakeUp, UnstashedCommands<L> lane) {
      super(commandClass);
      this.laneClass = laneClass;
      this.wakeUp = wakeUp;
      this.lane = lane;
    }

    @Override
    public Behavior<C> aroundReceive(TypedActorContext<C> ctx, C msg, ReceiveTarget<C> target) {
      if (!laneClass.isInstance(msg)) return target.apply(ctx, msg);
      return lane.take(laneClass.cast(msg)) ? target.apply(ctx, wakeUp) : Behaviors.same();
    }
  }
}
