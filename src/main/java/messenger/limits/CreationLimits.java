package messenger.limits;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many conversations (direct or group) a user may create per hour, as a token bucket per user:
 * the whole allowance may be used at once, and it comes back gradually over the hour. It keeps one
 * account from spraying groups or direct messages at strangers. Per node, like {@link SendLimits}.
 */
public final class CreationLimits {
  private static final Duration PERIOD = Duration.ofHours(1);

  private final int perHour;
  private final TimeMeter clock;
  private final ConcurrentHashMap<String, Bucket> users = new ConcurrentHashMap<>();

  public CreationLimits(int perHour) {
    this(perHour, TimeMeter.SYSTEM_MILLISECONDS);
  }

  CreationLimits(int perHour, TimeMeter clock) {
    this.clock = clock;
    if (perHour < 1) {
      throw new IllegalArgumentException(
          "messenger.limits.conversations-per-hour-per-user must be at least 1: " + perHour);
    }
    this.perHour = perHour;
  }

  public int perHour() {
    return perHour;
  }

  /** Takes one creation from the user's allowance, or refuses. */
  public boolean tryCreate(String userId) {
    return users.computeIfAbsent(userId, id -> bucket()).tryConsume(1);
  }

  /** Returns a creation that created nothing (the conversation existed, or it was refused). */
  public void giveBack(String userId) {
    Bucket bucket = users.get(userId);
    if (bucket != null && bucket.getAvailableTokens() < perHour) bucket.addTokens(1);
  }

  /** Forgets users whose allowance has come back in full. Call now and then. */
  public void forgetIdle() {
    users.values().removeIf(bucket -> bucket.getAvailableTokens() >= perHour);
  }

  int trackedUsers() {
    return users.size();
  }

  private Bucket bucket() {
    return Bucket.builder()
        .withCustomTimePrecision(clock)
        .addLimit(Bandwidth.builder().capacity(perHour).refillGreedy(perHour, PERIOD).build())
        .build();
  }
}
