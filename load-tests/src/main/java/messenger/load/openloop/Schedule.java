package messenger.load.openloop;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The fixed timeline of an open-loop phase, and who sends each message. A phase is one or more
 * segments at a constant rate; message {@code k} is due at a fixed offset from the phase's start,
 * whatever happened to the sends before it, so a generator that falls behind still measures from
 * the due time (no coordinated omission). Messages rotate over the pairs, and each pair alternates
 * direction: message {@code k} goes to pair {@code k mod pairs}, from its first user when
 * {@code k / pairs} is even, from its second otherwise.
 */
record Schedule(List<Segment> segments, int pairs) {

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
    if (segments.isEmpty() || pairs < 1) throw new IllegalArgumentException("need a segment and a pair");
  }

  static Schedule constant(double rate, double seconds, int pairs) {
    return new Schedule(List.of(new Segment(rate, seconds)), pairs);
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

  int pair(long k) {
    return (int) (k % pairs);
  }

  /** Whether message {@code k} goes from the pair's first user to its second. */
  boolean fromFirst(long k) {
    return (k / pairs) % 2 == 0;
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
}
