package messenger.auth;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Whether a verified token has been revoked, for every request and connection on this node.
 *
 * <p>Asking the user's {@link TokenLedger} for each request would put a cluster round trip in front
 * of everything, so answers are cached per user. Every stored revocation is published to all nodes
 * ({@link #learned}), which replaces the cached answer at once; a cached answer is also dropped
 * after {@code maxAge}, which bounds how long a node that missed a publication (pub/sub delivers at
 * most once) keeps accepting a revoked token. Logins read the ledger itself, so a new token is
 * never issued into a generation that has just ended.
 */
public final class Revocations {
  /** Beyond this many cached users the cache starts over rather than grow without bound. */
  private static final int MAX_CACHED_USERS = 200_000;

  private record Cached(TokenLedger.Status status, long loadedAtNanos) {}

  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final long maxAgeNanos;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

  public Revocations(ActorSystem<?> system, Duration askTimeout, Duration maxAge) {
    this(ClusterSharding.get(system), askTimeout, maxAge, System::nanoTime);
  }

  Revocations(
      ClusterSharding sharding, Duration askTimeout, Duration maxAge, LongSupplier nanoClock) {
    this.sharding = sharding;
    this.askTimeout = askTimeout;
    this.maxAgeNanos = maxAge.toNanos();
    this.nanoClock = nanoClock;
  }

  /** Whether {@code token} has not been revoked; completes at once when the answer is cached. */
  public CompletionStage<Boolean> allows(TokenService.Verified token) {
    return allows(token.userId(), token.tokenId(), token.generation());
  }

  public CompletionStage<Boolean> allows(String userId, String tokenId, int generation) {
    Cached cached = cache.get(userId);
    if (cached != null && nanoClock.getAsLong() - cached.loadedAtNanos() < maxAgeNanos) {
      return CompletableFuture.completedFuture(cached.status().allows(tokenId, generation));
    }
    return current(userId).thenApply(status -> status.allows(tokenId, generation));
  }

  /** The user's token generation, read from the ledger: what a new token must carry. */
  public CompletionStage<Integer> generation(String userId) {
    return current(userId).thenApply(TokenLedger.Status::generation);
  }

  /** Revokes one token: the device that presented it is logged out. */
  public CompletionStage<Done> revoke(TokenService.Verified token) {
    return revoke(token.userId(), token.tokenId(), token.expiresAt());
  }

  /** Revokes the user's token {@code tokenId}, which expires at {@code expiresAt}. */
  public CompletionStage<Done> revoke(String userId, String tokenId, Instant expiresAt) {
    return ledger(userId)
        .ask(
            (ActorRef<TokenLedger.Status> replyTo) ->
                new TokenLedger.Revoke(tokenId, expiresAt, replyTo),
            askTimeout)
        .thenApply(status -> remember(userId, status));
  }

  /** Revokes every token the user holds but {@code kept}: the other devices are logged out. */
  public CompletionStage<Done> revokeAllBut(TokenService.Verified kept) {
    return ledger(kept.userId())
        .ask(
            (ActorRef<TokenLedger.Status> replyTo) ->
                new TokenLedger.RevokeAllBut(kept.tokenId(), kept.expiresAt(), replyTo),
            askTimeout)
        .thenApply(status -> remember(kept.userId(), status));
  }

  /** Revokes every token the user holds: all devices are logged out. */
  public CompletionStage<Done> revokeAll(String userId) {
    return ledger(userId)
        .ask(TokenLedger.RevokeAll::new, askTimeout)
        .thenApply(status -> remember(userId, status));
  }

  /** The user's revocations and suspension, read from the ledger (not the cache): for logins. */
  public CompletionStage<TokenLedger.Status> status(String userId) {
    return current(userId);
  }

  /** Suspends the user: every token they hold ends now, on every node, sockets included. */
  public CompletionStage<Done> suspend(String userId, String reason) {
    return ledger(userId)
        .ask(
            (akka.actor.typed.ActorRef<TokenLedger.Status> replyTo) ->
                new TokenLedger.Suspend(reason, replyTo),
            askTimeout)
        .thenApply(status -> remember(userId, status));
  }

  /** Ends the user's suspension: they may log in again; tokens from before stay revoked. */
  public CompletionStage<Done> reinstate(String userId) {
    return ledger(userId)
        .ask(TokenLedger.Reinstate::new, askTimeout)
        .thenApply(status -> remember(userId, status));
  }

  /** A revocation stored anywhere in the cluster. */
  public void learned(TokenLedger.Revocation revocation) {
    remember(revocation.userId(), revocation.status());
  }

  private CompletionStage<TokenLedger.Status> current(String userId) {
    return ledger(userId)
        .ask(TokenLedger.GetStatus::new, askTimeout)
        .thenApply(
            status -> {
              remember(userId, status);
              return status;
            });
  }

  private Done remember(String userId, TokenLedger.Status status) {
    if (cache.size() >= MAX_CACHED_USERS) cache.clear();
    // An answer read before a revocation can arrive after its publication: never forget one.
    cache.merge(
        userId,
        new Cached(status, nanoClock.getAsLong()),
        (old, fresh) -> new Cached(old.status().mergedWith(fresh.status()), fresh.loadedAtNanos()));
    return Done.getInstance();
  }

  private EntityRef<TokenLedger.Command> ledger(String userId) {
    return sharding.entityRefFor(TokenLedger.ENTITY_KEY, userId);
  }
}
