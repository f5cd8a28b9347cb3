package messenger.push;

import java.time.Duration;

/**
 * Exponential backoff with jitter: after the n-th failed attempt, a random delay between half and
 * all of {@code initial * 2^(n-1)}, capped at {@code max}. The jitter keeps many devices behind one
 * failing push service from retrying in lockstep; the lower half keeps the delay growing.
 */
record Backoff(Duration initial, Duration max) {
  /** A push service asking for more than this is not waited for longer. */
  static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

  /**
   * @param failures attempts that failed so far, at least 1
   * @param retryAfter the push service's {@code Retry-After}, a lower bound; null if none
   * @param random uniform in [0, 1)
   */
  Duration delay(int failures, Duration retryAfter, double random) {
    long cap = max.toMillis();
    long exponential = initial.toMillis();
    for (int i = 1; i < failures && exponential < cap; i++) exponential *= 2;
    exponential = Math.min(exponential, cap);
    long jittered = exponential / 2 + (long) (random * (exponential - exponential / 2));
    Duration backoff = Duration.ofMillis(Math.max(1, jittered));
    if (retryAfter == null) return backoff;
    Duration asked = retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
    return asked.compareTo(backoff) > 0 ? asked : backoff;
  }
}
