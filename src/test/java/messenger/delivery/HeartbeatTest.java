package messenger.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When a session's client counts as gone, with time passed in. */
class HeartbeatTest {

  private static final long SECOND = Duration.ofSeconds(1).toNanos();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @Test
  void aClientSilentForAtMostTheTimeoutIsNotOverdue() {
    var heartbeat = new Heartbeat(TIMEOUT, 0);

    assertEquals(Optional.empty(), heartbeat.overdue(5 * SECOND));
    assertEquals(Optional.empty(), heartbeat.overdue(10 * SECOND));
  }

  @Test
  void aClientSilentForLongerThanTheTimeoutIsOverdueByItsWholeSilence() {
    var heartbeat = new Heartbeat(TIMEOUT, 0);

    assertEquals(
        Optional.of(Duration.ofNanos(10 * SECOND + 1)), heartbeat.overdue(10 * SECOND + 1));
  }

  @Test
  void hearingFromTheClientStartsTheSilenceAgain() {
    var heartbeat = new Heartbeat(TIMEOUT, 0);

    heartbeat.heard(8 * SECOND);

    assertEquals(Optional.empty(), heartbeat.overdue(15 * SECOND));
    assertEquals(Optional.of(Duration.ofSeconds(11)), heartbeat.overdue(19 * SECOND));
  }

  @Test
  void timeIsCountedFromWhenTheSessionStartedUntilTheClientIsFirstHeard() {
    var heartbeat = new Heartbeat(TIMEOUT, 100 * SECOND);

    assertEquals(Optional.empty(), heartbeat.overdue(109 * SECOND));
    assertEquals(Optional.of(Duration.ofSeconds(11)), heartbeat.overdue(111 * SECOND));
  }
}
