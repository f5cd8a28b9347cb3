package messenger.limits;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The node's sends in flight, at most {@code max} at once ({@code
 * messenger.limits.node-sends-in-flight}): admission control, so that a burst beyond what the
 * journal can take is refused at once with {@code overloaded} and a time to retry, instead of
 * queueing until every send times out as {@code unavailable}. Each admitted send holds a {@link
 * Permit} until it is answered, whatever the answer.
 */
public final class SendAdmission {

  /** One admitted send's place; {@link #release()} gives it back, once however often called. */
  public final class Permit {
    private final AtomicBoolean released = new AtomicBoolean();

    private Permit() {}

    public void release() {
      if (released.compareAndSet(false, true)) inFlight.decrementAndGet();
    }
  }

  private final int max;
  private final long retryAfterMs;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final LongAdder refused = new LongAdder();

  /**
   * @param retryAfter the least wait a refused send is told; each is told a random wait from it to
   *     twice it, so refused clients do not all come back in the same instant
   */
  public SendAdmission(int max, Duration retryAfter) {
    if (max < 1) throw new IllegalArgumentException("node-sends-in-flight must be >= 1: " + max);
    this.max = max;
    this.retryAfterMs = Math.max(1, retryAfter.toMillis());
  }

  /** A permit if fewer than {@code max} sends are in flight; none if the node is at capacity. */
  public Optional<Permit> tryAdmit() {
    while (true) {
      int now = inFlight.get();
      if (now >= max) {
        refused.increment();
        return Optional.empty();
      }
      if (inFlight.compareAndSet(now, now + 1)) return Optional.of(new Permit());
    }
  }

  /** How long a refused send should wait before its retry, in milliseconds. */
  public long retryAfterMs() {
    return retryAfterMs + ThreadLocalRandom.current().nextLong(retryAfterMs + 1);
  }

  public int inFlight() {
    return inFlight.get();
  }

  /** Sends refused since the node started. */
  public long refused() {
    return refused.sum();
  }
}
