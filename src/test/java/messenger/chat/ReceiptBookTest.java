package messenger.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.testkit.WriteEvents;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import messenger.chat.ReceiptBook.Marker;
import messenger.storage.HeldJournal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A conversation's receipt markers: answered at once, written coalesced, never moving back. */
class ReceiptBookTest {

  private static final ActorTestKit testKit = ActorTestKit.create(HeldJournal.withRoomyStash());

  private static final PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());

  private final String conversationId = "c-" + UUID.randomUUID();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @AfterEach
  void ordinaryJournal() {
    journal.resetPolicy();
  }

  private EventSourcedBehaviorTestKit<ReceiptBook.Command, ReceiptBook.Event, ReceiptBook.State>
      book(Duration flushEvery) {
    return EventSourcedBehaviorTestKit.create(
        testKit.system(), ReceiptBook.create(conversationId, flushEvery));
  }

  private static ReceiptBook.Advance delivered(String user, long seq) {
    return new ReceiptBook.Advance(new Notice.Receipt("c", user, Notice.Kind.DELIVERED, seq));
  }

  private static ReceiptBook.Advance read(String user, long seq) {
    return new ReceiptBook.Advance(new Notice.Receipt("c", user, Notice.Kind.READ, seq));
  }

  private static Map<String, Marker> markers(
      EventSourcedBehaviorTestKit<ReceiptBook.Command, ReceiptBook.Event, ReceiptBook.State> book) {
    return book.<ReceiptBook.Markers>runCommand(ReceiptBook.Get::new).reply().byMember();
  }

  @Test
  void receiptsAreAnsweredAtOnceAndWrittenTogetherAsOneEventOnTheFlush() {
    var book = book(Duration.ofMinutes(1));

    assertTrue(book.runCommand(delivered("bob", 3)).hasNoEvents());
    assertTrue(book.runCommand(read("bob", 2)).hasNoEvents());
    assertTrue(book.runCommand(delivered("ann", 5)).hasNoEvents());
    assertEquals(Map.of("bob", new Marker(3, 2), "ann", new Marker(5, 0)), markers(book));

    var flushed = book.runCommand(ReceiptBook.Flush.INSTANCE);

    assertEquals(
        List.of(
            new ReceiptBook.MarkersMoved(Map.of("bob", new Marker(3, 2), "ann", new Marker(5, 0)))),
        flushed.events());
    assertTrue(book.runCommand(ReceiptBook.Flush.INSTANCE).hasNoEvents());
    book.restart();
    assertEquals(Map.of("bob", new Marker(3, 2), "ann", new Marker(5, 0)), markers(book));
  }

  @Test
  void aMarkerNeverMovesBackOverWhatIsWrittenOrHeld() {
    var book = book(Duration.ofMinutes(1));
    book.runCommand(delivered("bob", 9));
    book.runCommand(read("bob", 4));
    book.runCommand(ReceiptBook.Flush.INSTANCE);

    book.runCommand(delivered("bob", 7));
    book.runCommand(read("bob", 6));

    assertEquals(Map.of("bob", new Marker(9, 6)), markers(book));
    book.runCommand(ReceiptBook.Flush.INSTANCE);
    book.restart();
    assertEquals(Map.of("bob", new Marker(9, 6)), markers(book));
  }

  @Test
  void aReadReceiptAlsoCountsAsDelivered() {
    var book = book(Duration.ofMinutes(1));

    book.runCommand(read("bob", 4));

    assertEquals(Map.of("bob", new Marker(4, 4)), markers(book));
  }

  @Test
  void heldReceiptsAreWrittenWithinTheFlushIntervalWithoutAnyoneAsking() {
    var book = book(Duration.ofMillis(100));

    book.runCommand(delivered("bob", 3));

    testKit
        .createTestProbe()
        .awaitAssert(
            Duration.ofSeconds(5),
            () -> {
              assertEquals(new Marker(3, 0), book.getState().byMember().get("bob"));
              return null;
            });
  }

  @Test
  void stoppingWritesTheHeldReceiptsFirstSoPassivationLosesNone() {
    var book = book(Duration.ofMinutes(1));
    // A second incarnation on the same journal, told what sharding tells an entity it stops.
    var live = testKit.spawn(ReceiptBook.create(conversationId, Duration.ofMinutes(1)));
    live.tell(delivered("bob", 3));

    live.tell(ReceiptBook.Stop.INSTANCE);

    testKit.createTestProbe().expectTerminated(live, Duration.ofSeconds(5));
    book.restart();
    assertEquals(Map.of("bob", new Marker(3, 0)), markers(book));
  }

  @Test
  void aReceiptFromEachOfAThousandMembersPerMessageDuringAWriteIsAllTakenAfterIt()
      throws InterruptedException {
    int members = 1000;
    int messages = 20;
    var held =
        new HeldJournal(ReceiptBook.ENTITY_KEY.name() + "|" + conversationId, WriteEvents.class);
    var book = book(Duration.ofMinutes(1));
    journal.withPolicy(held);
    // A second incarnation on the same journal, so that the test can talk to it while it writes.
    var live = testKit.spawn(ReceiptBook.create(conversationId, Duration.ofMinutes(1)));
    live.tell(delivered("m0", 1));
    live.tell(ReceiptBook.Flush.INSTANCE);
    held.awaitHeld();

    for (int seq = 1; seq <= messages; seq++) {
      for (int m = 0; m < members; m++) live.tell(delivered("m" + m, seq));
    }
    held.release();

    var probe = testKit.<ReceiptBook.Markers>createTestProbe();
    live.tell(new ReceiptBook.Get(probe.ref()));
    Map<String, Marker> markers = probe.receiveMessage(Duration.ofSeconds(10)).byMember();
    assertEquals(members, markers.size());
    markers.forEach((m, marker) -> assertEquals(new Marker(messages, 0), marker, m));
    live.tell(ReceiptBook.Stop.INSTANCE);
    testKit.createTestProbe().expectTerminated(live, Duration.ofSeconds(10));
    book.restart();
    assertEquals(markers, markers(book), "what stopping wrote");
  }
}
