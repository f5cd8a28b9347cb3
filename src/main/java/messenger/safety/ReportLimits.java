package messenger.safety;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many reports a user may file per hour, as a token bucket per reporter (the whole allowance at
 * once, coming back over the hour): reporting must not become a way to flood the moderators. Per
 * node, like the other limits; a refusal says how long until the next report is allowed.
 */
public final class ReportLimits {
  private static final Duration PERIOD = Duration.ofHours(1);

  private final int perHour;
  private final TimeMeter clock;
  private final ConcurrentHashMap<String, Bucket> reporters = new ConcurrentHashMap<>();

  public ReportLimits(int perHour) {
    this(perHour, TimeMeter.SYSTEM_MILLISECONDS);
  }

  ReportLimits(int perHour, TimeMeter clock) {
    if (perHour < 1) {
      throw new IllegalArgumentException(
          "messenger.limits.reports-per-hour-per-user must be at least 1: " + perHour);
    }
    this.perHour = perHour;
    this.clock = clock;
  }

  /** From {@code messenger.limits.reports-per-hour-per-user}. */
  public static ReportLimits fromConfig(com.typesafe.config.Config root) {
    return new ReportLimits(root.getInt("messenger.limits.reports-per-hour-per-user"));
  }

  public int perHour() {
    return perHour;
  }

  /** Takes one report from the user's allowance: zero if taken, else how long until one is. */
  public Duration tryReport(String userId) {
    ConsumptionProbe probe =
        reporters.computeIfAbsent(userId, id -> bucket()).tryConsumeAndReturnRemaining(1);
    return probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(probe.getNanosToWaitForRefill());
  }

  /** Forgets reporters whose allowance has come back in full. Call now and then. */
  public void forgetIdle() {
    reporters.values().removeIf(bucket -> bucket.getAvailableTokens() >= perHour);
  }

  int trackedReporters() {
    return reporters.size();
  }

  private Bucket bucket() {
    return Bucket.builder()
        .withCustomTimePrecision(clock)
        .addLimit(Bandwidth.builder().capacity(perHour).refillGreedy(perHour, PERIOD).build())
        .build();
  }
}
