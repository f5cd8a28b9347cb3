package messenger.delivery;

import java.time.Duration;
import java.util.Optional;

/**
 * When a session last heard from its client, and whether the client has been silent for longer than
 * the connection timeout. Every client frame counts, whatever it says. Runtime only, owned by the
 * session; time is passed in (System.nanoTime) so that tests need not wait.
 */
final class Heartbeat {

  private final Duration timeout;
  private long lastHeardNanos;

  Heartbeat(Duration timeout, long nowNanos) {
    this.timeout = timeout;
    this.lastHeardNanos = nowNanos;
  }

  void heard(long nowNanos) {
    lastHeardNanos = nowNanos;
  }

  /** How long the client has been silent, if that is longer than the timeout; else empty. */
  Optional<Duration> overdue(long nowNanos) {
    Duration silence = Duration.ofNanos(nowNanos - lastHeardNanos);
    return silence.compareTo(timeout) > 0 ? Optional.of(silence) : Optional.empty();
  }
}
