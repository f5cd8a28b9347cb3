package messenger.storage;

import akka.actor.typed.ActorSystem;
import akka.stream.alpakka.cassandra.javadsl.CassandraSessionRegistry;
import com.codahale.metrics.Timer;
import com.datastax.oss.driver.api.core.metrics.DefaultSessionMetric;
import java.util.function.LongSupplier;

/**
 * How many CQL requests the journal's Cassandra session has completed, read from the driver's own
 * {@code cql-requests} session metric (enabled in {@code persistence.conf}). On the message path
 * every request is a journal or snapshot write, so the count per message is what a message costs
 * Cassandra; the load tool reads it from {@code /metrics} around each step.
 */
public final class CassandraRequestCount {

  /** The session akka-persistence-cassandra shares between its journal and snapshot store. */
  private static final String SESSION = "akka.persistence.cassandra";

  private CassandraRequestCount() {}

  /** Hands {@code report} the counter once the session is up (never, if metrics are off). */
  public static void whenReady(
      ActorSystem<?> system, java.util.function.Consumer<LongSupplier> report) {
    CassandraSessionRegistry.get(system)
        .sessionFor(SESSION)
        .underlying()
        .thenAccept(
            session ->
                session
                    .getMetrics()
                    .flatMap(m -> m.getSessionMetric(DefaultSessionMetric.CQL_REQUESTS))
                    .ifPresent(metric -> report.accept(((Timer) metric)::getCount)));
  }
}
