package messenger.load.openloop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CassandraWritesTest {

  @Test
  void perMessageIsEachTablesDeltaOverTheMessagesAndTheirSum() {
    var before = Map.of("messenger.messages", 100L, "messenger_snapshot.snapshots", 7L);
    var after = Map.of("messenger.messages", 400L, "messenger_snapshot.snapshots", 17L);

    assertEquals(
        " writes/msg 3.10 (messenger.messages 3.00, messenger_snapshot.snapshots 0.10)",
        CassandraWrites.perMessage(before, new java.util.TreeMap<>(after), 100));
  }

  @Test
  void readsArePrintedApartFromWritesWhenThereWereAny() {
    var before = Map.of("messenger.messages", 100L, "messenger.messages reads", 5L);
    var after = Map.of("messenger.messages", 200L, "messenger.messages reads", 55L);

    assertEquals(
        " writes/msg 1.00 (messenger.messages 1.00) reads/msg 0.50 (messenger.messages 0.50)",
        CassandraWrites.perMessage(before, new java.util.TreeMap<>(after), 100));
  }

  @Test
  void withoutReadingsOrMessagesNothingIsPrinted() {
    assertEquals("", CassandraWrites.perMessage(Map.of(), Map.of("a", 1L), 10));
    assertEquals("", CassandraWrites.perMessage(Map.of("a", 1L), Map.of("a", 2L), 0));
  }
}
