package messenger.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import messenger.chat.ReceiptBook.Marker;
import messenger.testing.EntityTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A conversation's receipt markers: answered at once, written coalesced, never moving back. */
class ReceiptBookTest {

  private static final ActorTestKit testKit = ActorTestKit.create(EntityTests.config());

  private final String conversationId = "c-" + UUID.randomUUID();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
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
}
