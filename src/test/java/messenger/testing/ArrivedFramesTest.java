package messenger.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The test client's received frames: taken in arrival order, whatever was skipped meanwhile. */
@Timeout(60)
class ArrivedFramesTest {

  private static final Predicate<JsonNode> SENT = f -> f.path("type").asText().equals("sent");
  private static final Predicate<JsonNode> MESSAGES =
      f -> f.path("type").asText().equals("messages");

  private static JsonNode frame(String type, long n) {
    return JsonNodeFactory.instance.objectNode().put("type", type).put("n", n);
  }

  private static long in(Duration wait) {
    return System.nanoTime() + wait.toNanos();
  }

  @Test
  void takingOneTypeLeavesTheOthersInArrivalOrder() throws Exception {
    ArrivedFrames frames = new ArrivedFrames();
    frames.add(frame("messages", 1));
    frames.add(frame("messages", 2));
    frames.add(frame("sent", 3));
    frames.add(frame("messages", 4));

    assertEquals(3, frames.take(SENT, in(Duration.ZERO)).path("n").asLong());
    assertEquals(1, frames.take(in(Duration.ZERO)).path("n").asLong());
    assertEquals(2, frames.take(in(Duration.ZERO)).path("n").asLong());
    assertEquals(4, frames.take(in(Duration.ZERO)).path("n").asLong());
    assertNull(frames.take(in(Duration.ofMillis(20))));
  }

  @Test
  void aReaderWaitingForOneTypeIsWokenByItsArrival() throws Exception {
    ArrivedFrames frames = new ArrivedFrames();
    frames.add(frame("messages", 1));
    CompletableFuture<JsonNode> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return frames.take(SENT, in(Duration.ofSeconds(20)));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    frames.add(frame("messages", 2));
    frames.add(frame("sent", 3));

    assertEquals(3, waiting.join().path("n").asLong());
    assertEquals(1, frames.take(in(Duration.ZERO)).path("n").asLong());
    assertEquals(2, frames.take(in(Duration.ZERO)).path("n").asLong());
  }

  /**
   * What GroupTimelineIntegrationTest's senders do: one thread waits for each "sent" frame while
   * "messages" frames keep arriving on another. The old client took the skipped frames off and put
   * them back, and a frame arriving meanwhile went ahead of them (the device saw seq 65 first).
   */
  @Test
  void framesArrivingWhileAReaderSkipsPastOthersKeepTheirPlace() throws Exception {
    int rounds = 1_000;
    int messagesPerRound = 20;
    ArrivedFrames frames = new ArrivedFrames();
    CompletableFuture<Void> listener =
        CompletableFuture.runAsync(
            () -> {
              long n = 0;
              for (int round = 0; round < rounds; round++) {
                for (int m = 0; m < messagesPerRound; m++) frames.add(frame("messages", ++n));
                frames.add(frame("sent", round));
              }
            });
    for (int round = 0; round < rounds; round++) {
      assertEquals(round, frames.take(SENT, in(Duration.ofSeconds(20))).path("n").asLong());
    }
    listener.join();

    List<Long> seen = new ArrayList<>();
    JsonNode next;
    while ((next = frames.take(MESSAGES, in(Duration.ZERO))) != null) {
      seen.add(next.path("n").asLong());
    }
    assertEquals(
        LongStream.rangeClosed(1, (long) rounds * messagesPerRound).boxed().toList(), seen);
  }
}
