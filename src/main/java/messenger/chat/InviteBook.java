package messenger.chat;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.pattern.StatusReply;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import messenger.CborSerializable;
import messenger.ErrorCode;
import messenger.storage.EntityRestarts;

/**
 * A group's invite links that still work: sharded and event-sourced, keyed by conversation id. A
 * link is a signed token ({@link InviteTokens}) naming the group, the invite's id and its expiry;
 * the signature proves the server made it and the expiry is in it, but whether it was revoked only
 * this book knows, so every join asks it. Kept apart from the conversation's own log, which holds
 * the conversation's entries and nothing else.
 *
 * <p>Expired and revoked invites are dropped, so the state is at most {@link #MAX_ACTIVE} entries.
 * Who may create or revoke is decided by the caller ({@code app.InviteService}), from the group's
 * roster and permissions.
 */
public final class InviteBook
    extends EventSourcedBehaviorWithEnforcedReplies<
        InviteBook.Command, InviteBook.Event, InviteBook.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "InviteBook");

  /** Invites one group may have working at once. */
  public static final int MAX_ACTIVE = 100;

  // --- protocol ---

  public sealed interface Command extends CborSerializable
      permits Create, Revoke, GetActive, IsActive {}

  /** Records a new invite; refused with {@code too_many_invites} beyond {@link #MAX_ACTIVE}. */
  public record Create(
      String inviteId, String creatorId, Instant expiresAt, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  /** Ends the invite at once; Done also if it is gone already. */
  public record Revoke(String inviteId, ActorRef<Done> replyTo) implements Command {}

  public record GetActive(ActorRef<Active> replyTo) implements Command {}

  public record IsActive(String inviteId, ActorRef<Boolean> replyTo) implements Command {}

  public record Invite(String inviteId, String creatorId, Instant expiresAt)
      implements CborSerializable {}

  /** The invites that work now, soonest to expire first. */
  public record Active(List<Invite> invites) implements CborSerializable {
    public Active {
      invites = List.copyOf(invites);
    }
  }

  public sealed interface Event extends CborSerializable permits InviteCreated, InviteRevoked {}

  public record InviteCreated(String inviteId, String creatorId, Instant expiresAt, Instant at)
      implements Event {}

  public record InviteRevoked(String inviteId, Instant at) implements Event {}

  // --- state ---

  /** The invites not revoked, by id; expired ones are dropped as events come. */
  public record State(Map<String, Invite> invites) implements CborSerializable {
    public State {
      invites = Map.copyOf(invites);
    }

    static final State EMPTY = new State(Map.of());

    State without(String inviteId, Instant now) {
      var next = unexpired(now);
      next.remove(inviteId);
      return new State(next);
    }

    State with(Invite invite, Instant now) {
      var next = unexpired(now);
      next.put(invite.inviteId(), invite);
      return new State(next);
    }

    List<Invite> active(Instant now) {
      return invites.values().stream()
          .filter(i -> i.expiresAt().isAfter(now))
          .sorted(java.util.Comparator.comparing(Invite::expiresAt))
          .toList();
    }

    private TreeMap<String, Invite> unexpired(Instant now) {
      var kept = new TreeMap<String, Invite>();
      invites.forEach(
          (id, invite) -> {
            if (invite.expiresAt().isAfter(now)) kept.put(id, invite);
          });
      return kept;
    }
  }

  // --- behaviour ---

  private final Clock clock;

  private InviteBook(String conversationId, Clock clock) {
    super(PersistenceId.of(ENTITY_KEY.name(), conversationId), EntityRestarts.onJournalFailure());
    this.clock = clock;
  }

  public static InviteBook create(String conversationId, Clock clock) {
    return new InviteBook(conversationId, clock);
  }

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system)
        .init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), Clock.systemUTC())));
  }

  @Override
  public State emptyState() {
    return State.EMPTY;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Create.class, this::onCreate)
        .onCommand(Revoke.class, this::onRevoke)
        .onCommand(
            GetActive.class,
            (state, cmd) ->
                Effect().reply(cmd.replyTo(), new Active(state.active(clock.instant()))))
        .onCommand(
            IsActive.class,
            (state, cmd) ->
                Effect()
                    .reply(
                        cmd.replyTo(),
                        state.active(clock.instant()).stream()
                            .anyMatch(i -> i.inviteId().equals(cmd.inviteId()))))
        .build();
  }

  private ReplyEffect<Event, State> onCreate(State state, Create cmd) {
    Instant now = clock.instant();
    if (state.invites().containsKey(cmd.inviteId())) {
      return Effect().reply(cmd.replyTo(), StatusReply.ack());
    }
    if (state.active(now).size() >= MAX_ACTIVE) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(ErrorCode.TOO_MANY_INVITES.wire()));
    }
    return Effect()
        .persist(new InviteCreated(cmd.inviteId(), cmd.creatorId(), cmd.expiresAt(), now))
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onRevoke(State state, Revoke cmd) {
    if (!state.invites().containsKey(cmd.inviteId())) {
      return Effect().reply(cmd.replyTo(), Done.getInstance());
    }
    return Effect()
        .persist(new InviteRevoked(cmd.inviteId(), clock.instant()))
        .thenReply(cmd.replyTo(), s -> Done.getInstance());
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(
            InviteCreated.class,
            (state, e) ->
                state.with(new Invite(e.inviteId(), e.creatorId(), e.expiresAt()), e.at()))
        .onEvent(InviteRevoked.class, (state, e) -> state.without(e.inviteId(), e.at()))
        .build();
  }
}
