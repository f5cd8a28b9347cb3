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
  private static final String READS =
      "SELECT keyspace_name, table_name, count FROM system_views.coordinator_read_latency";
  /** Marks a table's read count among the write counts: "keyspace.table reads". */
  static final String READ_SUFFIX = " reads";

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

  /**
   * "keyspace.table" to the writes counted so far, and "keyspace.table reads" to the reads, for the
   * server's keyspaces.
   */
  Map<String, Long> read() {
    Map<String, Long> counts = new TreeMap<>();
    if (session == null) return counts;
    try {
      collect(QUERY, "", counts);
      collect(READS, READ_SUFFIX, counts);
    } catch (RuntimeException e) {
      counts.clear();
    }
    return counts;
  }

  private void collect(String query, String suffix, Map<String, Long> counts) {
    for (Row row : session.execute(query)) {
      String keyspace = row.getString("keyspace_name");
      if (keyspace != null && keyspace.startsWith("messenger")) {
        counts.put(keyspace + "." + row.getString("table_name") + suffix, row.getLong("count"));
      }
    }
  }

  /**
   * " writes/msg 3.02 (messenger.messages 2.98, ...)", then " reads/msg ..." when there were reads,
   * or "" without readings or messages.
   */
  static String perMessage(Map<String, Long> before, Map<String, Long> after, long messages) {
    if (before.isEmpty() || after.isEmpty() || messages <= 0) return "";
    return perMessage(before, after, messages, false, "writes")
        + perMessage(before, after, messages, true, "reads");
  }

  private static String perMessage(
      Map<String, Long> before, Map<String, Long> after, long messages, boolean reads, String what) {
    long total = 0;
    StringBuilder tables = new StringBuilder();
    for (var table : after.entrySet()) {
      if (table.getKey().endsWith(READ_SUFFIX) != reads) continue;
      long delta = table.getValue() - before.getOrDefault(table.getKey(), 0L);
      if (delta <= 0) continue;
      total += delta;
      if (tables.length() > 0) tables.append(", ");
      String name = reads ? table.getKey().substring(0, table.getKey().length() - READ_SUFFIX.length()) : table.getKey();
      tables.append(String.format("%s %.2f", name, (double) delta / messages));
    }
    if (reads && total == 0) return "";
    return String.format(" %s/msg %.2f (%s)", what, (double) total / messages, tables);
  }

  /**
   * " cassandra's write latency p50/p99: messenger.messages 0.4/1.9 ms, ..." (Cassandra's own
   * recent percentiles, as a coordinator, of the server's tables), or "" without a reading.
   */
  String writeLatencies() {
    if (session == null) return "";
    StringBuilder tables = new StringBuilder();
    try {
      for (Row row :
          session.execute(
              "SELECT keyspace_name, table_name, count, p50th_ms, p99th_ms FROM system_views.coordinator_write_latency")) {
        String keyspace = row.getString("keyspace_name");
        if (keyspace == null || !keyspace.startsWith("messenger") || row.getLong("count") == 0) continue;
        if (tables.length() > 0) tables.append(", ");
        tables.append(
            String.format(
                "%s.%s %.1f/%.1f ms",
                keyspace, row.getString("table_name"), row.getDouble("p50th_ms"), row.getDouble("p99th_ms")));
      }
    } catch (RuntimeException e) {
      return "";
    }
    return tables.length() == 0 ? "" : " cassandra's write latency p50/p99: " + tables;
  }

  @Override
  public void close() {
    if (session != null) session.close();
  }
}
