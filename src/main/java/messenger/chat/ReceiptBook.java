package messenger.chat;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.Effect;
import akka.persistence.typed.javadsl.EffectBuilder;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import akka.persistence.typed.javadsl.RetentionCriteria;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import messenger.CborSerializable;
import messenger.storage.EntityRestarts;
import messenger.storage.UnstashedCommands;

/**
 * The receipts of one conversation: per member, the highest seq received and the highest read. It
 * is kept apart from the conversation so that the conversation's journal stays one entry per seq,
 * and it only ever moves forward, so a late or repeated receipt changes nothing.
 *
 * <p>Every device ack implies a delivered receipt, so writing each one would cost a journal write
 * per delivery. Receipts are held in memory ({@code held}, answered by {@link Get} at once) and
 * written together as one {@link MarkersMoved} at most every {@code flushEvery}, and before the
 * book stops. A crash loses at most that long of markers: the devices were told the receipts live
 * already, and a later receipt moves the marker past them again.
 */
public final class ReceiptBook
    extends EventSourcedBehavior<ReceiptBook.Command, ReceiptBook.Event, ReceiptBook.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "ReceiptBook");

  // ---- protocol ----

  public sealed interface Command extends CborSerializable
      permits Advance, Get, Flush, Stop, TakeAdvances {}

  /**
   * One member's receipt. A group of 1,000 brings one per member per message within milliseconds,
   * so these go past the stash ({@link UnstashedCommands}) and are taken in bulk at a {@link
   * TakeAdvances}: stashed one by one during a write, they overflowed the stack when let go.
   */
  public record Advance(Notice.Receipt receipt) implements Command {}

  /** Receipts wait past the stash: take them. */
  enum TakeAdvances implements Command {
    INSTANCE
  }

  public record Get(ActorRef<Markers> replyTo) implements Command {}

  /** Time to write the held receipts. */
  enum Flush implements Command {
    INSTANCE
  }

  /** Sharding's stop message (passivation, hand-off): the held receipts are written first. */
  enum Stop implements Command {
    INSTANCE
  }

  public record Markers(Map<String, Marker> byMember) implements CborSerializable {}

  public record Marker(long delivered, long read) implements CborSerializable {
    static final Marker NONE = new Marker(0, 0);

    static Marker max(Marker a, Marker b) {
      return new Marker(Math.max(a.delivered, b.delivered), Math.max(a.read, b.read));
    }

    /** This marker moved by a receipt (itself if the receipt is not ahead of it). */
    Marker advancedBy(Notice.Receipt r) {
      // Whoever has read a message has received it.
      return r.kind() == Notice.Kind.READ
          ? new Marker(Math.max(delivered, r.seq()), Math.max(read, r.seq()))
          : new Marker(Math.max(delivered, r.seq()), read);
    }
  }

  public sealed interface Event extends CborSerializable permits Advanced, MarkersMoved {}

  /** One receipt: what books wrote before receipts were coalesced; still replayed. */
  public record Advanced(Notice.Receipt receipt) implements Event {}

  /** The markers of the members named moved forward to these. */
  public record MarkersMoved(Map<String, Marker> byMember) implements Event {}

  // ---- state ----

  public record State(Map<String, Marker> byMember) implements CborSerializable {

    Marker of(String userId) {
      return byMember.getOrDefault(userId, Marker.NONE);
    }

    State with(Notice.Receipt r) {
      var members = new HashMap<>(byMember);
      members.put(r.userId(), of(r.userId()).advancedBy(r));
      return new State(members);
    }

    /** Each member's marker at the later of its own and {@code moved}'s, field by field. */
    State with(Map<String, Marker> moved) {
      var members = new HashMap<>(byMember);
      moved.forEach((user, m) -> members.merge(user, m, Marker::max));
      return new State(members);
    }
  }

  // ---- behaviour ----

  public static void init(ActorSystem<?> system, Duration flushEvery) {
    ClusterSharding.get(system)
        .init(
            Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), flushEvery))
                .withStopMessage(Stop.INSTANCE));
  }

  public static Behavior<Command> create(String conversationId, Duration flushEvery) {
    return Behaviors.withTimers(
        timers ->
            UnstashedCommands.around(
                Command.class,
                Advance.class,
                TakeAdvances.INSTANCE,
                lane -> new ReceiptBook(conversationId, timers, flushEvery, lane)));
  }

  private final TimerScheduler<Command> timers;
  private final Duration flushEvery;
  private final UnstashedCommands<Advance> lane;

  /**
   * Receipts taken and not yet written, as the markers they moved; this incarnation's only, lost
   * with it. Mutable and looked at member by member: a group of 1,000 takes a receipt per member
   * per message, and copying every member's marker for each (as a fresh State) made the book fall
   * behind its mailbox until the commands stashed during one write overflowed the stack when they
   * were let go.
   */
  private final Map<String, Marker> held = new HashMap<>();

  private ReceiptBook(
      String conversationId,
      TimerScheduler<Command> timers,
      Duration flushEvery,
      UnstashedCommands<Advance> lane) {
    super(PersistenceId.of(ENTITY_KEY.name(), conversationId), EntityRestarts.onJournalFailure());
    this.timers = timers;
    this.flushEvery = flushEvery;
    this.lane = lane;
  }

  @Override
  public State emptyState() {
    return new State(Map.of());
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(1000, 2);
  }

  /**
   * {@link Advance} never reaches the handler one by one. Whatever reads or writes the held markers
   * takes the waiting receipts first, in case a full stash dropped the lane's wake-up.
   */
  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(TakeAdvances.class, (state, take) -> onTakeAdvances(state))
        .onCommand(Get.class, this::onGet)
        .onCommand(Flush.class, (state, flush) -> write(state))
        .onCommand(Stop.class, (state, stop) -> write(state).thenStop())
        .build();
  }

  private Effect<Event, State> onTakeAdvances(State state) {
    takeWaiting(state);
    return Effect().none();
  }

  private void takeWaiting(State state) {
    lane.drain(cmd -> take(state, cmd.receipt()));
  }

  private void take(State state, Notice.Receipt receipt) {
    String member = receipt.userId();
    Marker current = Marker.max(state.of(member), held.getOrDefault(member, Marker.NONE));
    Marker next = current.advancedBy(receipt);
    if (next.equals(current)) return;
    held.put(member, next);
    if (!timers.isTimerActive(Flush.INSTANCE)) timers.startSingleTimer(Flush.INSTANCE, flushEvery);
  }

  private Effect<Event, State> onGet(State state, Get cmd) {
    takeWaiting(state);
    var markers = new Markers(Map.copyOf(state.with(held).byMember()));
    return Effect().reply(cmd.replyTo(), markers);
  }

  /** Writes what is held, if anything, as one event. */
  private EffectBuilder<Event, State> write(State state) {
    takeWaiting(state);
    timers.cancel(Flush.INSTANCE);
    if (held.isEmpty()) return Effect().none();
    var moved = new MarkersMoved(Map.copyOf(held));
    held.clear();
    return Effect().persist(moved);
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(Advanced.class, (state, e) -> state.with(e.receipt()))
        .onEvent(MarkersMoved.class, (state, e) -> state.with(e.byMember()))
        .build();
  }
}
