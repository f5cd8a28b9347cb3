package messenger.limits;

import com.typesafe.config.Config;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed logins allowed per username and per client address, as token buckets: each failure takes a
 * token, tokens come back gradually over the window, and while either bucket is empty every login
 * for that name or from that address is refused before any password is checked (so a guessing
 * attack cannot even spend the server's CPU on Argon2). Unknown usernames are throttled exactly
 * like real ones, so the throttle tells nobody which accounts exist. Per node.
 */
public final class LoginThrottle {

  /** From {@code messenger.limits}. */
  public record Settings(
      int failuresPerAccount,
      Duration accountWindow,
      int failuresPerAddress,
      Duration addressWindow) {
    public static Settings fromConfig(Config limits) {
      return new Settings(
          limits.getInt("login-failures-per-account"),
          limits.getDuration("login-failure-window-per-account"),
          limits.getInt("login-failures-per-address"),
          limits.getDuration("login-failure-window-per-address"));
    }
  }

  private final Settings settings;
  private final ConcurrentHashMap<String, Bucket> accounts = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Bucket> addresses = new ConcurrentHashMap<>();

  public LoginThrottle(Settings settings) {
    this.settings = settings;
  }

  /** How long until a login for this name from this address may be tried; zero if now. */
  public Duration waitBeforeTrying(String username, String address) {
    long nanos =
        Math.max(
            waitNanos(accounts.get(username)),
            address == null ? 0 : waitNanos(addresses.get(address)));
    return Duration.ofNanos(nanos);
  }

  /** A wrong password (or unknown name) for {@code username} from {@code address}. */
  public void failed(String username, String address) {
    accounts
        .computeIfAbsent(
            username, name -> bucket(settings.failuresPerAccount(), settings.accountWindow()))
        .tryConsume(1);
    if (address != null) {
      addresses
          .computeIfAbsent(
              address, a -> bucket(settings.failuresPerAddress(), settings.addressWindow()))
          .tryConsume(1);
    }
  }

  /** Forgets buckets that have refilled, which a fresh bucket would equal. Call now and then. */
  public void forgetIdle() {
    accounts
        .values()
        .removeIf(bucket -> bucket.getAvailableTokens() >= settings.failuresPerAccount());
    addresses
        .values()
        .removeIf(bucket -> bucket.getAvailableTokens() >= settings.failuresPerAddress());
  }

  private static long waitNanos(Bucket bucket) {
    if (bucket == null) return 0;
    return bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
  }

  private static Bucket bucket(int failures, Duration window) {
    return Bucket.builder()
        .addLimit(Bandwidth.builder().capacity(failures).refillGreedy(failures, window).build())
        .build();
  }
}
