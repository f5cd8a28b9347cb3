package messenger.load.openloop;

import java.util.OptionalLong;

/**
 * Which rate a sweep tries next. Rates start at {@code start} and grow by {@code factor} while
 * steps hold; after the first failed step, bisection between the last rate that held and the first
 * that failed, until they are within {@code precision} of each other. If the very first step
 * fails, the rate halves until one holds (or falls below {@code minRate}). Rates are whole
 * messages per second.
 */
final class RateSearch {

  private final double factor;
  private final double precision;
  private final long minRate;
  private final long maxRate;
  private long current;
  private long lastGood = -1;
  private long firstFailed = -1;
  private boolean done;

  RateSearch(long start, double factor, double precision, long minRate, long maxRate) {
    if (start < 1 || factor <= 1 || precision <= 0) throw new IllegalArgumentException("bad search");
    this.current = start;
    this.factor = factor;
    this.precision = precision;
    this.minRate = minRate;
    this.maxRate = maxRate;
  }

  /** The rate of the next step; only while {@link #done()} is false. */
  long current() {
    return current;
  }

  boolean done() {
    return done;
  }

  /** The highest rate that held, once a step held. */
  OptionalLong maxSustained() {
    return lastGood < 0 ? OptionalLong.empty() : OptionalLong.of(lastGood);
  }

  /** Whether the search stopped at {@code maxRate} without any step failing. */
  boolean cappedWithoutFailure() {
    return done && firstFailed < 0;
  }

  /** Records whether the step at {@link #current()} held and picks the next rate. */
  void record(boolean held) {
    if (done) throw new IllegalStateException("the search is over");
    if (held) lastGood = current;
    else firstFailed = current;
    if (firstFailed < 0) {
      long next = Math.max(current + 1, Math.round(current * factor));
      if (next > maxRate) done = true;
      else current = next;
    } else if (lastGood < 0) {
      long next = current / 2;
      if (next < minRate) done = true;
      else current = next;
    } else {
      long mid = (lastGood + firstFailed) / 2;
      if (firstFailed - lastGood <= precision * lastGood || mid == lastGood) done = true;
      else current = mid;
    }
  }
}
