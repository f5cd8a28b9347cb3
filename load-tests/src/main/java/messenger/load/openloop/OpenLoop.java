package messenger.load.openloop;

import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The open-loop load generator's command line (load-tests/README.md): {@code -Dmode=sweep} finds
 * the highest rate a server sustains, step by step; {@code rate} holds one rate and prints each
 * second (soaks); {@code burst} offers a multiple of a base rate for a while and reports goodput and
 * recovery; {@code cold} is {@code rate} with users registered and logged in over the public API
 * first, sending from the first second (a cold node); {@code offline} times the catch-up of devices
 * that come back to messages they missed. Any mode runs over pairs or, with {@code -Dgroups}, over
 * groups. Parameters are system properties ({@code -Dname=value}).
 */
public final class OpenLoop {

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private final Fleet fleet;
  private final CpuSampler cpu;
  private final CassandraWrites counters;

  private OpenLoop(Fleet fleet, CpuSampler cpu, CassandraWrites counters) {
    this.fleet = fleet;
    this.cpu = cpu;
    this.counters = counters;
  }

  public static void main(String[] args) {
    String mode = text("mode", "sweep");
    String baseUrl = text("baseUrl", "http://127.0.0.1:8080");
    int port = java.net.URI.create(baseUrl).getPort();
    Map<String, Long> pids = new LinkedHashMap<>();
    pids.put("server", CpuSampler.find("server.pid", "messenger.Main", port < 0 ? 80 : port).orElse(-1));
    pids.put(
        "cassandra",
        CpuSampler.find("cassandra.pid", "org.apache.cassandra.service.CassandraDaemon", integer("cassandra.port", 9042))
            .orElse(-1));
    pids.put("generator", ProcessHandle.current().pid());
    CpuSampler cpu = new CpuSampler(pids);
    System.out.printf("openloop %s against %s; pids %s%n", mode, baseUrl, pids);
    if (mode.equals("groupcatchup")) {
      GroupCatchUp.run(
          baseUrl,
          text("admin.token", System.getenv().getOrDefault("MESSENGER_ADMIN_TOKEN", "")),
          integer("groups", 20),
          integer("groupSize", 10),
          integer("posts", 1000),
          integer("rounds", 3));
      return;
    }
    boolean cold = mode.equals("cold");
    try (CassandraWrites writes =
            CassandraWrites.connect(text("cassandra.host", "127.0.0.1"), integer("cassandra.port", 9042));
        Fleet fleet =
        Fleet.start(
            baseUrl,
            cold ? "" : text("admin.token", System.getenv().getOrDefault("MESSENGER_ADMIN_TOKEN", "")),
            integer("loginConcurrency", 32),
            integer("users", 1000),
            integer("seed", 15),
            integer("ioThreads", 2),
            integer("groups", 0),
            integer("groupSize", 100))) {
      fleet.padBodies(integer("pad", 0)).ackAtMostEvery(integer("ackEveryMs", 250));
      OpenLoop run = new OpenLoop(fleet, cpu, writes);
      if (!cold) run.prime(number("primeRate", 100));
      // The same deliveries per second as 200 msg/s in pairs: 2 msg/s in a group of 100.
      if (!cold) run.warm(number("warmRate", 200.0 / (fleet.membersEach() - 1)), number("warmSeconds", 90));
      switch (mode) {
        case "sweep" -> run.sweep();
        case "rate", "cold" -> run.fixedRate(number("rate", 500), number("seconds", cold ? 10 : 60));
        case "burst" -> run.burst();
        case "offline" -> run.offline();
        default -> throw new IllegalArgumentException("mode is sweep, rate, burst, cold or offline, not " + mode);
      }
    }
  }

