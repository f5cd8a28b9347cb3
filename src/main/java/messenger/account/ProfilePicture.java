package messenger.account;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
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
import messenger.CborSerializable;
import messenger.storage.EntityRestarts;

/**
 * Which picture a user shows their contacts: sharded and event-sourced, keyed by user id. It holds
 * the picture's id and type only; the bytes are in the object store ({@code media.AvatarStore}). A
 * change answers the picture it replaced, for the caller to delete.
 */
public final class ProfilePicture
    extends EventSourcedBehaviorWithEnforcedReplies<
        ProfilePicture.Command, ProfilePicture.Event, ProfilePicture.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "ProfilePicture");

  // --- protocol ---

  public sealed interface Command extends CborSerializable permits Set, Clear, Get {}

  /** Shows {@code pictureId} from now on; answers the one it replaces (none if the same). */
  public record Set(String pictureId, String mime, ActorRef<State> replyTo) implements Command {}

  /** Shows no picture; answers the one there was. */
  public record Clear(ActorRef<State> replyTo) implements Command {}

  public record Get(ActorRef<State> replyTo) implements Command {}

  public sealed interface Event extends CborSerializable permits PictureSet, PictureCleared {}

  public record PictureSet(String pictureId, String mime, Instant at) implements Event {}

  public record PictureCleared(Instant at) implements Event {}

  // --- state ---

  /** The picture shown: {@code pictureId} null for none. */
  public record State(String pictureId, String mime) implements CborSerializable {
    public static final State NONE = new State(null, null);

    public boolean shown() {
      return pictureId != null;
    }
  }

  // --- behaviour ---

  private ProfilePicture(String userId) {
    super(PersistenceId.of(ENTITY_KEY.name(), userId), EntityRestarts.onJournalFailure());
  }

  public static ProfilePicture create(String userId) {
    return new ProfilePicture(userId);
  }

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId())));
  }

  @Override
  public State emptyState() {
    return State.NONE;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(20, 1).withDeleteEventsOnSnapshot();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Set.class, this::onSet)
        .onCommand(Clear.class, this::onClear)
        .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
        .build();
  }

  private ReplyEffect<Event, State> onSet(State state, Set cmd) {
    if (cmd.pictureId().equals(state.pictureId())) {
      return Effect().reply(cmd.replyTo(), State.NONE);
    }
    return Effect()
        .persist(new PictureSet(cmd.pictureId(), cmd.mime(), Instant.now()))
        .thenReply(cmd.replyTo(), next -> state);
  }

  private ReplyEffect<Event, State> onClear(State state, Clear cmd) {
    if (!state.shown()) return Effect().reply(cmd.replyTo(), State.NONE);
    return Effect()
        .persist(new PictureCleared(Instant.now()))
        .thenReply(cmd.replyTo(), next -> state);
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(PictureSet.class, (state, e) -> new State(e.pictureId(), e.mime()))
        .onEvent(PictureCleared.class, (state, e) -> State.NONE)
        .build();
  }
}
