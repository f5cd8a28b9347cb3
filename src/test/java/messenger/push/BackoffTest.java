package messenger.push;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

  @Test
  void theDelayDoublesPerFailureWithinHalfToAllOfIt() {
    assertEquals(Duration.ofMillis(500), backoff.delay(1, null, 0.0));
    assertEquals(Duration.ofMillis(999), backoff.delay(1, null, 0.999));
    assertEquals(Duration.ofMillis(1500), backoff.delay(2, null, 0.5));
    assertEquals(Duration.ofMillis(2000), backoff.delay(3, null, 0.0));
  }

  @Test
  void theDelayStopsGrowingAtMaxBackoff() {
    assertEquals(Duration.ofSeconds(225), backoff.delay(20, null, 0.5));
    assertEquals(Duration.ofSeconds(150), backoff.delay(1000, null, 0.0));
  }

  @Test
  void retryAfterIsALowerBound() {
    assertEquals(Duration.ofSeconds(7), backoff.delay(1, Duration.ofSeconds(7), 0.5));
    assertEquals(Duration.ofMillis(750), backoff.delay(1, Duration.ofMillis(100), 0.5));
  }

  @Test
  void anAbsurdRetryAfterIsCappedAtAnHour() {
    assertEquals(Duration.ofHours(1), backoff.delay(1, Duration.ofDays(30), 0.5));
  }
}
