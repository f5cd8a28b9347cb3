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
    Schedule s = Schedule.constant(200, 10, 50, 2);
    assertEquals(2_000, s.count());
    assertEquals(0, s.dueNanos(0));
    assertEquals(5_000_000, s.dueNanos(1));
    assertEquals(9_995_000_000L, s.dueNanos(1_999));
    assertEquals(10_000_000_000L, s.lengthNanos());
  }

  @Test
  void aFractionalRateStillCoversTheWholeSegment() {
    Schedule s = Schedule.constant(1.5, 3, 1, 2);
    // due at 0, 0.667, 1.333, 2.0, 2.667 s: five messages before 3 s
    assertEquals(5, s.count());
    assertTrue(s.dueNanos(4) < 3_000_000_000L);
  }

  @Test
  void segmentsFollowEachOther() {
    Schedule s =
        new Schedule(
            List.of(new Schedule.Segment(10, 2), new Schedule.Segment(100, 1), new Schedule.Segment(10, 1)), 3, 2);
    assertEquals(20 + 100 + 10, s.count());
    assertEquals(1_900_000_000L, s.dueNanos(19));
    assertEquals(2_000_000_000L, s.dueNanos(20));
    assertEquals(2_010_000_000L, s.dueNanos(21));
    assertEquals(3_000_000_000L, s.dueNanos(120));
    assertEquals(4_000_000_000L, s.lengthNanos());
  }

  @Test
  void messagesRotateOverThePairsAndEachPairAlternatesDirection() {
    Schedule s = Schedule.constant(100, 1, 3, 2);
    assertEquals(
        List.of(0, 1, 2, 0, 1, 2, 0),
        List.of(s.conversation(0), s.conversation(1), s.conversation(2), s.conversation(3), s.conversation(4), s.conversation(5), s.conversation(6)));
    assertEquals(List.of(0, 0, 1, 1, 0), List.of(s.sender(0), s.sender(2), s.sender(3), s.sender(5), s.sender(6)));
    assertEquals(1, s.recipients());
  }

  @Test
  void inAGroupTheSenderRotatesOverEveryMember() {
    Schedule s = Schedule.constant(100, 1, 2, 4);
    // conversation 0 gets k = 0, 2, 4, 6, 8: members 0, 1, 2, 3, then 0 again
    assertEquals(List.of(0, 1, 2, 3, 0), List.of(s.sender(0), s.sender(2), s.sender(4), s.sender(6), s.sender(8)));
    assertEquals(3, s.recipients());
  }

  @Test
  void randomGroupsHaveDistinctMembersAndWrapRoundTheUsers() {
    List<int[]> groups = Schedule.randomGroups(10, 3, 4, 15);
    assertEquals(3, groups.size());
    Set<Integer> all = new HashSet<>();
    for (int[] g : groups) {
      Set<Integer> members = new HashSet<>();
      for (int m : g) {
        assertTrue(m >= 0 && m < 10);
        members.add(m);
        all.add(m);
      }
      assertEquals(4, members.size());
    }
    assertEquals(10, all.size()); // 12 places over 10 users: every user, two of them twice
    assertEquals(groups.get(2)[3], Schedule.randomGroups(10, 3, 4, 15).get(2)[3]);
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
