package messenger.auth;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.ErrorDetail;
import messenger.ErrorDetail.Rule;

/**
 * Creates many accounts at once for load runs and staging: {@code count} users named {@code prefix0
 * … prefix<count-1>}, all with the same password, each with a token, so a load generator needs no
 * logins. The password is hashed once; that hash is what makes this fast, since a registration or a
 * login costs one Argon2 hash (~80 ms of CPU) each.
 *
 * <p>Each account is created as a registration creates it (user first, then the username claim), so
 * a provisioned user is indistinguishable from a registered one and can log in. Not atomic: if a
 * username is taken the call fails with {@code USERNAME_TAKEN} and the accounts created before it
 * stay. Failures are surfaced like {@link Accounts}' (a {@link DomainException} or the original
 * {@link java.util.concurrent.TimeoutException}).
 */
public final class BulkAccounts {

  /** Accounts one call may create; the answer carries a token for each (~400 bytes). */
  public static final int MAX_COUNT = 10_000;

  // Enough to keep the journal busy without an ask timing out behind the queue it builds.
  private static final int PARALLELISM = 32;

  /** One created user and a token for it. */
  public record Provisioned(String userId, String username, String token, Instant expiresAt) {}

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final PasswordHashing hashing;
  private final TokenService tokens;
  private final UserCreator userCreator;
  private final Duration askTimeout;

  public BulkAccounts(
      ActorSystem<?> system,
      PasswordHashing hashing,
      TokenService tokens,
      UserCreator userCreator,
      Duration askTimeout) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.hashing = Objects.requireNonNull(hashing, "hashing");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.userCreator = Objects.requireNonNull(userCreator, "userCreator");
    this.askTimeout = Objects.requireNonNull(askTimeout, "askTimeout");
  }

  /**
   * Creates the users, in name order; fails with {@code BAD_REQUEST} before creating any for bad
   * input.
   */
  public CompletionStage<List<Provisioned>> create(
      String usernamePrefix, int count, String password) {
    try {
      requireValid(usernamePrefix, count, password);
    } catch (DomainException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletionStage<List<Provisioned>> flow =
        hashing
            .hash(password)
            .thenCompose(
                hash ->
                    Source.range(0, count - 1)
                        .mapAsync(PARALLELISM, i -> createOne(usernamePrefix + i, hash))
                        .runWith(Sink.seq(), system));
    return Accounts.surfaced(flow);
  }

  private CompletionStage<Provisioned> createOne(String username, String hash) {
    String userId = Accounts.newUserId();
    return userCreator
        .create(userId, username, username)
        .thenCompose(
            created ->
                sharding
                    .entityRefFor(Account.ENTITY_KEY, username)
                    .<Done>askWithStatus(
                        replyTo -> new Account.Register(userId, hash, username, replyTo),
                        askTimeout))
        .thenApply(
            done -> {
              TokenService.IssuedToken token = tokens.issue(userId);
              return new Provisioned(userId, username, token.token(), token.expiresAt());
            });
  }

  private static void requireValid(String prefix, int count, String password) {
    if (count < 1 || count > MAX_COUNT) {
      throw new DomainException(
          ErrorCode.BAD_REQUEST, ErrorDetail.between(Rule.RANGE, "count", 1, MAX_COUNT));
    }
    if (prefix == null
        || !Accounts.isValidUsername(prefix + "0")
        || !Accounts.isValidUsername(prefix + (count - 1))) {
      throw new DomainException(
          ErrorCode.BAD_REQUEST,
          ErrorDetail.between(
              Rule.USERNAME_PREFIX,
              "usernamePrefix",
              Accounts.USERNAME_MIN,
              Accounts.USERNAME_MAX));
    }
    Accounts.requireValidPassword(password);
  }
}
