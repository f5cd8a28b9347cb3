package messenger.storage;

import com.datastax.oss.driver.api.core.CqlSession;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Applies a CQL script such as {@code conf/cql/schema.cql} through the driver, since there is no
 * cqlsh without a Cassandra installation. The script's statements end with {@code ;}, and its
 * comments are whole lines starting with {@code --}.
 */
public final class SchemaScript {
  private SchemaScript() {}

  /** Runs each statement in order; the driver waits for schema agreement after each change. */
  public static void apply(CqlSession session, String script) {
    for (String statement : statements(script)) {
      var result = session.execute(statement);
      if (!result.getExecutionInfo().isSchemaInAgreement()) {
        throw new IllegalStateException(
            "The nodes did not agree on the schema after: " + statement);
      }
    }
  }

  static List<String> statements(String script) {
    String withoutComments =
        script
            .lines()
            .filter(line -> !line.strip().startsWith("--"))
            .collect(Collectors.joining("\n"));
    return Arrays.stream(withoutComments.split(";"))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }
}