  /**
   * Before any measurement, every pair exchanges one message each way at {@code rate}, so the
   * conversations and inboxes a run uses exist and are started (real users are not new). Not
   * counted anywhere.
   */
  private void prime(double rate) {
    int messages = 2 * fleet.conversationCount();
    Schedule schedule = fleet.constant(rate, messages / rate);
    Tally tally = new Tally(0, System.nanoTime() + SECOND / 10, schedule, 0, schedule.lengthNanos());
    drain(tally, fleet.play(tally), number("drain", 10));
    Tally.Counts c = tally.counts();
    System.out.printf(
        "primed: two messages in every conversation, %d of %d reached every recipient, %d refused, in %.1f s%n",
        c.complete(), messages, c.refused(), (System.nanoTime() - tally.startNanos) / 1e9);
  }

  private static final int WARM_PHASE = 999;

  /**
   * A fixed rate for {@code seconds}, not counted: a fresh server JVM spends its first minutes
   * compiling (C2 took a quarter of a core at 2 msg/s three minutes after start), and a sweep that
   * starts on a cold JVM fails its first step and never climbs again. One line, for the record.
   */
  private void warm(double rate, double seconds) {
    if (seconds <= 0) return;
    Schedule schedule = fleet.constant(rate, seconds);
    // Its own phase id: the prime's (0) again would make its first sends client retries.
    Tally tally = new Tally(WARM_PHASE, System.nanoTime() + SECOND / 10, schedule, 0, nanos(seconds));
    CpuSampler.Snapshot from = cpu.snapshot();
    CompletableFuture<Void> played = fleet.play(tally);
    sleepUntil(tally.startNanos + nanos(seconds));
    CpuSampler.Snapshot to = cpu.snapshot();
    drain(tally, played, number("drain", 10));
    Line line = Line.of(0, (long) rate, seconds, tally, cpu.percent(from, to));
    System.out.println("warm-up, not counted:");
    System.out.println(Line.HEADER);
    System.out.println(line.format());
  }

  /** Steps of {@code warmup + step} seconds and a drain, rates from {@link RateSearch}. */
  private void sweep() {
    double warmup = number("warmup", 5);
    double measure = number("step", 10);
    double drain = number("drain", 10);
    StepVerdict.Limits limits = new StepVerdict.Limits(number("p99Ms", 200), number("keep", 0.95));
    RateSearch search =
        new RateSearch(
            integer("start", 200),
            number("factor", 1.5),
            number("precision", 0.05),
            integer("minRate", 10),
            integer("maxRate", 100_000));
    int maxSteps = integer("maxSteps", 30);
    System.out.printf(
        "sweep: %s; steps of %.0f s warm-up + %.0f s measured + up to %.0f s drain; holds if nothing lost,"
            + " refused or unanswered, p99 <= %.0f ms, >= %.0f%% of the rate kept%n",
        conversations(), warmup, measure, drain, limits.maxP99Millis(), 100 * limits.minKept());
    System.out.println(Line.HEADER);
    for (int step = 1; !search.done() && step <= maxSteps; step++) {
      long rate = search.current();
      Schedule schedule = fleet.constant(rate, warmup + measure);
      Tally tally = new Tally(step, System.nanoTime() + SECOND / 10, schedule, nanos(warmup), nanos(warmup + measure));
      CompletableFuture<Void> played = fleet.play(tally);
      sleepUntil(tally.startNanos + nanos(warmup));
      CpuSampler.Snapshot from = cpu.snapshot();
      Map<String, Long> cqlBefore = counters.read();
      sleepUntil(tally.startNanos + nanos(warmup + measure));
      CpuSampler.Snapshot to = cpu.snapshot();
      Map<String, Long> cqlAfter = counters.read();
      drain(tally, played, drain);
      Line line = Line.of(step, rate, measure, tally, cpu.percent(from, to));
      StepVerdict verdict = StepVerdict.judge(line.outcome(), limits);
      String cql = CassandraWrites.perMessage(cqlBefore, cqlAfter, tally.counts().writtenInWindow());
      System.out.println(line.format() + "  " + verdict + line.refusedCodes() + connectionErrors() + cql);
      lastRecipient(tally, "  ");
      search.record(verdict.held());
      if (fleet.openDevices() == 0) {
        System.out.println("every connection is closed: the sweep stops here");
        break;
      }
    }
    OptionalLong best = search.maxSustained();
    if (fleet.openDevices() == 0)
      System.out.println("max sustained rate: not found (the connections closed during the sweep)");
    else if (best.isEmpty()) System.out.println("max sustained rate: none (no step held)");
    else if (search.cappedWithoutFailure())
      System.out.printf("max sustained rate: >= %d msg/s (maxRate reached, no step failed)%n", best.getAsLong());
    else if (!search.done())
      System.out.printf("max sustained rate: >= %d msg/s (maxSteps reached before the search converged)%n", best.getAsLong());
    else System.out.printf("max sustained rate: %d msg/s%n", best.getAsLong());
  }

