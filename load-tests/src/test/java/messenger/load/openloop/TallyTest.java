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
    Tally t = new Tally(3, 0, Schedule.constant(10, 1, 2, 2), 500 * MS, 1000 * MS);
    assertFalse(t.settled(), "nothing written yet");
    for (int k = 0; k < 10; k++) t.written(k, t.dueAt(k) + 50 * MS);
    for (int k = 0; k < 8; k++) t.acked(k, t.dueAt(k) + 3 * MS);
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
    assertEquals(3, t.answered().getTotalCount()); // 5, 6 and 7 are answered and due in the window
    assertEquals(3_000, t.answered().getValueAtPercentile(50), 5);
    assertFalse(t.settled());
    t.delivered(7, t.dueAt(7), t.dueAt(7));
    t.acked(9, t.dueAt(9) + 3 * MS);
    t.delivered(9, t.dueAt(9), t.dueAt(9));
    assertTrue(t.settled());
  }

  @Test
  void inAGroupAMessageIsLostUntilItReachedEveryRecipientAndTheLastArrivalIsItsOwnLatency() {
    // one group of 4: every message is for 3 devices
    Tally t = new Tally(1, 0, Schedule.constant(10, 1, 1, 4), 0, 1000 * MS);
    for (int k = 0; k < 10; k++) {
      t.written(k, t.dueAt(k));
      t.acked(k, t.dueAt(k) + 3 * MS);
    }
    for (int k = 0; k < 10; k++) {
      t.delivered(k, t.dueAt(k), t.dueAt(k) + 5 * MS);
      t.delivered(k, t.dueAt(k), t.dueAt(k) + 10 * MS);
    }
    Tally.Counts partial = t.counts();
    assertEquals(20, partial.delivered());
    assertEquals(0, partial.complete());
    assertEquals(10, partial.lost());
    assertFalse(t.settled());
    for (int k = 0; k < 10; k++) t.delivered(k, t.dueAt(k), t.dueAt(k) + 40 * MS);
    t.duplicate();
    Tally.Counts all = t.counts();
    assertEquals(30, all.delivered());
    assertEquals(10, all.complete());
    assertEquals(0, all.lost());
    assertEquals(1, all.duplicates());
    assertTrue(t.settled());
    assertEquals(30, t.window().getTotalCount());
    assertEquals(10, t.lastRecipient().getTotalCount());
    assertEquals(40_000, t.lastRecipient().getValueAtPercentile(50), 40);
    assertEquals(10_000, t.window().getValueAtPercentile(50), 10);
  }
}
