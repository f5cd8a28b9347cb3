package messenger.storage;

import akka.actor.typed.BackoffSupervisorStrategy;
import akka.actor.typed.SupervisorStrategy;
import java.time.Duration;

/**
 * How every event-sourced entity reacts to a journal failure, in one place: it restarts (recovers
 * from the journal again) after a short, jittered backoff instead of stopping.
 *
 * <p>Akka's default for a failed persist or recovery is to stop the entity; sharding then starts it
 * again only at the next message, and everything the stopped entity had stashed is lost as ask
 * timeouts, i.e. {@code unavailable} at the edge. A restart keeps the entity, stashes what arrives
 * during the backoff (akka.actor.typed.restart-stash-capacity) and retries. The backoff is short
 * because journal failures under overload are transient (a timed-out write, a breaker open for 2 s,
 * conf/persistence.conf): 50 ms first, doubling to at most 2 s, with 20 % jitter so the entities of
 * one node that failed together do not all recover in the same instant.
 */
public final class EntityRestarts {

  public static final Duration MIN_BACKOFF = Duration.ofMillis(50);
  public static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
  public static final double RANDOM_FACTOR = 0.2;

  private EntityRestarts() {}

  /** For the {@code onPersistFailure} argument of an {@code EventSourcedBehavior}'s constructor. */
  public static BackoffSupervisorStrategy onJournalFailure() {
    return SupervisorStrategy.restartWithBackoff(MIN_BACKOFF, MAX_BACKOFF, RANDOM_FACTOR);
  }
}
