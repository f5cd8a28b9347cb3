package messenger.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.ActorSystem;
import akka.stream.alpakka.cassandra.javadsl.CassandraSessionRegistry;
import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.internal.core.context.InternalDriverContext;
import com.datastax.oss.driver.internal.core.session.throttling.ConcurrencyLimitingRequestThrottler;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import messenger.testing.TestCassandra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Against the real test Cassandra, the session the persistence plugin gets (same session provider,
 * same config path, conf/persistence.conf) takes far more concurrent requests than it lets run and
 * answers all of them: the throttler queues what the connections cannot carry. The same burst
 * through the driver's defaults (pass-through throttler, one connection) fails requests, which is
 * what a journal under a burst used to see.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DriverThrottlerIntegrationTest {

  /**
   * Far more than the throttler lets run (256) and than two connections can carry (2 x 1024 stream
   * ids), well under its queue (20,000).
   */
  private static final int BURST = 5_000;

  private static final SimpleStatement CHEAP_READ =
      SimpleStatement.newInstance("SELECT release_version FROM system.local WHERE key = 'local'");

  private static ActorSystem system;

  @BeforeAll
  static void start() {
    // The opt-in throttler (MESSENGER_CASSANDRA_THROTTLER), with the limits the node config gives
    // it.
    system =
        ActorSystem.create(
            "DriverThrottlerIntegrationTest",
            nodeConfig(
                "datastax-java-driver.advanced.throttler.class = ConcurrencyLimitingRequestThrottler"));
  }

  @AfterAll
  static void stop() {
    if (system != null) system.terminate();
  }

  @Test
  void aBurstFarAboveTheConcurrencyLimitIsQueuedAndEveryRequestSucceeds() throws Exception {
    CqlSession session = pluginSession(system);
    assertInstanceOf(
        ConcurrencyLimitingRequestThrottler.class,
        ((InternalDriverContext) session.getContext()).getRequestThrottler());

    List<Throwable> failures = fire(session, BURST);

    assertEquals(List.of(), failures.stream().limit(3).toList(), failures.size() + " failed");
  }

  @Test
  void theSameBurstThroughTheDriverDefaultsFailsSomeRequests() throws Exception {
    ActorSystem defaults =
        ActorSystem.create(
            "DriverDefaults",
            nodeConfig(
                """
                datastax-java-driver.advanced.throttler.class = PassThroughRequestThrottler
                datastax-java-driver.advanced.connection.pool.local.size = 1
                """));
    try {
      List<Throwable> failures = fire(pluginSession(defaults), BURST);

      assertTrue(!failures.isEmpty(), "no request failed: the burst never exceeded the pool");
      // "Busy connection" on every node tried: refused at once, not a timeout of Cassandra's.
      assertInstanceOf(AllNodesFailedException.class, failures.get(0));
    } finally {
      defaults.terminate();
    }
  }

  /** All requests at once; the failures, unwrapped, once every request has finished. */
  private static List<Throwable> fire(CqlSession session, int count) throws Exception {
    AtomicInteger succeeded = new AtomicInteger();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<?>> all = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      CompletionStage<?> request =
          session
              .executeAsync(CHEAP_READ)
              .whenComplete(
                  (rs, error) -> {
                    if (error == null) succeeded.incrementAndGet();
                    else failures.add(error);
                  });
      all.add(request.toCompletableFuture().exceptionally(error -> null));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
    assertEquals(count, succeeded.get() + failures.size());
    return failures;
  }

  private static CqlSession pluginSession(ActorSystem system) throws Exception {
    return CassandraSessionRegistry.get(system)
        .sessionFor("akka.persistence.cassandra")
        .underlying()
        .toCompletableFuture()
        .get(1, TimeUnit.MINUTES);
  }

  /** The node's config (application.conf and its includes) pointed at the test Cassandra. */
  private static Config nodeConfig(String overrides) {
    ConfigFactory.invalidateCaches();
    return ConfigFactory.parseString(overrides)
        .withFallback(
            ConfigFactory.parseString(
                "datastax-java-driver.basic.contact-points = [\""
                    + TestCassandra.contactPoint()
                    + "\"]\nakka.actor.provider = local"
                    // The node's config exits the JVM when its system stops: not the test JVM.
                    + "\nakka.coordinated-shutdown.exit-jvm = off"))
        .withFallback(ConfigFactory.load())
        .resolve();
  }
}
