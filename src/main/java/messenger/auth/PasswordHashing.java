package messenger.auth;

import com.typesafe.config.Config;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.ErrorDetail.Rule;

/**
 * Argon2 hashing and checking ({@link PasswordHasher}) on a small executor of its own with a
 * bounded queue, so that a login storm costs a fixed share of the CPU and refuses the excess at
 * once ({@code rate_limited}, {@link Rule#PASSWORD_CHECKS_BUSY}) instead of queueing without end or
 * starving the journal, the actors and the driver on a 2-core node.
 *
 * <p>Each call costs ~80 ms of CPU and 19 MiB; with one thread and 32 queued a node checks ~12
 * passwords a second and a refused client waits at most ~3 s in the queue.
 */
public final class PasswordHashing implements AutoCloseable {

  /** {@code messenger.auth.password-hashing}: threads that hash, and calls that may wait. */
  public record Settings(int threads, int queueSize) {
    public Settings {
      if (threads < 1) {
        throw new IllegalArgumentException(
            "messenger.auth.password-hashing.threads must be at least 1: " + threads);
      }
      if (queueSize < 1) {
        throw new IllegalArgumentException(
            "messenger.auth.password-hashing.queue-size must be at least 1: " + queueSize);
      }
    }

    public static Settings fromConfig(Config root) {
      Config c = root.getConfig("messenger.auth.password-hashing");
      return new Settings(c.getInt("threads"), c.getInt("queue-size"));
    }
  }

  private final PasswordHasher hasher;
  private final ThreadPoolExecutor pool;

  public PasswordHashing(PasswordHasher hasher, Settings settings) {
    this.hasher = Objects.requireNonNull(hasher, "hasher");
    this.pool =
        new ThreadPoolExecutor(
            settings.threads(),
            settings.threads(),
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(settings.queueSize()),
            runnable -> {
              Thread thread = new Thread(runnable, "password-hashing");
              thread.setDaemon(true);
              return thread;
            },
            // Refuse, never run on the caller's thread: the caller is an actor or a route.
            new ThreadPoolExecutor.AbortPolicy());
  }

  /** From {@code messenger.auth.password-hashing} of the root config. */
  public static PasswordHashing create(Config root) {
    return new PasswordHashing(new PasswordHasher(), Settings.fromConfig(root));
  }

  /** {@link PasswordHasher#hash}, or refused with {@code RATE_LIMITED} when the queue is full. */
  public CompletionStage<String> hash(String password) {
    return submit(() -> hasher.hash(password));
  }

  /** {@link PasswordHasher#matches}, or refused with {@code RATE_LIMITED}. */
  public CompletionStage<Boolean> matches(String password, String encoded) {
    return submit(() -> hasher.matches(password, encoded));
  }

  /** {@link PasswordHasher#matchesNothing}, or refused with {@code RATE_LIMITED}. */
  public CompletionStage<Boolean> matchesNothing(String password) {
    return submit(() -> hasher.matchesNothing(password));
  }

  /** Runs {@code work} on the hashing threads, or fails at once if as many already wait. */
  <T> CompletionStage<T> submit(Supplier<T> work) {
    try {
      return CompletableFuture.supplyAsync(work, pool);
    } catch (RejectedExecutionException full) {
      return CompletableFuture.failedFuture(busy());
    }
  }

  static DomainException busy() {
    return DomainException.of(ErrorCode.RATE_LIMITED, Rule.PASSWORD_CHECKS_BUSY);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
