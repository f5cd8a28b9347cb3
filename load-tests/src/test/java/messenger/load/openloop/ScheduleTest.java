package messenger.load.openloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScheduleTest {

  @Test
  void messagesAreDueOnAFixedTimeline() {
    Schedule s = Schedule.constant(200, 10, 50);
    assertEquals(2_000, s.count());
    assertEquals(0, s.dueNanos(0));
    assertEquals(5_000_000, s.dueNanos(1));
    assertEquals(9_995_000_000L, s.dueNanos(1_999));
    assertEquals(10_000_000_000L, s.lengthNanos());
  }

  @Test
  void aFractionalRateStillCoversTheWholeSegment() {
    Schedule s = Schedule.constant(1.5, 3, 1);
    // due at 0, 0.667, 1.333, 2.0, 2.667 s: five messages before 3 s
    assertEquals(5, s.count());
    assertTrue(s.dueNanos(4) < 3_000_000_000L);
  }

  @Test
  void segmentsFollowEachOther() {
    Schedule s =
        new Schedule(
            List.of(new Schedule.Segment(10, 2), new Schedule.Segment(100, 1), new Schedule.Segment(10, 1)), 3);
    assertEquals(20 + 100 + 10, s.count());
    assertEquals(1_900_000_000L, s.dueNanos(19));
    assertEquals(2_000_000_000L, s.dueNanos(20));
    assertEquals(2_010_000_000L, s.dueNanos(21));
    assertEquals(3_000_000_000L, s.dueNanos(120));
    assertEquals(4_000_000_000L, s.lengthNanos());
  }

  @Test
  void messagesRotateOverThePairsAndEachPairAlternatesDirection() {
    Schedule s = Schedule.constant(100, 1, 3);
    assertEquals(List.of(0, 1, 2, 0, 1, 2, 0), List.of(s.pair(0), s.pair(1), s.pair(2), s.pair(3), s.pair(4), s.pair(5), s.pair(6)));
    assertTrue(s.fromFirst(0));
    assertTrue(s.fromFirst(2));
    assertFalse(s.fromFirst(3));
    assertFalse(s.fromFirst(5));
    assertTrue(s.fromFirst(6));
  }

  @Test
  void randomPairsAreFixedBySeedAndCoverEveryUserOnce() {
    List<int[]> a = Schedule.randomPairs(1000, 15);
    List<int[]> b = Schedule.randomPairs(1000, 15);
    assertEquals(500, a.size());
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i)[0], b.get(i)[0]);
      assertEquals(a.get(i)[1], b.get(i)[1]);
      assertTrue(seen.add(a.get(i)[0]));
      assertTrue(seen.add(a.get(i)[1]));
    }
    assertEquals(1000, seen.size());
    assertNotEquals(a.get(0)[0] * 1000 + a.get(0)[1], Schedule.randomPairs(1000, 16).get(0)[0] * 1000 + Schedule.randomPairs(1000, 16).get(0)[1]);
  }
}