  /** One rate for {@code seconds}, a line per second, then the totals (soaks). */
  private void fixedRate(double rate, double seconds) {
    Schedule schedule = fleet.constant(rate, seconds);
    Tally tally = new Tally(1, System.nanoTime() + SECOND / 10, schedule, 0, nanos(seconds));
    System.out.printf("rate: %.0f msg/s for %.0f s over %s%n", rate, seconds, conversations());
    CpuSampler.Snapshot from = cpu.snapshot();
    Map<String, Long> cqlBefore = counters.read();
    CompletableFuture<Void> played = fleet.play(tally);
    perSecond(tally, (int) Math.ceil(seconds));
    CpuSampler.Snapshot to = cpu.snapshot();
    Map<String, Long> cqlAfter = counters.read();
    // Cassandra's percentiles are of the last minute or so: read before the drain's quiet.
    String cassandraLatencies = counters.writeLatencies().trim();
    drain(tally, played, number("drain", 10));
    summary(tally, rate, seconds, cpu.percent(from, to));
    System.out.println(CassandraWrites.perMessage(cqlBefore, cqlAfter, tally.counts().writtenInWindow()).trim());
    System.out.println(cassandraLatencies);
  }

  /**
   * {@code rate} for {@code before} s, {@code rate * multiple} for {@code burst} s, {@code rate}
   * for {@code after} s; goodput is what was delivered (by arrival) during the burst.
   */
  private void burst() {
    double rate = number("rate", 500);
    double multiple = number("multiple", 2);
    int before = integer("before", 10);
    int burst = integer("burst", 30);
    int after = integer("after", 30);
    double recoverMs = number("recoverP99Ms", 50);
    Schedule schedule =
        new Schedule(
            List.of(
                new Schedule.Segment(rate, before),
                new Schedule.Segment(rate * multiple, burst),
                new Schedule.Segment(rate, after)),
            fleet.conversationCount(),
            fleet.membersEach());
    int seconds = before + burst + after;
    Tally tally = new Tally(1, System.nanoTime() + SECOND / 10, schedule, 0, nanos(seconds));
    System.out.printf(
        "burst: %.0f msg/s for %d s, %.0f msg/s for %d s, %.0f msg/s for %d s over %s%n",
        rate, before, rate * multiple, burst, rate, after, conversations());
    CpuSampler.Snapshot from = cpu.snapshot();
    CompletableFuture<Void> played = fleet.play(tally);
    List<Second> perSecond = perSecond(tally, seconds);
    CpuSampler.Snapshot to = cpu.snapshot();
    drain(tally, played, number("drain", 10));
    long deliveredInBurst =
        perSecond.subList(before, before + burst).stream().mapToLong(Second::delivered).sum();
    System.out.printf(
        "goodput during the burst: %.0f msg/s delivered of %.0f offered (%.0f%% of the offer)%n",
        (double) deliveredInBurst / burst, rate * multiple, 100.0 * deliveredInBurst / burst / (rate * multiple));
    int end = before + burst;
    int firstUnder = Second.firstUnder(perSecond, end, recoverMs);
    int staysUnder = Second.recoveredFrom(perSecond, end, recoverMs);
    System.out.printf(
        "p99 back under %.0f ms after the burst: first %s; for good %s%n",
        recoverMs,
        firstUnder < 0 ? "never in the " + after + " s after it" : "within " + (firstUnder + 1 - end) + " s",
        staysUnder < 0 ? "never in the " + after + " s after it" : "within " + (staysUnder + 1 - end) + " s");
    summary(tally, (double) schedule.count() / seconds, seconds, cpu.percent(from, to));
  }

