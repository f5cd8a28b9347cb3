package messenger.media;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many uploads a user may start per hour, as a token bucket per user. Per node, like the send
 * limits ({@code limits.SendLimits}): a user spread over n nodes may start n times as many, which
 * bounds abuse without a cross-node round trip per upload.
 */
final class UploadLimits {

  private final int perHour;
  private final ConcurrentHashMap<String, Bucket> users = new ConcurrentHashMap<>();

  UploadLimits(int perHour) {
    this.perHour = perHour;
  }

  boolean tryStart(String userId) {
    return users.computeIfAbsent(userId, id -> bucket()).tryConsume(1);
  }

  /** Forgets users whose bucket has refilled: what a new one would be. */
  void forgetIdle() {
    users.values().removeIf(bucket -> bucket.getAvailableTokens() >= perHour);
  }

  private Bucket bucket() {
    return Bucket.builder()
        .addLimit(
            Bandwidth.builder()
                .capacity(perHour)
                .refillGreedy(perHour, Duration.ofHours(1))
                .build())
        .build();
  }
}
