package messenger.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.serialization.SerializationExtension;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import messenger.testing.EntityTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The new entry fields survive the journal's and the cluster's serializer (CBOR) unchanged. */
class AmendmentSerializationTest {

  private static final ActorTestKit testKit = ActorTestKit.create(EntityTests.config());

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static Object roundTrip(Object value) {
    var serialization = SerializationExtension.get(testKit.system().classicSystem());
    byte[] bytes = serialization.serialize(value).get();
    var serializer = serialization.findSerializerFor(value);
    String manifest = akka.serialization.Serializers.manifestFor(serializer, value);
    return serialization.deserialize(bytes, serializer.identifier(), manifest).get();
  }

  private static ChatMessage entry(Amendment amendment, Revision revision) {
    return new ChatMessage(
        "g-1",
        7,
        "id-7",
        "alice",
        "",
        Instant.parse("2026-12-07T10:00:00Z"),
        null,
        List.of(),
        amendment,
        revision);
  }

  @Test
  void everyKindOfAmendmentEntrySurvivesTheJournalsSerializer() {
    for (Amendment amendment :
        List.of(
            Amendment.edit(3, "new text"),
            Amendment.delete(3).about("bob"),
            Amendment.reaction(3, "\uD83D\uDC4D", true),
            Amendment.reaction(3, "\uD83D\uDC4D", false))) {
      var event = new Conversation.MessagePosted(entry(amendment, null), "c-1");
      assertEquals(event, roundTrip(event));
    }
  }

  @Test
  void aRevisedMessageKeepsItsRevisionBetweenNodes() {
    var revised =
        entry(
            null,
            new Revision(
                Instant.parse("2026-12-07T11:00:00Z"), null, Map.of("x", List.of("b", "a"))));
    assertEquals(revised, roundTrip(revised));
  }
}
