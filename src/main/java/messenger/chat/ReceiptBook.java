package messenger.chat;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import akka.persistence.typed.javadsl.RetentionCriteria;
import java.util.HashMap;
import java.util.Map;
import messenger.CborSerializable;

/**
 * The receipts of one conversation: per member, the highest seq received and the highest read. It
 * is kept apart from the conversation so that the conversation's journal stays one entry per seq,
 * and it only ever moves forward, so a late or repeated receipt changes nothing.
 */
public final class ReceiptBook
    extends EventSourcedBehavior<ReceiptBook.Command, ReceiptBook.Event, ReceiptBook.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "ReceiptBook");

  // ---- protocol ----

  public sealed interface Command extends CborSerializable permits Advance, Get {}

  public record Advance(Notice.Receipt receipt) implements Command {}

  public record Get(ActorRef<Markers> replyTo) implements Command {}

  public record Markers(Map<String, Marker> byMember) implements CborSerializable {}

  public record Marker(long delivered, long read) implements CborSerializable {}

  public sealed interface Event extends CborSerializable permits Advanced {}

  public record Advanced(Notice.Receipt receipt) implements Event {}

  // ---- state ----

  public record State(Map<String, Marker> byMember) implements CborSerializable {

    Marker of(String userId) {
      return byMember.getOrDefault(userId, new Marker(0, 0));
    }

    boolean advances(Notice.Receipt r) {
      Marker m = of(r.userId());
      return r.kind() == Notice.Kind.READ ? r.seq() > m.read() : r.seq() > m.delivered();
    }

    State with(Notice.Receipt r) {
      Marker m = of(r.userId());
      // Whoever has read a message has received it.
      Marker next =
          r.kind() == Notice.Kind.READ
              ? new Marker(Math.max(m.delivered(), r.seq()), Math.max(m.read(), r.seq()))
              : new Marker(Math.max(m.delivered(), r.seq()), m.read());
      var members = new HashMap<>(byMember);
      members.put(r.userId(), next);
      return new State(members);
    }
  }

  // ---- behaviour ----

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system)
        .init(Entity.of(ENTITY_KEY, ctx -> new ReceiptBook(ctx.getEntityId())));
  }

  public static Behavior<Command> create(String conversationId) {
    return new ReceiptBook(conversationId);
  }

  private ReceiptBook(String conversationId) {
    super(PersistenceId.of(ENTITY_KEY.name(), conversationId));
  }

  @Override
  public State emptyState() {
    return new State(Map.of());
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(1000, 2);
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(
            Advance.class,
            (state, cmd) ->
                state.advances(cmd.receipt())
                    ? Effect().persist(new Advanced(cmd.receipt()))
                    : Effect().none())
        .onCommand(
            Get.class,
            (state, cmd) ->
                Effect().reply(cmd.replyTo(), new Markers(Map.copyOf(state.byMember()))))
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(Advanced.class, (state, e) -> state.with(e.receipt()))
        .build();
  }
}
