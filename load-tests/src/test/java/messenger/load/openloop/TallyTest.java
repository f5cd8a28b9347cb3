package messenger.load.openloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TallyTest {

  private static final long MS = 1_000_000;

  @Test
  void countsLostAndUnansweredSendsAndLatencyFromTheDueTime() {
    // 10 messages over 1 s; the window holds those due from 0.5 s on
    Tally t = new Tally(3, 0, Schedule.constant(10, 1, 2), 500 * MS, 1000 * MS);
    assertFalse(t.settled(), "nothing written yet");
    for (int k = 0; k < 10; k++) t.written(k, t.dueAt(k) + 50 * MS);
    for (int k = 0; k < 8; k++) t.acked(k);
    t.refused(8, "unavailable");
    for (int k = 0; k < 7; k++) t.delivered(k, t.dueAt(k), t.dueAt(k) + 20 * MS);
    t.delivered(6, t.dueAt(6), t.dueAt(6) + 20 * MS);
    Tally.Counts c = t.counts();
    assertEquals(10, c.written());
    assertEquals(5, c.writtenInWindow()); // written at 0.55 s .. 0.95 s
    assertEquals(8, c.acked());
    assertEquals(Map.of("unavailable", 1L), c.refusedByCode());
    assertEquals(7, c.delivered());
    assertEquals(1, c.lost()); // 7: acked, never delivered
    assertEquals(1, c.unanswered()); // 9: written, neither sent nor error
    assertEquals(1, c.duplicates());
    assertEquals(2, t.window().getTotalCount()); // 5 and 6 are due in the window
    assertEquals(20_000, t.window().getValueAtPercentile(99), 20);
    assertFalse(t.settled());
    t.delivered(7, t.dueAt(7), t.dueAt(7));
    t.acked(9);
    t.delivered(9, t.dueAt(9), t.dueAt(9));
    assertTrue(t.settled());
  }
}
