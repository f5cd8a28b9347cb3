package messenger.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CreationLimitsTest {
  private final AtomicLong nanos = new AtomicLong();
  private final TimeMeter clock =
      new TimeMeter() {
        @Override
        public long currentTimeNanos() {
          return nanos.get();
        }

        @Override
        public boolean isWallClockBased() {
          return false;
        }
      };

  private void advance(Duration by) {
    nanos.addAndGet(by.toNanos());
  }

  @Test
  void theWholeHourlyAllowanceMayBeUsedAtOnceAndThenIsRefused() {
    CreationLimits limits = new CreationLimits(3, clock);
    assertTrue(limits.tryCreate("u"));
    assertTrue(limits.tryCreate("u"));
    assertTrue(limits.tryCreate("u"));
    assertFalse(limits.tryCreate("u"));
    assertTrue(limits.tryCreate("someone-else"), "each user has their own allowance");
  }

  @Test
  void theAllowanceComesBackGraduallyOverTheHour() {
    CreationLimits limits = new CreationLimits(3, clock);
    for (int i = 0; i < 3; i++) limits.tryCreate("u");

    advance(Duration.ofMinutes(19));
    assertFalse(limits.tryCreate("u"));
    advance(Duration.ofMinutes(1));
    assertTrue(limits.tryCreate("u"), "one of three back after a third of an hour");
    assertFalse(limits.tryCreate("u"));
  }

  @Test
  void aCreationGivenBackCanBeUsedAgainButNeverBeyondTheAllowance() {
    CreationLimits limits = new CreationLimits(2, clock);
    limits.tryCreate("u");
    limits.tryCreate("u");
    limits.giveBack("u");
    assertTrue(limits.tryCreate("u"));

    CreationLimits fresh = new CreationLimits(2, clock);
    fresh.tryCreate("v");
    fresh.giveBack("v");
    fresh.giveBack("v");
    assertTrue(fresh.tryCreate("v"));
    assertTrue(fresh.tryCreate("v"));
    assertFalse(fresh.tryCreate("v"));
  }

  @Test
  void usersWhoseAllowanceIsFullAreForgotten() {
    CreationLimits limits = new CreationLimits(2, clock);
    limits.tryCreate("busy");
    limits.tryCreate("idle");
    advance(Duration.ofHours(1));
    limits.tryCreate("busy");
    limits.forgetIdle();
    assertEquals(1, limits.trackedUsers());
  }
}