  private static final int OFFLINE_PHASE = 998;

  /**
   * Offline catch-up: every conversation's members but the first disconnect; the first members
   * send {@code missed} messages into each conversation at {@code rate}; once every send is
   * answered the others all connect again at once ({@code connectThreads} at a time), and each
   * one's time is from its connect to the arrival of the last message it had missed.
   */
  private void offline() {
    int missed = integer("missed", 10);
    double rate = number("rate", 500);
    List<Integer> receivers = fleet.receivers();
    fleet.disconnect(receivers);
    int messages = missed * fleet.conversationCount();
    Schedule schedule = fleet.constant(rate, messages / rate);
    Tally tally = new Tally(OFFLINE_PHASE, System.nanoTime() + SECOND / 10, schedule, 0, schedule.lengthNanos());
    System.out.printf(
        "offline: %d devices disconnected; %d messages to them (%d per conversation) at %.0f msg/s%n",
        receivers.size(), messages, missed, rate);
    CompletableFuture<Void> played = fleet.play(tally, true);
    played.join();
    long deadline = System.nanoTime() + nanos(number("drain", 10));
    while (tally.counts().acked() + tally.counts().refused() < tally.counts().written() && System.nanoTime() < deadline)
      LockSupport.parkNanos(SECOND / 100);
    Tally.Counts sent = tally.counts();
    System.out.printf(
        "sent: %d written, %d acknowledged, %d refused, %d already received (should be 0)%n",
        sent.written(), sent.acked(), sent.refused(), sent.delivered());
    int[] expected = fleet.expectedPerUser(schedule);
    CpuSampler.Snapshot from = cpu.snapshot();
    long start = System.nanoTime();
    long[] connectedAt = fleet.reconnect(receivers, integer("connectThreads", 64));
    long connected = System.nanoTime();
    long until = connected + nanos(number("catchUpSeconds", 30));
    while (System.nanoTime() < until && !caughtUp(receivers, expected)) LockSupport.parkNanos(SECOND / 1000);
    CpuSampler.Snapshot to = cpu.snapshot();
    Histogram perDevice = new Histogram(Tally.MAX_MICROS, 3);
    long last = start;
    int complete = 0;
    for (int u : receivers) {
      if (fleet.arrived(u) < expected[u]) continue;
      complete++;
      last = Math.max(last, fleet.lastArrival(u));
      perDevice.recordValue(Math.max(0, (fleet.lastArrival(u) - connectedAt[u]) / 1000));
    }
    // Lost and duplicates once the phase has settled (a device's last arrival is counted on the
    // device a moment before the tally has it), or after the drain.
    long settleBy = System.nanoTime() + nanos(number("drain", 10));
    while (!tally.settled() && System.nanoTime() < settleBy) LockSupport.parkNanos(SECOND / 100);
    Tally.Counts c = tally.counts();
    System.out.printf(
        "reconnect: %d devices connected in %d ms; %d of them had everything they missed%n",
        receivers.size(), (connected - start) / 1_000_000, complete);
    System.out.printf(
        "caught up, per device from its own connect: p50 %s, p99 %s, max %s ms; the last device had everything %.0f ms after the first connect%n",
        fmt(perDevice, 50), fmt(perDevice, 99),
        perDevice.getTotalCount() == 0 ? "-" : String.format("%.1f", perDevice.getMaxValue() / 1000.0),
        (last - start) / 1e6);
    System.out.printf(
        "lost %d, duplicates %d; cpu%% srv/cas/gen over the catch-up %s%n",
        c.lost(), c.duplicates(), Line.cpu(cpu.percent(from, to)));
  }

  private boolean caughtUp(List<Integer> receivers, int[] expected) {
    for (int u : receivers) if (fleet.arrived(u) < expected[u]) return false;
    return true;
  }

