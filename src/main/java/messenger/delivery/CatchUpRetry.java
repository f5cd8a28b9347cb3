package messenger.delivery;

import java.time.Duration;

/**
 * When a {@link Session} tries again a catch-up that failed or read nothing while something is
 * still missing: soon at first (a journal read that timed out in a busy moment should not leave the
 * device without its messages until the next heartbeat), then half as often each time, and never
 * less often than {@code longest}. Runtime bookkeeping only, one per connection.
 */
final class CatchUpRetry {

  static final Duration FIRST = Duration.ofMillis(100);

  private final Duration longest;
  private Duration next;

  CatchUpRetry(Duration longest) {
    if (longest.isNegative() || longest.isZero()) {
      throw new IllegalArgumentException("longest must be positive");
    }
    this.longest = longest;
    this.next = shorter(FIRST, longest);
  }

  /** How long to wait before the next try; each call doubles the wait after it, up to longest. */
  Duration next() {
    Duration wait = next;
    next = shorter(next.multipliedBy(2), longest);
    return wait;
  }

  /** A catch-up got somewhere (or nothing is missing): the next trouble is tried again soon. */
  void reset() {
    next = shorter(FIRST, longest);
  }

  private static Duration shorter(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
