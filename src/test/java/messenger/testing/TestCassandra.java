package messenger.testing;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import messenger.storage.CassandraLauncher;
import messenger.storage.CassandraOrphans;

/**
 * The Cassandra every integration test in this JVM shares: started on first use with an empty data
 * directory (each run is fresh), stopped by a shutdown hook when the JVM exits. Surefire runs all
 * tests in one JVM, so a build starts it once. Its ports (CQL 19042, storage 17000) keep it clear
 * of a development node on 9042/7000; {@code -Dtest.cassandra.port=N} moves them to N and N-2042 so
 * two working copies can run their suites side by side.
 */
public final class TestCassandra {

  public static final int NATIVE_PORT = Integer.getInteger("test.cassandra.port", 19042);
  public static final int STORAGE_PORT = NATIVE_PORT - 2042;
  public static final Path DATA_DIR = Path.of("target", "test-cassandra");

  private static CassandraLauncher launcher;
  private static RuntimeException startFailure;

  private TestCassandra() {}

  /** {@code "127.0.0.1:19042"}, once Cassandra answers CQL there. */
  public static synchronized String contactPoint() {
    // One failed start is enough: every later test class would otherwise wait out the timeout
    // again.
    if (startFailure != null) throw startFailure;
    if (launcher == null) {
      try {
        launcher = start();
      } catch (IOException e) {
        startFailure = new UncheckedIOException("The test Cassandra did not start", e);
        throw startFailure;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        startFailure =
            new IllegalStateException("Interrupted while starting the test Cassandra", e);
        throw startFailure;
      }
      Runtime.getRuntime().addShutdownHook(new Thread(launcher::close, "stop-test-cassandra"));
    }
    return launcher.contactPoint();
  }

  /**
   * A CQL session to {@code contactPoint} for tests that talk CQL directly. Schema changes can take
   * seconds on a loaded two-core machine, so requests may take up to a minute.
   */
  public static CqlSession session(String contactPoint) {
    int colon = contactPoint.lastIndexOf(':');
    return CqlSession.builder()
        .addContactPoint(
            new InetSocketAddress(
                contactPoint.substring(0, colon),
                Integer.parseInt(contactPoint.substring(colon + 1))))
        .withLocalDatacenter("datacenter1")
        .withConfigLoader(
            DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofMinutes(1))
                .build())
        .build();
  }

  private static CassandraLauncher start() throws IOException, InterruptedException {
    CassandraLauncher.Settings defaults =
        CassandraLauncher.Settings.fromConfig(
            ConfigFactory.load().getConfig("messenger.cassandra.embedded"));
    // A Cassandra left running by an earlier, killed test JVM must stop before its files go.
    CassandraOrphans.stop(DATA_DIR);
    deleteRecursively(DATA_DIR);
    return CassandraLauncher.start(
        new CassandraLauncher.Settings(
            defaults.version(),
            DATA_DIR,
            NATIVE_PORT,
            STORAGE_PORT,
            "512m",
            defaults.startupTimeout()));
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(path);
    }
  }
}