  /** Prints a line at the end of each second of a playing phase; answers what each second saw. */
  private List<Second> perSecond(Tally tally, int seconds) {
    // The wall clock (UTC) ends each line, to line a second up with GC, JFR and Cassandra's logs.
    System.out.println(
        "     t    sent   acked refused received  p50 ms  p99 ms  max ms  cpu% srv/cas/gen  utc");
    List<Second> result = new ArrayList<>();
    Tally.Counts last = tally.counts();
    CpuSampler.Snapshot cpuFrom = cpu.snapshot();
    tally.interval(); // resets the interval histogram
    for (int s = 1; s <= seconds; s++) {
      sleepUntil(tally.startNanos + s * SECOND);
      Tally.Counts now = tally.counts();
      Histogram h = tally.interval();
      CpuSampler.Snapshot cpuTo = cpu.snapshot();
      Second second = new Second(now.delivered() - last.delivered(), h.getTotalCount() == 0 ? Double.NaN : ms(h, 99));
      result.add(second);
      System.out.printf(
          "%5ds %7d %7d %7d %8d %7s %7s %7s  %s  %s%n",
          s,
          now.written() - last.written(),
          now.acked() - last.acked(),
          now.refused() - last.refused(),
          second.delivered(),
          fmt(h, 50),
          fmt(h, 99),
          h.getTotalCount() == 0 ? "-" : String.format("%.1f", h.getMaxValue() / 1000.0),
          Line.cpu(cpu.percent(cpuFrom, cpuTo)),
          LocalTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS));
      last = now;
      cpuFrom = cpuTo;
    }
    return result;
  }

  private void summary(Tally tally, double rate, double seconds, Map<String, Double> cpuPercent) {
    Line line = Line.of(1, rate, seconds, tally, cpuPercent);
    System.out.println(Line.HEADER);
    System.out.println(line.format() + line.refusedCodes() + connectionErrors());
    Histogram h = tally.window();
    System.out.printf(
        "whole run: %d delivered, p50 %s, p90 %s, p99 %s, p99.9 %s, p99.99 %s, max %s ms; %d duplicates%n",
        h.getTotalCount(), fmt(h, 50), fmt(h, 90), fmt(h, 99), fmt(h, 99.9), fmt(h, 99.99),
        h.getTotalCount() == 0 ? "-" : String.format("%.1f", h.getMaxValue() / 1000.0), tally.counts().duplicates());
    Histogram a = tally.answered();
    System.out.printf(
        "sent answers: p50 %s, p99 %s, p99.9 %s, max %s ms (the write path, before fan-out)%n",
        fmt(a, 50), fmt(a, 99), fmt(a, 99.9),
        a.getTotalCount() == 0 ? "-" : String.format("%.1f", a.getMaxValue() / 1000.0));
    lastRecipient(tally, "");
  }

  /** In groups, a line on the arrival at each message's last recipient (in pairs it is the only one). */
  private void lastRecipient(Tally tally, String indent) {
    if (fleet.membersEach() == 2) return;
    Histogram h = tally.lastRecipient();
    Tally.Counts c = tally.counts();
    System.out.printf(
        "%slast member: p50 %s, p99 %s, p99.9 %s, max %s ms; %d messages reached all %d recipients%n",
        indent, fmt(h, 50), fmt(h, 99), fmt(h, 99.9),
        h.getTotalCount() == 0 ? "-" : String.format("%.1f", h.getMaxValue() / 1000.0), c.complete(), fleet.membersEach() - 1);
  }

  private String conversations() {
    return fleet.membersEach() == 2
        ? fleet.conversationCount() + " pairs"
        : fleet.conversationCount() + " groups of " + fleet.membersEach();
  }

  /** "; connection errors {going_away=100}; 100 connections closed" when there were any. */
  private String connectionErrors() {
    Map<String, Long> errors = fleet.errorsWithoutRef();
    int closed = fleet.deviceCount() - fleet.openDevices();
    return (errors.isEmpty() ? "" : "; connection errors " + errors) + (closed == 0 ? "" : "; " + closed + " connections closed");
  }

  /**
   * Waits until the scheduler has handed out the phase's last send, then until the phase settled
   * or {@code seconds} passed after its end.
   */
  private void drain(Tally tally, CompletableFuture<Void> played, double seconds) {
    played.join();
    long deadline = tally.startNanos + tally.schedule.lengthNanos() + nanos(seconds);
    while (!tally.settled() && System.nanoTime() < deadline) LockSupport.parkNanos(SECOND / 10);
  }

  /** One second of a per-second run: deliveries that arrived in it and their p99 (NaN if none). */
  record Second(long delivered, double p99Millis) {

    /** The first second at or after {@code from} with deliveries and p99 under {@code limitMillis}; -1 if none. */
    static int firstUnder(List<Second> seconds, int from, double limitMillis) {
      for (int s = from; s < seconds.size(); s++) {
        if (!Double.isNaN(seconds.get(s).p99Millis()) && seconds.get(s).p99Millis() <= limitMillis) return s;
      }
      return -1;
    }

    /**
     * The first second at or after {@code from} from which every second to the end had
     * deliveries with p99 under {@code limitMillis}; -1 if none.
     */
    static int recoveredFrom(List<Second> seconds, int from, double limitMillis) {
      int first = -1;
      for (int s = seconds.size() - 1; s >= from; s--) {
        Second sec = seconds.get(s);
        if (Double.isNaN(sec.p99Millis()) || sec.p99Millis() > limitMillis) break;
        first = s;
      }
      return first;
    }
  }

  /** The numbers of one step (or run) and their line. */
  record Line(
      int step, double rate, double keptRate, Tally.Counts counts, Histogram window, Map<String, Double> cpu) {

    static final String HEADER =
        "step  rate/s    sent   acked refused received  lost unans  kept/s  p50 ms  p99 ms p99.9 ms  max ms  cpu% srv/cas/gen  verdict";

    static Line of(int step, double rate, double measuredSeconds, Tally tally, Map<String, Double> cpu) {
      Tally.Counts c = tally.counts();
      return new Line(step, rate, c.writtenInWindow() / measuredSeconds, c, tally.window(), cpu);
    }

    StepVerdict.Outcome outcome() {
      return new StepVerdict.Outcome(
          rate,
          keptRate,
          counts.lost(),
          counts.refused(),
          counts.unanswered(),
          window.getTotalCount(),
          window.getTotalCount() == 0 ? Double.NaN : ms(window, 99));
    }

    String format() {
      return String.format(
          "%4d %7.0f %7d %7d %7d %8d %5d %5d %7.0f %7s %7s %8s %7s  %-16s",
          step, rate, counts.written(), counts.acked(), counts.refused(), counts.delivered(), counts.lost(),
          counts.unanswered(), keptRate, fmt(window, 50), fmt(window, 99), fmt(window, 99.9),
          window.getTotalCount() == 0 ? "-" : String.format("%.1f", window.getMaxValue() / 1000.0), cpu(cpu));
    }

    /** " refused {unavailable=12}; not written 342" when there were any. */
    String refusedCodes() {
      String failedWrites = counts.writeFailed() > 0 ? "; not written " + counts.writeFailed() : "";
      return (counts.refusedByCode().isEmpty() ? "" : " refused " + counts.refusedByCode()) + failedWrites;
    }

    static String cpu(Map<String, Double> percent) {
      List<String> parts = new ArrayList<>();
      for (double p : percent.values()) parts.add(Double.isNaN(p) ? "n/a" : String.format("%.0f", p));
      return String.join("/", parts);
    }
  }

  private static double ms(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1000.0;
  }

  private static String fmt(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? "-" : String.format("%.1f", ms(h, percentile));
  }

  private static void sleepUntil(long nanos) {
    long wait;
    while ((wait = nanos - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
  }

  private static long nanos(double seconds) {
    return Math.round(seconds * SECOND);
  }

  private static String text(String name, String fallback) {
    return System.getProperty(name, fallback);
  }

  private static int integer(String name, int fallback) {
    return Integer.parseInt(System.getProperty(name, Integer.toString(fallback)).trim());
  }

  private static double number(String name, double fallback) {
    return Double.parseDouble(System.getProperty(name, Double.toString(fallback)).trim());
  }
}
