package messenger.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReportLimitsTest {

  private final AtomicLong nowMillis = new AtomicLong(1_000_000);
  private final TimeMeter clock =
      new TimeMeter() {
        @Override
        public long currentTimeNanos() {
          return nowMillis.get() * 1_000_000;
        }

        @Override
        public boolean isWallClockBased() {
          return true;
        }
      };

  @Test
  void aReporterMayFileTheWholeAllowanceAtOnceThenIsToldHowLongToWait() {
    var limits = new ReportLimits(3, clock);
    for (int i = 0; i < 3; i++) assertEquals(Duration.ZERO, limits.tryReport("alice"));

    Duration wait = limits.tryReport("alice");
    assertTrue(wait.compareTo(Duration.ofMinutes(19)) > 0, wait::toString);
    assertTrue(wait.compareTo(Duration.ofMinutes(21)) < 0, wait::toString);
    assertEquals(Duration.ZERO, limits.tryReport("bob"), "each reporter has an allowance");
  }

  @Test
  void theAllowanceComesBackOverTheHourAndFullReportersAreForgotten() {
    var limits = new ReportLimits(2, clock);
    limits.tryReport("alice");
    limits.tryReport("alice");
    nowMillis.addAndGet(Duration.ofMinutes(31).toMillis());
    assertEquals(Duration.ZERO, limits.tryReport("alice"));

    nowMillis.addAndGet(Duration.ofHours(2).toMillis());
    limits.forgetIdle();
    assertEquals(0, limits.trackedReporters());
  }

  @Test
  void anAllowanceOfLessThanOneIsAMistake() {
    assertThrows(IllegalArgumentException.class, () -> new ReportLimits(0));
  }
}
