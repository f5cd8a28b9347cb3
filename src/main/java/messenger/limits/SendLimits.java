package messenger.limits;

import com.typesafe.config.Config;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How fast users may send, as token buckets: each connection has its own, and each user one shared
 * by all their connections and their HTTP sends on this node. A send takes a token from both; a
 * send that finds either empty is refused with {@code rate_limited} and may be retried with the
 * same clientMsgId. Per node, not per cluster: a user spread over n nodes may send n times the user
 * rate, which bounds abuse without a cross-node round trip per message.
 */
public final class SendLimits {

  /** Sends per second and bursts, from {@code messenger.limits}. */
  public record Settings(int perUser, int userBurst, int perConnection, int connectionBurst) {
    public static Settings fromConfig(Config limits) {
      return new Settings(
          limits.getInt("sends-per-second-per-user"),
          limits.getInt("send-burst-per-user"),
          limits.getInt("sends-per-second-per-connection"),
          limits.getInt("send-burst-per-connection"));
    }
  }

  private final Settings settings;
  private final ConcurrentHashMap<String, Bucket> users = new ConcurrentHashMap<>();

  public SendLimits(Settings settings) {
    this.settings = settings;
  }

  /** A fresh bucket for one new connection. */
  public Bucket connectionBucket() {
    return bucket(settings.perConnection(), settings.connectionBurst());
  }

  /** Takes one send from the connection's and the user's allowance, or neither. */
  public boolean trySend(String userId, Bucket connection) {
    if (!connection.tryConsume(1)) return false;
    if (userBucket(userId).tryConsume(1)) return true;
    connection.addTokens(1);
    return false;
  }

  /** Takes one send from the user's allowance: an HTTP send, which has no connection. */
  public boolean trySend(String userId) {
    return userBucket(userId).tryConsume(1);
  }

  /**
   * Forgets users whose bucket has refilled: a full bucket is what a new one would be, so this
   * changes nobody's allowance and keeps memory to the users who sent recently. Call it now and
   * then.
   */
  public void forgetIdle() {
    users.values().removeIf(bucket -> bucket.getAvailableTokens() >= settings.userBurst());
  }

  int trackedUsers() {
    return users.size();
  }

  private Bucket userBucket(String userId) {
    return users.computeIfAbsent(userId, id -> bucket(settings.perUser(), settings.userBurst()));
  }

  private static Bucket bucket(int perSecond, int burst) {
    return Bucket.builder()
        .addLimit(
            Bandwidth.builder()
                .capacity(burst)
                .refillGreedy(perSecond, Duration.ofSeconds(1))
                .build())
        .build();
  }
}
