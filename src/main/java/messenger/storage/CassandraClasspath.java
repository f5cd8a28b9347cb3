package messenger.storage;

import java.io.IOException;
import java.nio.file.Path;

/** The class path of {@code org.apache.cassandra:cassandra-all} for the embedded Cassandra. */
final class CassandraClasspath {

  private CassandraClasspath() {}

  /** The class path for {@code version}, resolved once per machine ({@link MavenClasspath}). */
  static String of(String version, Path cacheFile) throws IOException {
    return MavenClasspath.of(
        "org.apache.cassandra:cassandra-all:" + version, cacheFile, "about 66 MB");
  }
}
