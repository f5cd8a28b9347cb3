package messenger.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.persistence.testkit.ReadEvents;
import akka.persistence.testkit.WriteEvents;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.Effect;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import messenger.CborSerializable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The lane past the stash, in front of a real event-sourced entity on the in-memory journal, whose
 * writes and recoveries the test holds open so that it knows the entity is stashing.
 */
@Timeout(60)
class UnstashedCommandsTest {

  /** Without the lane, 20,000 notes stashed at once would overflow the stack when let go. */
  private static final ActorTestKit testKit = ActorTestKit.create(HeldJournal.withRoomyStash());

  private static final PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());

  private static final int CROWD = 20_000;

  private final String id = "ledger-" + UUID.randomUUID();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @AfterEach
  void ordinaryJournal() {
    journal.resetPolicy();
  }

  // ---- a small entity: writes persist, notes go through the lane ----

  sealed interface Cmd extends CborSerializable permits Write, Note, Wake, GetSeen {}

  record Write(String entry, ActorRef<Seen> replyTo) implements Cmd {}

  record Note(int n) implements Cmd {}

  enum Wake implements Cmd {
    INSTANCE
  }

  record GetSeen(ActorRef<Seen> replyTo) implements Cmd {}

  /**
   * @param notesByEntries per note handled, how many entries were written when it was
   * @param drainsWithNotes how many wake-ups found notes waiting
   */
  record Seen(
      List<String> written,
      List<Integer> notes,
      List<Integer> notesByEntries,
      int wakeUps,
      int drainsWithNotes) {}

  record Written(String entry) implements CborSerializable {}

  record Entries(List<String> written) implements CborSerializable {}

  static final class Ledger extends EventSourcedBehavior<Cmd, Written, Entries> {
    private final UnstashedCommands<Note> lane;
    private final List<Integer> notes = new ArrayList<>();
    private final List<Integer> notesByEntries = new ArrayList<>();
    private int wakeUps;
    private int drainsWithNotes;

    static Behavior<Cmd> create(String id) {
      return UnstashedCommands.around(Cmd.class, Note.class, Wake.INSTANCE, l -> new Ledger(id, l));
    }

    private Ledger(String id, UnstashedCommands<Note> lane) {
      super(PersistenceId.ofUniqueId(id));
      this.lane = lane;
    }

    @Override
    public Entries emptyState() {
      return new Entries(List.of());
    }

    @Override
    public CommandHandler<Cmd, Written, Entries> commandHandler() {
      return newCommandHandlerBuilder()
          .forAnyState()
          .onCommand(
              Write.class,
              (state, cmd) ->
                  Effect()
                      .persist(new Written(cmd.entry()))
                      .thenReply(cmd.replyTo(), after -> seen(after)))
          .onCommand(Wake.class, (state, wake) -> onWake(state))
          .onCommand(GetSeen.class, (state, cmd) -> Effect().reply(cmd.replyTo(), seen(state)))
          .onCommand(Note.class, cmd -> fail("a note reached the entity past the lane"))
          .build();
    }

    private Effect<Written, Entries> onWake(Entries state) {
      wakeUps++;
      if (lane.waiting() > 0) drainsWithNotes++;
      lane.drain(
          note -> {
            notes.add(note.n());
            notesByEntries.add(state.written().size());
          });
      return Effect().none();
    }

    private Seen seen(Entries state) {
      return new Seen(
          state.written(),
          List.copyOf(notes),
          List.copyOf(notesByEntries),
          wakeUps,
          drainsWithNotes);
    }

    private static Effect<Written, Entries> fail(String why) {
      throw new IllegalStateException(why);
    }

    @Override
    public EventHandler<Entries, Written> eventHandler() {
      return newEventHandlerBuilder()
          .forAnyState()
          .onEvent(
              Written.class,
              (state, e) -> {
                var written = new ArrayList<>(state.written());
                written.add(e.entry());
                return new Entries(List.copyOf(written));
              })
          .build();
    }
  }

  /**
   * A ledger whose first write, {@code entry}, the journal holds until {@code held} is released.
   */
  private ActorRef<Cmd> writingHeld(HeldJournal held, String entry, TestProbe<Seen> probe)
      throws InterruptedException {
    journal.withPolicy(held);
    var ledger = testKit.spawn(Ledger.create(id));
    ledger.tell(new Write(entry, probe.ref()));
    held.awaitHeld();
    return ledger;
  }

  private static List<Integer> upTo(int n) {
    return IntStream.range(0, n).boxed().toList();
  }

  // ---- tests ----

  @Test
  void aCrowdOfLaneCommandsDuringAWriteIsHandledInOrderByOneDrainWithoutOverflowingTheStack()
      throws InterruptedException {
    TestProbe<Seen> probe = testKit.createTestProbe();
    var held = new HeldJournal(id, WriteEvents.class);
    var ledger = writingHeld(held, "first", probe);

    for (int n = 0; n < CROWD; n++) ledger.tell(new Note(n));
    held.release();
    probe.receiveMessage(Duration.ofSeconds(10));
    ledger.tell(new GetSeen(probe.ref()));
    Seen seen = probe.receiveMessage(Duration.ofSeconds(10));

    assertEquals(upTo(CROWD), seen.notes());
    assertEquals(1, seen.drainsWithNotes(), "one wake-up took the whole crowd");
    // One wake-up per doubling of the queue was stashed, not one per note.
    int mostWakeUps = 1 + 31 - Integer.numberOfLeadingZeros(CROWD);
    assertTrue(seen.wakeUps() <= mostWakeUps, () -> seen.wakeUps() + " wake-ups");
  }

  @Test
  void commandsOutsideTheLaneAreStashedDuringAWriteAndHandledAfterItInOrder()
      throws InterruptedException {
    TestProbe<Seen> probe = testKit.createTestProbe();
    var held = new HeldJournal(id, WriteEvents.class);
    var ledger = writingHeld(held, "a", probe);

    ledger.tell(new Note(0));
    ledger.tell(new Write("b", probe.ref()));
    ledger.tell(new Note(1));
    ledger.tell(new Write("c", probe.ref()));
    held.release();

    assertEquals(List.of("a"), probe.receiveMessage(Duration.ofSeconds(10)).written());
    assertEquals(List.of("a", "b"), probe.receiveMessage(Duration.ofSeconds(10)).written());
    Seen last = probe.receiveMessage(Duration.ofSeconds(10));
    assertEquals(List.of("a", "b", "c"), last.written());
    // Both notes were handled at the first wake-up, stashed before "b": the lane may overtake.
    assertEquals(List.of(0, 1), last.notes());
    assertEquals(List.of(1, 1), last.notesByEntries());
  }

  @Test
  void aLaneCommandToAnIdleEntityIsHandledAtOnce() {
    var ledger = testKit.spawn(Ledger.create(id));
    TestProbe<Seen> probe = testKit.createTestProbe();

    ledger.tell(new Note(7));
    ledger.tell(new Note(8));
    ledger.tell(new GetSeen(probe.ref()));

    Seen seen = probe.receiveMessage(Duration.ofSeconds(10));
    assertEquals(List.of(7, 8), seen.notes());
    assertEquals(2, seen.wakeUps(), "each note found the lane empty and woke the entity");
  }

  @Test
  void laneCommandsDuringRecoveryAreHandledAfterItAgainstTheRecoveredState()
      throws InterruptedException {
    TestProbe<Seen> probe = testKit.createTestProbe();
    var first = testKit.spawn(Ledger.create(id));
    first.tell(new Write("before", probe.ref()));
    probe.receiveMessage(Duration.ofSeconds(10));
    testKit.stop(first);

    var held = new HeldJournal(id, ReadEvents.class);
    journal.withPolicy(held);
    var ledger = testKit.spawn(Ledger.create(id));
    held.awaitHeld();
    for (int n = 0; n < CROWD; n++) ledger.tell(new Note(n));
    ledger.tell(new GetSeen(probe.ref()));
    held.release();

    Seen seen = probe.receiveMessage(Duration.ofSeconds(10));
    assertEquals(upTo(CROWD), seen.notes());
    assertTrue(seen.notesByEntries().stream().allMatch(entries -> entries == 1));
  }
}
