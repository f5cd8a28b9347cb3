package messenger.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import messenger.ErrorCode;
import messenger.api.ws.WireEvents;
import messenger.delivery.DeliveryEvents;
import messenger.limits.SendAdmission;
import messenger.push.PushEvents;

/**
 * The node's meters, scraped by Prometheus at {@code /metrics}. One instance per node; the delivery
 * path and the WebSocket edge report through the small interfaces this implements.
 */
public final class Metrics implements DeliveryEvents, WireEvents, PushEvents {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<ErrorCode, Counter> refused = new EnumMap<>(ErrorCode.class);
  private final Map<ErrorCode, Counter> closed = new EnumMap<>(ErrorCode.class);
  private final Counter framesIn;
  private final Counter framesOut;
  private final Timer deliveryLatency;
  private final DistributionSummary catchUpEntries;
  private final Counter pushSent;
  private final Counter pushFailed;
  private final Counter pushDropped;
  private final Counter pushRetried;
  private final Counter pushGone;
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public Metrics() {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    for (ErrorCode reason :
        new ErrorCode[] {ErrorCode.DEVICE_LIMIT, ErrorCode.UNAUTHORIZED, ErrorCode.BAD_REQUEST}) {
      refused.put(reason, counter("messenger.connections.refused", "reason", reason.wire()));
    }
    for (ErrorCode reason :
        new ErrorCode[] {
          ErrorCode.HEARTBEAT_TIMEOUT,
          ErrorCode.SLOW_CONSUMER,
          ErrorCode.REPLACED,
          ErrorCode.GOING_AWAY
        }) {
      closed.put(reason, counter("messenger.connections.closed", "reason", reason.wire()));
    }
    framesIn = counter("messenger.frames", "direction", "in");
    framesOut = counter("messenger.frames", "direction", "out");
    deliveryLatency =
        Timer.builder("messenger.delivery.latency")
            .description(
                "from a message's persist (its server timestamp) to its frame being written")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(30))
            .register(registry);
    catchUpEntries =
        DistributionSummary.builder("messenger.catchup.entries")
            .description("entries a reconnecting device was sent from the journal")
            .publishPercentileHistogram()
            .register(registry);
    pushSent = counter("messenger.push", "outcome", "sent");
    pushFailed = counter("messenger.push", "outcome", "failed");
    pushDropped = counter("messenger.push", "outcome", "dropped");
    pushRetried = counter("messenger.push", "outcome", "retried");
    pushGone = counter("messenger.push", "outcome", "gone");
  }

  /** Reports the open connections as a gauge. */
  public void openConnections(IntSupplier count) {
    Gauge.builder("messenger.connections.open", count::getAsInt)
        .description("open WebSocket connections on this node")
        .register(registry);
  }

  /** Reports the node's sends in flight as a gauge and its overloaded refusals as a counter. */
  public void sendAdmission(SendAdmission admission) {
    // Micrometer holds the measured object weakly: the node's one admission lives as long as it.
    Gauge.builder("messenger.sends.in.flight", admission, SendAdmission::inFlight)
        .description("sends this node has asked of conversations and not yet answered")
        .register(registry);
    FunctionCounter.builder("messenger.sends.overloaded", admission, SendAdmission::refused)
        .description("sends refused with overloaded: the node had node-sends-in-flight already")
        .register(registry);
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void refused(ErrorCode reason) {
    Counter counter = refused.get(reason);
    if (counter != null) counter.increment();
  }

  @Override
  public void closed(ErrorCode reason) {
    Counter counter = closed.get(reason);
    if (counter != null) counter.increment();
  }

  @Override
  public void caughtUp(long entries) {
    catchUpEntries.record(entries);
  }

  @Override
  public void frameIn() {
    framesIn.increment();
  }

  @Override
  public void frameOut(long[] liveTimestamps) {
    framesOut.increment();
    if (liveTimestamps.length == 0) return;
    long now = System.currentTimeMillis();
    for (long timestamp : liveTimestamps) {
      deliveryLatency.record(Math.max(0, now - timestamp), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void sent() {
    pushSent.increment();
  }

  @Override
  public void failed() {
    pushFailed.increment();
  }

  @Override
  public void dropped() {
    pushDropped.increment();
  }

  @Override
  public void retried() {
    pushRetried.increment();
  }

  @Override
  public void gone() {
    pushGone.increment();
  }

  private Counter counter(String name, String tag, String value) {
    return Counter.builder(name).tag(tag, value).register(registry);
  }
}
