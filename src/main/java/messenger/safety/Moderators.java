package messenger.safety;

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
import java.util.Set;
import java.util.TreeSet;
import messenger.CborSerializable;
import messenger.storage.EntityRestarts;

/**
 * Who holds the moderator role: one event-sourced entity for the whole cluster (sharded under the
 * single id {@value #ID}), granted and revoked by operators with the admin token. Moderators are a
 * handful of people, so the whole set is the state and every moderation request reads it (no cache,
 * so a revocation takes effect at the next request).
 */
public final class Moderators
    extends EventSourcedBehaviorWithEnforcedReplies<
        Moderators.Command, Moderators.Event, Moderators.Roster> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "Moderators");

  /** The one entity id. */
  public static final String ID = "all";

  // --- protocol ---

  public sealed interface Command extends CborSerializable permits Grant, Revoke, GetRoster {}

  /** Gives {@code userId} the role. Idempotent. */
  public record Grant(String userId, ActorRef<Roster> replyTo) implements Command {}

  /** Takes the role from {@code userId}. Idempotent. */
  public record Revoke(String userId, ActorRef<Roster> replyTo) implements Command {}

  public record GetRoster(ActorRef<Roster> replyTo) implements Command {}

  public sealed interface Event extends CborSerializable
      permits ModeratorGranted, ModeratorRevoked {}

  public record ModeratorGranted(String userId, Instant at) implements Event {}

  public record ModeratorRevoked(String userId, Instant at) implements Event {}

  // --- state ---

  /** The moderators' user ids, in order. */
  public record Roster(Set<String> userIds) implements CborSerializable {
    static final Roster NONE = new Roster(Set.of());

    public Roster {
      userIds = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(userIds));
    }

    public boolean holds(String userId) {
      return userIds.contains(userId);
    }

    Roster with(String userId) {
      TreeSet<String> next = new TreeSet<>(userIds);
      next.add(userId);
      return new Roster(next);
    }

    Roster without(String userId) {
      TreeSet<String> next = new TreeSet<>(userIds);
      next.remove(userId);
      return new Roster(next);
    }
  }

  // --- behaviour ---

  private Moderators(String id) {
    super(PersistenceId.of(ENTITY_KEY.name(), id), EntityRestarts.onJournalFailure());
  }

  public static Behavior<Command> create() {
    return new Moderators(ID);
  }

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system)
        .init(Entity.of(ENTITY_KEY, ctx -> new Moderators(ctx.getEntityId())));
  }

  @Override
  public Roster emptyState() {
    return Roster.NONE;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, Roster> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(GetRoster.class, (roster, cmd) -> Effect().reply(cmd.replyTo(), roster))
        .onCommand(Grant.class, this::onGrant)
        .onCommand(Revoke.class, this::onRevoke)
        .build();
  }

  private ReplyEffect<Event, Roster> onGrant(Roster roster, Grant cmd) {
    if (roster.holds(cmd.userId())) return Effect().reply(cmd.replyTo(), roster);
    return Effect()
        .persist(new ModeratorGranted(cmd.userId(), Instant.now()))
        .thenReply(cmd.replyTo(), next -> next);
  }

  private ReplyEffect<Event, Roster> onRevoke(Roster roster, Revoke cmd) {
    if (!roster.holds(cmd.userId())) return Effect().reply(cmd.replyTo(), roster);
    return Effect()
        .persist(new ModeratorRevoked(cmd.userId(), Instant.now()))
        .thenReply(cmd.replyTo(), next -> next);
  }

  @Override
  public EventHandler<Roster, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(ModeratorGranted.class, (roster, event) -> roster.with(event.userId()))
        .onEvent(ModeratorRevoked.class, (roster, event) -> roster.without(event.userId()))
        .build();
  }
}
