package messenger.load.openloop;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes Cassandra itself counted, per table ({@code system_views.coordinator_write_latency}: one
 * per write request it coordinated, a multi-row batch to one partition being one), read around a
 * measured window so that a step reports what a message costs Cassandra. Only the server's
 * keyspaces count. Without a reachable Cassandra every reading is empty and nothing is printed.
 */
final class CassandraWrites implements AutoCloseable {

  private static final String QUERY =
      "SELECT keyspace_name, table_name, count FROM system_views.coordinator_write_latency";

  private final CqlSession session;

  private CassandraWrites(CqlSession session) {
    this.session = session;
  }

  static CassandraWrites connect(String host, int port) {
    try {
      return new CassandraWrites(
          CqlSession.builder()
              .addContactPoint(new InetSocketAddress(host, port))
              .withLocalDatacenter("datacenter1")
              .build());
    } catch (RuntimeException e) {
      System.out.println("openloop: no Cassandra at " + host + ":" + port + " to count writes: " + e.getMessage());
      return new CassandraWrites(null);
    }
  }

  /** "keyspace.table" to the writes counted so far, for the server's keyspaces. */
  Map<String, Long> read() {
    Map<String, Long> counts = new TreeMap<>();
    if (session == null) return counts;
    try {
      for (Row row : session.execute(QUERY)) {
        String keyspace = row.getString("keyspace_name");
        if (keyspace != null && keyspace.startsWith("messenger")) {
          counts.put(keyspace + "." + row.getString("table_name"), row.getLong("count"));
        }
      }
    } catch (RuntimeException e) {
      counts.clear();
    }
    return counts;
  }

  /** " writes/msg 3.02 (messenger.messages 2.98, ...)", or "" without readings or messages. */
  static String perMessage(Map<String, Long> before, Map<String, Long> after, long messages) {
    if (before.isEmpty() || after.isEmpty() || messages <= 0) return "";
    long total = 0;
    StringBuilder tables = new StringBuilder();
    for (var table : after.entrySet()) {
      long delta = table.getValue() - before.getOrDefault(table.getKey(), 0L);
      if (delta <= 0) continue;
      total += delta;
      if (tables.length() > 0) tables.append(", ");
      tables.append(String.format("%s %.2f", table.getKey(), (double) delta / messages));
    }
    return String.format(" writes/msg %.2f (%s)", (double) total / messages, tables);
  }

  @Override
  public void close() {
    if (session != null) session.close();
  }
}
