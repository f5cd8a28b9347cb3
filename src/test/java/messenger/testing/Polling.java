package messenger.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition by polling it with a deadline (never a fixed sleep). */
public final class Polling {
  private Polling() {}

  public static void until(Duration timeout, BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = 10;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for: " + what);
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(pause).toNanos());
      pause = Math.min(200, pause * 2);
    }
  }
}
