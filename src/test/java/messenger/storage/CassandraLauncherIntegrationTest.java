package messenger.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.typesafe.config.ConfigFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import messenger.testing.TestCassandra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The embedded Cassandra is a real Cassandra 5.0, and the launcher owns its process's life. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CassandraLauncherIntegrationTest {

  private static CqlSession session;

  @BeforeAll
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  static void connect() {
    session = connect(TestCassandra.contactPoint());
  }

  @AfterAll
  static void disconnect() {
    if (session != null) session.close();
  }

  @Test
  void answersCqlAsCassandra50() {
    Row row = session.execute("SELECT release_version FROM system.local").one();

    assertNotNull(row);
    assertTrue(
        row.getString("release_version").startsWith("5.0."), row.getString("release_version"));
  }

  @Test
  void aLoneNodeSyncsItsCommitLogBeforeAcknowledgingAWrite() {
    // What the running node read from the yaml the launcher wrote, not what the yaml says.
    Row mode =
        session
            .execute("SELECT value FROM system_views.settings WHERE name = 'commitlog_sync'")
            .one();
    Row window =
        session
            .execute(
                "SELECT value FROM system_views.settings WHERE name = 'commitlog_sync_group_window'")
            .one();

    assertNotNull(mode);
    assertEquals("group", mode.getString("value"));
    assertNotNull(window);
    assertEquals("2ms", window.getString("value"));
  }

  @Test
  void writesAndReadsBackARow() {
    String keyspace = "launcher_it_" + UUID.randomUUID().toString().replace("-", "");
    session.execute(
        "CREATE KEYSPACE "
            + keyspace
            + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    try {
      session.execute("CREATE TABLE " + keyspace + ".greetings (id uuid PRIMARY KEY, text text)");
      UUID id = UUID.randomUUID();

      session.execute(
          session
              .prepare("INSERT INTO " + keyspace + ".greetings (id, text) VALUES (?, ?)")
              .bind(id, "hello"));
      Row row =
          session
              .execute(
                  session
                      .prepare("SELECT text FROM " + keyspace + ".greetings WHERE id = ?")
                      .bind(id))
              .one();

      assertNotNull(row);
      assertEquals("hello", row.getString("text"));
    } finally {
      session.execute("DROP KEYSPACE " + keyspace);
    }
  }

  @Test
  void refusesToStartWhenItsPortIsTaken() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      var settings =
          settings(Path.of("target", "launcher-port-taken"), taken.getLocalPort(), 17002);

      IOException e = assertThrows(IOException.class, () -> CassandraLauncher.start(settings));

      assertTrue(
          e.getMessage().contains(":" + taken.getLocalPort() + " is in use"), e.getMessage());
      assertFalse(Files.exists(settings.dataDir().resolve("cassandra.pid")));
    }
  }

  /**
   * A server killed with SIGKILL leaves its Cassandra running (it is in its own session so that
   * Ctrl-C does not reach it). The next start must stop that orphan; close() must stop its own
   * child.
   */
  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void nextStartStopsTheCassandraOfAKilledServerAndCloseStopsItsOwn() throws Exception {
    Path dataDir = Path.of("target", "launcher-lifecycle-cassandra");
    CassandraOrphans.stop(dataDir);
    deleteRecursively(dataDir);
    var settings = settings(dataDir, 19043, 17003);
    Path pidFile = dataDir.resolve("cassandra.pid");

    long orphanPid = startInKilledServer(settings);
    assertTrue(isAlive(orphanPid), "Cassandra outlives its killed server");

    long ownPid;
    try (CassandraLauncher launcher = CassandraLauncher.start(settings)) {
      assertFalse(isAlive(orphanPid), "the orphan was stopped");
      ownPid = Long.parseLong(Files.readString(pidFile).strip());
      assertNotEquals(orphanPid, ownPid);
      try (CqlSession own = connect(launcher.contactPoint())) {
        assertNotNull(own.execute("SELECT release_version FROM system.local").one());
      }
    }

    assertFalse(isAlive(ownPid), "close() stopped Cassandra");
    assertFalse(Files.exists(pidFile), "close() removed the pid file");
  }

  /**
   * Runs {@link OrphanedCassandraFixture} in a JVM, kills it once its Cassandra answers, returns
   * that pid.
   */
  private static long startInKilledServer(CassandraLauncher.Settings settings) throws Exception {
    Process server =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                OrphanedCassandraFixture.class.getName(),
                settings.version(),
                settings.dataDir().toString(),
                Integer.toString(settings.nativePort()),
                Integer.toString(settings.storagePort()))
            .redirectErrorStream(true)
            .start();
    List<String> output = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && !line.equals("READY")) output.add(line);
      assertNotNull(
          line,
          "the fixture server exited before its Cassandra answered:\n" + String.join("\n", output));
      long pid =
          Long.parseLong(Files.readString(settings.dataDir().resolve("cassandra.pid")).strip());
      server.destroyForcibly();
      assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the fixture server died");
      return pid;
    } finally {
      server.destroyForcibly();
    }
  }

  private static CassandraLauncher.Settings settings(
      Path dataDir, int nativePort, int storagePort) {
    CassandraLauncher.Settings defaults =
        CassandraLauncher.Settings.fromConfig(
            ConfigFactory.load().getConfig("messenger.cassandra.embedded"));
    return new CassandraLauncher.Settings(
        defaults.version(), dataDir, nativePort, storagePort, "256m", Duration.ofMinutes(3));
  }

  private static CqlSession connect(String contactPoint) {
    return TestCassandra.session(contactPoint);
  }

  private static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(path);
    }
  }
}
