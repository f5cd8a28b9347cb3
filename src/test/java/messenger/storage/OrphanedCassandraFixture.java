package messenger.storage;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A stand-in for a server process, run in its own JVM by {@link CassandraLauncherIntegrationTest}:
 * it starts a Cassandra, says so on stdout, and waits to be killed without closing it.
 */
public final class OrphanedCassandraFixture {
  private OrphanedCassandraFixture() {}

  /** Arguments: version, data directory, native port, storage port. */
  public static void main(String[] args) throws Exception {
    CassandraLauncher.start(
        new CassandraLauncher.Settings(
            args[0],
            Path.of(args[1]),
            Integer.parseInt(args[2]),
            Integer.parseInt(args[3]),
            "256m",
            Duration.ofMinutes(3)));
    System.out.println("READY");
    System.out.flush();
    Thread.currentThread().join();
  }
}
