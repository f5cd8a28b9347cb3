package messenger.load.openloop;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The fixed timeline of an open-loop phase, and who sends each message. A phase is one or more
 * segments at a constant rate; message {@code k} is due at a fixed offset from the phase's start,
 * whatever happened to the sends before it, so a generator that falls behind still measures from
 * the due time (no coordinated omission). Messages rotate over the conversations, and within each
 * over its members: message {@code k} goes to conversation {@code k mod conversations}, from its
 * member {@code (k / conversations) mod members}; a pair (two members) thus alternates direction.
 */
record Schedule(List<Segment> segments, int conversations, int members) {

  /** {@code rate} messages per second for {@code seconds}. */
  record Segment(double rate, double seconds) {
    Segment {
      if (rate <= 0 || seconds <= 0) throw new IllegalArgumentException("rate and seconds must be > 0");
    }

    /** Messages due in this segment: every k with k / rate < seconds. */
    long count() {
      return (long) Math.ceil(rate * seconds - 1e-9);
    }
  }

  Schedule {
    segments = List.copyOf(segments);
    if (segments.isEmpty() || conversations < 1 || members < 2)
      throw new IllegalArgumentException("need a segment and a conversation of two or more");
  }

  static Schedule constant(double rate, double seconds, int conversations, int members) {
    return new Schedule(List.of(new Segment(rate, seconds)), conversations, members);
  }

  /** Messages due in the whole phase. */
  long count() {
    return segments.stream().mapToLong(Segment::count).sum();
  }

  /** Nanoseconds from the phase's start to message {@code k}'s due time. */
  long dueNanos(long k) {
    double offsetSeconds = 0;
    for (Segment segment : segments) {
      long n = segment.count();
      if (k < n) return Math.round((offsetSeconds + k / segment.rate()) * 1e9);
      k -= n;
      offsetSeconds += segment.seconds();
    }
    throw new IndexOutOfBoundsException("message beyond the schedule");
  }

  /** Nanoseconds from the phase's start to its end. */
  long lengthNanos() {
    return Math.round(segments.stream().mapToDouble(Segment::seconds).sum() * 1e9);
  }

  int conversation(long k) {
    return (int) (k % conversations);
  }

  /** The index, within its conversation's members, of message {@code k}'s sender. */
  int sender(long k) {
    return (int) ((k / conversations) % members);
  }

  /** The devices each message is for: every member but the sender. */
  int recipients() {
    return members - 1;
  }

  /**
   * {@code users / 2} fixed random pairs of user indexes 0..users-1: a shuffle seeded with {@code
   * seed}, paired in order. The same seed gives the same pairs.
   */
  static List<int[]> randomPairs(int users, long seed) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < users; i++) order.add(i);
    Collections.shuffle(order, new Random(seed));
    List<int[]> pairs = new ArrayList<>();
    for (int i = 0; i + 1 < users; i += 2) pairs.add(new int[] {order.get(i), order.get(i + 1)});
    return pairs;
  }

  /**
   * {@code count} groups of {@code size} user indexes out of 0..users-1: a shuffle seeded with
   * {@code seed}, cut in order into groups, wrapping round (so groups overlap when {@code count *
   * size > users}); each group's members are distinct.
   */
  static List<int[]> randomGroups(int users, int count, int size, long seed) {
    if (size < 2 || size > users) throw new IllegalArgumentException("a group has 2.." + users + " members");
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < users; i++) order.add(i);
    Collections.shuffle(order, new Random(seed));
    List<int[]> groups = new ArrayList<>();
    for (int g = 0; g < count; g++) {
      int[] members = new int[size];
      for (int i = 0; i < size; i++) members[i] = order.get((int) (((long) g * size + i) % users));
      groups.add(members);
    }
    return groups;
  }
}
