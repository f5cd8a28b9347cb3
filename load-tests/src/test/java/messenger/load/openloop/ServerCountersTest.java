package messenger.load.openloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServerCountersTest {

  private static final String BODY =
      """
      # HELP messenger_cassandra_requests_total CQL requests
      # TYPE messenger_cassandra_requests_total counter
      messenger_cassandra_requests_total 1234.0
      messenger_cassandra_requests_total_other 9.0
      messenger_frames_total{direction="in"} 10.0
      messenger_frames_total{direction="out"} 32.0
      """;

  @Test
  void aCounterIsTheSumOfItsSamplesAcrossLabels() {
    assertEquals(1234.0, ServerCounters.valueOf(BODY, ServerCounters.CQL_REQUESTS));
    assertEquals(42.0, ServerCounters.valueOf(BODY, "messenger_frames_total"));
  }

  @Test
  void aMissingCounterIsNaNAndPrintsNothing() {
    assertTrue(Double.isNaN(ServerCounters.valueOf(BODY, "messenger_nope_total")));
    assertEquals("", ServerCounters.perMessage(Double.NaN, 5, 10));
  }

  @Test
  void perMessageIsTheDeltaOverTheMessages() {
    assertEquals(" cql/msg 3.50", ServerCounters.perMessage(100, 135, 10));
  }
}
