package messenger.load.openloop;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * What happened to each message of one phase (a sweep step, a fixed-rate run, a burst profile):
 * whether its send frame was written, answered {@code sent} or refused, and how many of its
 * recipients' devices it reached ({@link Schedule#recipients()}: one in a pair, every other member
 * in a group). Latencies are from the message's due time to each arrival, in microseconds: all of
 * them per second of arrival ({@link #interval()}), and those of messages due within the measured
 * window in {@link #window()}; the arrival at the last recipient of each message in {@link
 * #lastRecipient()}; from the due time to the sender's {@code sent} answer in {@link #answered()}
 * (the write path's share, before any fan-out). Written to by the scheduler and the sockets'
 * threads.
 */
final class Tally {

  private static final int WRITTEN = 1;
  private static final int WRITE_FAILED = 2;
  private static final int ACKED = 4;
  private static final int REFUSED = 8;
  static final long MAX_MICROS = 3_600_000_000L;

  final int id;
  final long startNanos;
  final Schedule schedule;
  private final long windowFrom;
  private final long windowTo;
  private final AtomicIntegerArray flags;
  private final AtomicIntegerArray arrivals;
  private final int recipients;
  private final Map<String, LongAdder> refusedByCode = new ConcurrentHashMap<>();
  private final Histogram window = new SynchronizedHistogram(MAX_MICROS, 3);
  private final Histogram lastRecipient = new SynchronizedHistogram(MAX_MICROS, 3);
  private final Histogram answered = new SynchronizedHistogram(MAX_MICROS, 3);
  private final Recorder interval = new Recorder(MAX_MICROS, 3);
  private final LongAdder written = new LongAdder();
  private final LongAdder writtenInWindow = new LongAdder();
  private final LongAdder writeFailed = new LongAdder();
  private final LongAdder acked = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder complete = new LongAdder();
  private final LongAdder duplicates = new LongAdder();

  /**
   * A phase starting at {@code startNanos} ({@link System#nanoTime()}); latencies of messages due
   * in [startNanos + windowFromNanos, startNanos + windowToNanos) go into {@link #window()}.
   */
  Tally(int id, long startNanos, Schedule schedule, long windowFromNanos, long windowToNanos) {
    if (schedule.count() > Integer.MAX_VALUE) throw new IllegalArgumentException("phase too long");
    this.id = id;
    this.startNanos = startNanos;
    this.schedule = schedule;
    this.windowFrom = startNanos + windowFromNanos;
    this.windowTo = startNanos + windowToNanos;
    this.flags = new AtomicIntegerArray((int) schedule.count());
    this.arrivals = new AtomicIntegerArray((int) schedule.count());
    this.recipients = schedule.recipients();
  }

  long dueAt(long k) {
    return startNanos + schedule.dueNanos(k);
  }

  /** The send frame of message {@code k} went out at {@code nowNanos}. */
  void written(int k, long nowNanos) {
    set(k, WRITTEN);
    written.increment();
    if (nowNanos >= windowFrom && nowNanos < windowTo) writtenInWindow.increment();
  }

  void writeFailed(int k) {
    set(k, WRITE_FAILED);
    writeFailed.increment();
  }

  /** Message {@code k} was answered {@code sent} at {@code nowNanos}. */
  void acked(int k, long nowNanos) {
    if (valid(k) && (flags.getAndUpdate(k, f -> f | ACKED) & ACKED) == 0) {
      acked.increment();
      long due = dueAt(k);
      if (due >= windowFrom && due < windowTo) answered.recordValue(micros(nowNanos - due));
    }
  }

  void refused(int k, String code) {
    if (valid(k) && (flags.getAndUpdate(k, f -> f | REFUSED) & REFUSED) == 0) {
      refused.increment();
      refusedByCode.computeIfAbsent(code, c -> new LongAdder()).increment();
    }
  }

  /**
   * Message {@code k}, due at {@code dueNanos}, reached one of its recipients' devices at {@code
   * nowNanos} for the first time (the device tells repeats apart: {@link #duplicate()}).
   */
  void delivered(int k, long dueNanos, long nowNanos) {
    if (!valid(k)) return;
    int arrived = arrivals.incrementAndGet(k);
    if (arrived > recipients) {
      duplicates.increment();
      return;
    }
    delivered.increment();
    long micros = micros(nowNanos - dueNanos);
    interval.recordValue(micros);
    boolean inWindow = dueNanos >= windowFrom && dueNanos < windowTo;
    if (inWindow) window.recordValue(micros);
    if (arrived == recipients) {
      complete.increment();
      if (inWindow) lastRecipient.recordValue(micros);
    }
  }

  /** A device received a message of this phase it had received before. */
  void duplicate() {
    duplicates.increment();
  }

  /**
   * True when every send was written (or failed to be), every written one answered and every
   * acknowledged one delivered.
   */
  boolean settled() {
    for (int k = 0; k < flags.length(); k++) {
      int f = flags.get(k);
      if ((f & (WRITTEN | WRITE_FAILED)) == 0) return false;
      if ((f & WRITTEN) != 0 && (f & (ACKED | REFUSED)) == 0) return false;
      if ((f & ACKED) != 0 && arrivals.get(k) < recipients) return false;
    }
    return true;
  }

  /** The counts at this moment: lost and unanswered mean "so far" until the phase has drained. */
  Counts counts() {
    long lost = 0;
    long unanswered = 0;
    for (int k = 0; k < flags.length(); k++) {
      int f = flags.get(k);
      if ((f & ACKED) != 0 && arrivals.get(k) < recipients) lost++;
      if ((f & WRITTEN) != 0 && (f & (ACKED | REFUSED)) == 0) unanswered++;
    }
    Map<String, Long> codes = new TreeMap<>();
    refusedByCode.forEach((code, n) -> codes.put(code, n.sum()));
    return new Counts(
        written.sum(),
        writtenInWindow.sum(),
        writeFailed.sum(),
        acked.sum(),
        refused.sum(),
        codes,
        delivered.sum(),
        complete.sum(),
        lost,
        unanswered,
        duplicates.sum());
  }

  /** Latencies of delivered messages due in the measured window (µs); a copy. */
  Histogram window() {
    return window.copy();
  }

  /** Latencies to the last recipient of messages due in the measured window (µs); a copy. */
  Histogram lastRecipient() {
    return lastRecipient.copy();
  }

  /** Latencies from the due time to the {@code sent} answer, of messages due in the window (µs). */
  Histogram answered() {
    return answered.copy();
  }

  /** Latencies of every arrival since the last call (µs). */
  Histogram interval() {
    return interval.getIntervalHistogram();
  }

  /**
   * Counters of a phase; see {@link Tally}. {@code delivered} counts arrivals (one per recipient
   * device), {@code complete} the messages that reached all their recipients, {@code lost} the
   * acknowledged ones that did not.
   */
  record Counts(
      long written,
      long writtenInWindow,
      long writeFailed,
      long acked,
      long refused,
      Map<String, Long> refusedByCode,
      long delivered,
      long complete,
      long lost,
      long unanswered,
      long duplicates) {}

  private static long micros(long nanos) {
    return Math.min(MAX_MICROS, Math.max(0, nanos / 1000));
  }

  private boolean valid(int k) {
    return k >= 0 && k < flags.length();
  }

  private void set(int k, int flag) {
    if (valid(k)) flags.getAndUpdate(k, f -> f | flag);
  }
}
