package messenger.auth;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import messenger.CborSerializable;
import messenger.storage.EntityRestarts;

/**
 * Which of one user's tokens are revoked. Sharded and event-sourced, keyed by user id.
 *
 * <p>Logging out one device revokes that token's id; logging out everywhere starts a new token
 * generation, which every older token fails ({@link TokenService} writes the generation into each
 * token it issues). Revoked ids are forgotten once their token has expired, so the state stays as
 * small as the number of unexpired revoked tokens.
 *
 * <p>A suspension (by a moderator) is kept here too, since it is a revocation that lasts: starting
 * one begins a new generation, so every token dies at once through the same path, and while it
 * lasts no token is allowed and no login may issue one. Reinstating begins another generation (the
 * old tokens stay dead) without the flag.
 *
 * <p>After each revocation is stored, {@code onRevoked} is told (in the node: publish it to every
 * node's cache and to the user's open connections); the reply goes out only after that.
 */
public final class TokenLedger
    extends EventSourcedBehaviorWithEnforcedReplies<
        TokenLedger.Command, TokenLedger.Event, TokenLedger.Status> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "TokenLedger");

  // --- protocol ---

  public sealed interface Command extends CborSerializable
      permits GetStatus, Revoke, RevokeAll, RevokeAllBut, Suspend, Reinstate {}

  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  /** Revokes the token {@code tokenId}, which expires at {@code expiresAt}. Idempotent. */
  public record Revoke(String tokenId, Instant expiresAt, ActorRef<Status> replyTo)
      implements Command {}

  /** Revokes every token issued so far. */
  public record RevokeAll(ActorRef<Status> replyTo) implements Command {}

  /**
   * Revokes every token issued so far but {@code keptTokenId} (which expires at {@code
   * keptExpiresAt}): the other devices are logged out, the one asking stays in.
   */
  public record RevokeAllBut(String keptTokenId, Instant keptExpiresAt, ActorRef<Status> replyTo)
      implements Command {}

  /** Suspends the user: every token ends now and none is allowed until reinstated. Idempotent. */
  public record Suspend(String reason, ActorRef<Status> replyTo) implements Command {}

  /** Ends a suspension: the user may log in again (the old tokens stay revoked). Idempotent. */
  public record Reinstate(ActorRef<Status> replyTo) implements Command {}

  public sealed interface Event extends CborSerializable
      permits TokenRevoked, GenerationStarted, Suspended, Reinstated {}

  public record TokenRevoked(String tokenId, Instant expiresAt, Instant at) implements Event {}

  /**
   * @param kept a token of an older generation that stays good, with its expiry; null if none
   *     (events written before kept tokens have none)
   */
  public record GenerationStarted(int generation, Instant at, Kept kept) implements Event {}

  /** A token that outlives the end of its generation. */
  public record Kept(String tokenId, Instant expiresAt) implements CborSerializable {}

  /** The user was suspended; {@code generation} begins with it. */
  public record Suspended(int generation, String reason, Instant at) implements Event {}

  /** The suspension ended; {@code generation} begins with it. */
  public record Reinstated(int generation, Instant at) implements Event {}

  /** What a stored revocation means for the user's tokens, for whoever enforces it. */
  public record Revocation(String userId, Status status, String tokenId)
      implements CborSerializable {}

  // --- state ---

  /**
   * @param generation tokens of an older generation are revoked, but {@code kept}
   * @param revoked revoked token ids of the current generation, with when each token expires
   * @param kept the token of an older generation that is still good (the one that changed the
   *     password), or null; absent in snapshots written before kept tokens
   * @param suspended the user is suspended: no token is allowed, no login issues one. It changes
   *     only with a new generation, so within one generation it is the same everywhere.
   */
  public record Status(int generation, Map<String, Instant> revoked, Kept kept, boolean suspended)
      implements CborSerializable {
    public static final Status NONE = new Status(0, Map.of());

    public Status {
      revoked = Map.copyOf(revoked);
    }

    public Status(int generation, Map<String, Instant> revoked) {
      this(generation, revoked, null, false);
    }

    /** Whether a token of {@code tokenGeneration} with id {@code tokenId} is still good. */
    public boolean allows(String tokenId, int tokenGeneration) {
      boolean current = tokenGeneration >= generation || isKept(tokenId);
      return !suspended && current && (tokenId == null || !revoked.containsKey(tokenId));
    }

    /** Whether {@code tokenId} is the older generation's token that stays good. */
    public boolean isKept(String tokenId) {
      return kept != null && tokenId != null && kept.tokenId().equals(tokenId);
    }

    /** What both say: revocations only add up, so the later generation and every revoked id. */
    public Status mergedWith(Status other) {
      if (other.generation != generation) {
        return other.generation > generation ? other : this;
      }
      Map<String, Instant> both = new HashMap<>(revoked);
      both.putAll(other.revoked);
      return new Status(generation, both, kept, suspended || other.suspended);
    }

    Status withRevoked(String tokenId, Instant expiresAt, Instant now) {
      Map<String, Instant> next = new HashMap<>();
      revoked.forEach(
          (id, expiry) -> {
            if (expiry.isAfter(now)) next.put(id, expiry);
          });
      next.put(tokenId, expiresAt);
      boolean keptLives = kept != null && kept.expiresAt().isAfter(now);
      return new Status(generation, next, keptLives ? kept : null, suspended);
    }
  }

  // --- behaviour ---

  private final Consumer<Revocation> onRevoked;
  private final String userId;

  private TokenLedger(String userId, Consumer<Revocation> onRevoked) {
    super(PersistenceId.of(ENTITY_KEY.name(), userId), EntityRestarts.onJournalFailure());
    this.userId = userId;
    this.onRevoked = onRevoked;
  }

  public static Behavior<Command> create(String userId, Consumer<Revocation> onRevoked) {
    return new TokenLedger(userId, onRevoked);
  }

  public static void init(ActorSystem<?> system, Consumer<Revocation> onRevoked) {
    ClusterSharding.get(system)
        .init(Entity.of(ENTITY_KEY, ctx -> TokenLedger.create(ctx.getEntityId(), onRevoked)));
  }

  @Override
  public Status emptyState() {
    return Status.NONE;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, Status> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(GetStatus.class, (status, cmd) -> Effect().reply(cmd.replyTo(), status))
        .onCommand(Revoke.class, this::onRevoke)
        .onCommand(RevokeAll.class, this::onRevokeAll)
        .onCommand(RevokeAllBut.class, this::onRevokeAllBut)
        .onCommand(Suspend.class, this::onSuspend)
        .onCommand(Reinstate.class, this::onReinstate)
        .build();
  }

  private ReplyEffect<Event, Status> onRevoke(Status status, Revoke cmd) {
    if (status.revoked().containsKey(cmd.tokenId())) {
      return Effect().reply(cmd.replyTo(), status);
    }
    return Effect()
        .persist(new TokenRevoked(cmd.tokenId(), cmd.expiresAt(), Instant.now()))
        .thenRun(next -> onRevoked.accept(new Revocation(userId, next, cmd.tokenId())))
        .thenReply(cmd.replyTo(), next -> next);
  }

  private ReplyEffect<Event, Status> onRevokeAll(Status status, RevokeAll cmd) {
    return Effect()
        .persist(new GenerationStarted(status.generation() + 1, Instant.now(), null))
        .thenRun(next -> onRevoked.accept(new Revocation(userId, next, null)))
        .thenReply(cmd.replyTo(), next -> next);
  }

  private ReplyEffect<Event, Status> onRevokeAllBut(Status status, RevokeAllBut cmd) {
    var kept = new Kept(cmd.keptTokenId(), cmd.keptExpiresAt());
    return Effect()
        .persist(new GenerationStarted(status.generation() + 1, Instant.now(), kept))
        .thenRun(next -> onRevoked.accept(new Revocation(userId, next, null)))
        .thenReply(cmd.replyTo(), next -> next);
  }

  // --- suspension ---

  private ReplyEffect<Event, Status> onSuspend(Status status, Suspend cmd) {
    if (status.suspended()) return Effect().reply(cmd.replyTo(), status);
    return Effect()
        .persist(new Suspended(status.generation() + 1, cmd.reason(), Instant.now()))
        .thenRun(next -> onRevoked.accept(new Revocation(userId, next, null)))
        .thenReply(cmd.replyTo(), next -> next);
  }

  private ReplyEffect<Event, Status> onReinstate(Status status, Reinstate cmd) {
    if (!status.suspended()) return Effect().reply(cmd.replyTo(), status);
    return Effect()
        .persist(new Reinstated(status.generation() + 1, Instant.now()))
        .thenRun(next -> onRevoked.accept(new Revocation(userId, next, null)))
        .thenReply(cmd.replyTo(), next -> next);
  }

  @Override
  public EventHandler<Status, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(
            TokenRevoked.class,
            (status, event) -> status.withRevoked(event.tokenId(), event.expiresAt(), event.at()))
        .onEvent(
            GenerationStarted.class,
            // Every revoked id belonged to an older generation, which is refused as a whole now
            // (but the kept token, which a revocation of its own would have to name again).
            (status, event) ->
                new Status(event.generation(), Map.of(), event.kept(), status.suspended()))
        .onEvent(
            Suspended.class,
            (status, event) -> new Status(event.generation(), Map.of(), null, true))
        .onEvent(
            Reinstated.class,
            (status, event) -> new Status(event.generation(), Map.of(), null, false))
        .build();
  }
}
