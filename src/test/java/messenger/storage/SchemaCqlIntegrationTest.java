package messenger.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.datastax.oss.driver.api.core.CqlSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import messenger.testing.TestCassandra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * conf/cql/schema.cql is valid CQL for the Cassandra we run, and creates the plugin's tables and
 * the server's own (message_changes, reports_by_status).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SchemaCqlIntegrationTest {

  @Test
  void schemaAppliesToCassandra50() throws IOException {
    // Own keyspace names and RF 1, so that nothing else using the shared test Cassandra sees them.
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String journal = "schema_it_" + suffix;
    String snapshot = "schema_it_snapshot_" + suffix;
    List<String> statements =
        SchemaScript.statements(
            Files.readString(Path.of("conf", "cql", "schema.cql"))
                .replace("messenger_snapshot", snapshot)
                .replace("messenger", journal)
                .replace("'datacenter1': 3", "'datacenter1': 1"));

    try (CqlSession session = connect()) {
      try {
        statements.forEach(session::execute);

        assertEquals(
            Set.of(
                "messages",
                "metadata",
                "all_persistence_ids",
                "message_changes",
                "reports_by_status"),
            tables(session, journal));
        assertEquals(Set.of("snapshots"), tables(session, snapshot));
      } finally {
        session.execute("DROP KEYSPACE IF EXISTS " + journal);
        session.execute("DROP KEYSPACE IF EXISTS " + snapshot);
      }
    }
  }

  private static Set<String> tables(CqlSession session, String keyspace) {
    return session
        .execute("SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?", keyspace)
        .all()
        .stream()
        .map(row -> row.getString("table_name"))
        .collect(Collectors.toSet());
  }

  private static CqlSession connect() {
    return TestCassandra.session(TestCassandra.contactPoint());
  }
}
