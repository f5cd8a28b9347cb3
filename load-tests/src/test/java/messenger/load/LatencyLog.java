package messenger.load;

import java.util.Arrays;

/**
 * End-to-end latencies measured outside Gatling's request timing (a receiver does not send
 * anything Gatling could time), summarised once at the end of a run.
 */
final class LatencyLog {

  private long[] values = new long[1 << 16];
  private int size;

  synchronized void add(long millis) {
    if (size == values.length) values = Arrays.copyOf(values, size * 2);
    values[size++] = millis;
  }

  synchronized int count() {
    return size;
  }

  /** "n=…, p50=… p75=… p95=… p99=… max=… ms". */
  synchronized String summary() {
    if (size == 0) return "n=0";
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    return String.format(
        "n=%d, p50=%d p75=%d p95=%d p99=%d max=%d ms",
        size,
        at(sorted, 0.50),
        at(sorted, 0.75),
        at(sorted, 0.95),
        at(sorted, 0.99),
        sorted[size - 1]);
  }

  private static long at(long[] sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, index)];
  }
}
