package messenger.media;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Deletes uploads no message took within {@code orphan-after}: everything still under {@code
 * pending/} that was written before then. One per cluster (a singleton); a sweep that fails is
 * tried again at the next interval, and a sweep that runs twice deletes nothing twice.
 */
public final class OrphanSweeper {

  /** What the sweeper is told: its timer, and how a sweep ended. */
  public sealed interface Command permits Sweep, Swept, Stop {}

  enum Sweep implements Command {
    INSTANCE
  }

  /** The singleton's hand-off: a sweep in flight is simply not waited for. */
  public enum Stop implements Command {
    INSTANCE
  }

  public static final Command STOP = Stop.INSTANCE;

  record Swept(int deleted, Throwable failure) implements Command {}

  private OrphanSweeper() {}

  public static Behavior<Command> create(
      ObjectStore store, AttachmentSettings settings, Clock clock) {
    return Behaviors.withTimers(
        timers ->
            Behaviors.setup(
                ctx -> {
                  timers.startTimerWithFixedDelay(Sweep.INSTANCE, settings.sweepInterval());
                  ctx.getSelf().tell(Sweep.INSTANCE);
                  return idle(ctx, timers, store, settings, clock);
                }));
  }

  private static Behavior<Command> idle(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      ObjectStore store,
      AttachmentSettings settings,
      Clock clock) {
    return Behaviors.receive(Command.class)
        .onMessage(
            Sweep.class,
            sweep -> {
              ctx.pipeToSelf(
                  sweep(store, clock.instant().minus(settings.orphanAfter())), Swept::new);
              return sweeping(ctx, timers, store, settings, clock);
            })
        .onMessage(Swept.class, swept -> Behaviors.same())
        .onMessage(Stop.class, stop -> Behaviors.stopped())
        .build();
  }

  /** One sweep at a time: a timer that fires meanwhile is dropped, the next one sweeps. */
  private static Behavior<Command> sweeping(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      ObjectStore store,
      AttachmentSettings settings,
      Clock clock) {
    return Behaviors.receive(Command.class)
        .onMessage(Sweep.class, sweep -> Behaviors.same())
        .onMessage(
            Swept.class,
            swept -> {
              if (swept.failure() != null) {
                ctx.getLog().warn("Collecting orphaned uploads failed", swept.failure());
              } else if (swept.deleted() > 0) {
                ctx.getLog().info("Collected {} uploads no message took", swept.deleted());
              }
              return idle(ctx, timers, store, settings, clock);
            })
        .onMessage(Stop.class, stop -> Behaviors.stopped())
        .build();
  }

  static CompletionStage<Integer> sweep(ObjectStore store, Instant before) {
    return store
        .keysWrittenBefore(AttachmentKeys.PENDING, before)
        .thenCompose(
            keys -> {
              List<CompletableFuture<?>> deletes = new ArrayList<>(keys.size());
              for (String key : keys) deletes.add(store.delete(key).toCompletableFuture());
              return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new))
                  .thenApply(done -> keys.size());
            });
  }
}
