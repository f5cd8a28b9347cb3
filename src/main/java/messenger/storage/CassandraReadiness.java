package messenger.storage;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.Row;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks around a Cassandra child's start: its ports are free before it starts, and it is ready
 * only once a real CQL query answers; a failure carries the tail of its logs.
 */
final class CassandraReadiness {

  private static final Logger log = LoggerFactory.getLogger(CassandraReadiness.class);

  private static final String LOCAL_DATACENTER = "datacenter1";
  private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
  private static final int TAIL_LINES = 40;

  private CassandraReadiness() {}

  /**
   * Fails fast when something already listens on a port Cassandra needs: the child would fail to
   * bind, and worse, the CQL check could succeed against the other process.
   */
  static void requireFree(String host, int port, String what) throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
    } catch (IOException e) {
      throw new IOException(
          "Cannot start the embedded Cassandra: its "
              + what
              + " port "
              + host
              + ":"
              + port
              + " is in use (another Cassandra, perhaps left from an earlier run? `ss -ltnp` shows who)",
          e);
    }
  }

  /**
   * Waits for the CQL port, then for a real query to answer; returns Cassandra's release version.
   */
  static String awaitCql(Process process, String host, int port, Duration timeout, Path dataDir)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    InetSocketAddress address = new InetSocketAddress(host, port);
    Exception lastFailure = null;
    boolean portOpen = false;
    while (true) {
      requireAlive(process, dataDir);
      if (!portOpen) {
        portOpen = accepts(address);
        if (portOpen) log.debug("CQL port {} open, checking with a query", port);
      }
      if (portOpen) {
        try {
          return releaseVersion(address);
        } catch (RuntimeException e) {
          // The driver reports "not yet" as exceptions; keep the last one for the timeout message.
          lastFailure = e;
          log.debug("CQL check failed: {}", e.toString());
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(
            "Cassandra did not answer CQL on "
                + host
                + ":"
                + port
                + " within "
                + timeout.toSeconds()
                + " s"
                + (lastFailure == null
                    ? " (port never opened)"
                    : " (last error: " + lastFailure + ")")
                + logTails(dataDir));
      }
      // Waiting on the process rather than sleeping notices its death at once.
      process.waitFor(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private static boolean accepts(InetSocketAddress address) {
    try (Socket socket = new Socket()) {
      socket.connect(address, 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String releaseVersion(InetSocketAddress address) {
    // Programmatic settings override conf/application.conf, whose reconnect-on-init would make
    // build() retry forever instead of failing, and whose contact points belong to the server.
    DriverConfigLoader config =
        DriverConfigLoader.programmaticBuilder()
            .withString(DefaultDriverOption.SESSION_NAME, "cassandra-launcher-probe")
            .withBoolean(DefaultDriverOption.RECONNECT_ON_INIT, false)
            .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(5))
            .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, Duration.ofSeconds(5))
            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(5))
            .withBoolean(DefaultDriverOption.METADATA_SCHEMA_ENABLED, false)
            .withBoolean(DefaultDriverOption.METADATA_TOKEN_MAP_ENABLED, false)
            // Netty's default quiet period would add two seconds to every start just to close.
            .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD, 0)
            .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD, 0)
            .build();
    try (CqlSession session =
        CqlSession.builder()
            .withConfigLoader(config)
            .addContactPoint(address)
            .withLocalDatacenter(LOCAL_DATACENTER)
            .build()) {
      Row row = session.execute("SELECT release_version FROM system.local").one();
      if (row == null) throw new IllegalStateException("system.local returned no row");
      return row.getString("release_version");
    }
  }

  private static void requireAlive(Process process, Path dataDir) throws IOException {
    if (!process.isAlive()) {
      throw new IOException(
          "Cassandra exited with code "
              + process.exitValue()
              + " while starting"
              + logTails(dataDir));
    }
  }

  private static String logTails(Path dataDir) {
    Path logs = dataDir.resolve("logs");
    return tail(logs.resolve("cassandra.out")) + tail(logs.resolve("system.log"));
  }

  private static String tail(Path file) {
    if (!Files.isRegularFile(file)) return "\n---- " + file + ": missing";
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      // 40 lines of Cassandra's log fit comfortably in the last 64 KiB; stack traces aside.
      long from = Math.max(0, in.length() - 64 * 1024);
      byte[] bytes = new byte[(int) (in.length() - from)];
      in.seek(from);
      in.readFully(bytes);
      List<String> lines = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\n"));
      List<String> last = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
      return "\n---- last " + last.size() + " lines of " + file + ":\n" + String.join("\n", last);
    } catch (IOException e) {
      return "\n---- " + file + ": unreadable (" + e + ")";
    }
  }
}
