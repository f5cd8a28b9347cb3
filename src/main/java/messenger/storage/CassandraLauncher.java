package messenger.storage;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a real single-node Apache Cassandra as a child JVM, the storage of a development node and of
 * the tests when no external Cassandra is configured, or one node of a ring on loopback addresses
 * ({@link CassandraRing}). The jars come from Maven Central (see {@link CassandraClasspath}); the
 * node listens on its loopback address only (127.0.0.1 alone) and keeps all its files under one
 * data directory. {@link #start} returns once the node answers a CQL query; {@link #close} stops
 * it.
 *
 * <p>The child runs in its own session ({@code setsid}), so a Ctrl-C on the server's terminal
 * reaches only the server, which stops Cassandra after the actors have stopped writing. If the
 * server dies without doing so, the pid file lets the next start find and stop the orphan ({@link
 * CassandraOrphans}).
 */
public final class CassandraLauncher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CassandraLauncher.class);

  static final String MAIN_CLASS = "org.apache.cassandra.service.CassandraDaemon";

  /** Observed: Cassandra fails on Java 17 without each of these. */
  private static final List<String> JAVA_17_FLAGS =
      List.of(
          "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
          "--add-opens", "java.base/java.io=ALL-UNNAMED");

  static final Duration STOP_GRACE = Duration.ofSeconds(30);
  static final Duration KILL_GRACE = Duration.ofSeconds(10);

  /**
   * The {@code messenger.cassandra.embedded} block, and where the node sits in its ring: a single
   * node by default ({@link Ring#ALONE}), or one of several on loopback addresses ({@link
   * CassandraRing}).
   */
  public record Settings(
      String version,
      Path dataDir,
      int nativePort,
      int storagePort,
      String heap,
      Duration startupTimeout,
      Ring ring,
      CommitLogSync commitLogSync) {

    public Settings(
        String version,
        Path dataDir,
        int nativePort,
        int storagePort,
        String heap,
        Duration startupTimeout,
        Ring ring) {
      this(
          version,
          dataDir,
          nativePort,
          storagePort,
          heap,
          startupTimeout,
          ring,
          CommitLogSync.DEFAULT);
    }

    public Settings(
        String version,
        Path dataDir,
        int nativePort,
        int storagePort,
        String heap,
        Duration startupTimeout) {
      this(version, dataDir, nativePort, storagePort, heap, startupTimeout, Ring.ALONE);
    }

    public static Settings fromConfig(Config embedded) {
      return new Settings(
          embedded.getString("version"),
          Path.of(embedded.getString("data-dir")),
          embedded.getInt("native-port"),
          embedded.getInt("storage-port"),
          embedded.getString("heap"),
          embedded.getDuration("startup-timeout"),
          Ring.ALONE,
          CommitLogSync.fromConfig(embedded));
    }
  }

  /**
   * @param address the loopback address the node listens on for CQL and for its peers
   * @param seeds the addresses of the ring's seed nodes (on the same storage port)
   * @param initialToken the node's one token; the tokens of a ring's nodes spread it evenly
   */
  public record Ring(String address, List<String> seeds, String initialToken) {
    /** One node owning the whole ring. */
    public static final Ring ALONE = new Ring("127.0.0.1", List.of("127.0.0.1"), "0");

    public Ring {
      seeds = List.copyOf(seeds);
    }

    /** The node is its own and only seed: it has no peers. */
    boolean alone() {
      return seeds.equals(List.of(address));
    }
  }

  private final Process process;
  private final Path pidFile;
  private final String address;
  private final int nativePort;
  private boolean closed;

  private CassandraLauncher(Process process, Path pidFile, String address, int nativePort) {
    this.process = process;
    this.pidFile = pidFile;
    this.address = address;
    this.nativePort = nativePort;
  }

  /**
   * Starts Cassandra and blocks until it answers CQL or {@code settings.startupTimeout()} passes.
   * On failure the child is stopped and the exception carries the tail of its logs.
   */
  public static CassandraLauncher start(Settings settings)
      throws IOException, InterruptedException {
    long started = System.nanoTime();
    Path dataDir = settings.dataDir().toAbsolutePath().normalize();
    Path logs = Files.createDirectories(dataDir.resolve("logs"));
    Path pidFile = dataDir.resolve("cassandra.pid");
    warnIfUnsupportedJava(settings.version());

    CassandraOrphans.stop(dataDir);
    String address = settings.ring().address();
    CassandraReadiness.requireFree(address, settings.nativePort(), "native transport (CQL)");
    CassandraReadiness.requireFree(address, settings.storagePort(), "storage");

    String classpath =
        CassandraClasspath.of(
            settings.version(),
            dataDir.resolveSibling("cassandra-" + settings.version() + ".classpath"));
    Path yaml =
        CassandraConfigFiles.writeYaml(
            dataDir,
            settings.nativePort(),
            settings.storagePort(),
            settings.ring(),
            settings.commitLogSync());
    Path logback = CassandraConfigFiles.writeLogback(dataDir);

    Path out = logs.resolve("cassandra.out");
    Files.writeString(
        out,
        "---- " + Instant.now() + " starting Cassandra " + settings.version() + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    Process process =
        new ProcessBuilder(command(settings, dataDir, classpath, yaml, logback))
            .directory(dataDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
            .start();
    CassandraLauncher launcher =
        new CassandraLauncher(process, pidFile, address, settings.nativePort());
    try {
      process.getOutputStream().close();
      Files.writeString(pidFile, process.pid() + "\n", StandardCharsets.UTF_8);
      String release =
          CassandraReadiness.awaitCql(
              process, address, settings.nativePort(), settings.startupTimeout(), dataDir);
      log.info(
          "Embedded Cassandra {} answers CQL on {} after {} ms (pid {}, data in {})",
          release,
          launcher.contactPoint(),
          (System.nanoTime() - started) / 1_000_000,
          process.pid(),
          dataDir);
      return launcher;
    } catch (IOException | InterruptedException | RuntimeException e) {
      launcher.close();
      throw e;
    }
  }

  /** {@code "<address>:<nativePort>"}, as the driver's {@code basic.contact-points} wants it. */
  public String contactPoint() {
    return address + ":" + nativePort;
  }

  /** Whether the Cassandra process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The Cassandra process's id. */
  public long pid() {
    return process.pid();
  }

  /**
   * Stops Cassandra: SIGTERM, which makes it flush and close cleanly, then a kill if it has not
   * exited within 30 s. Removes the pid file. Safe to call more than once and from several threads.
   */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    long started = System.nanoTime();
    boolean wasAlive = process.isAlive();
    boolean interrupted = false;
    process.destroy();
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn(
            "Cassandra (pid {}) did not stop within {} s, killing it",
            process.pid(),
            STOP_GRACE.toSeconds());
        process.destroyForcibly();
        process.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      interrupted = true;
      process.destroyForcibly();
    }
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException e) {
      log.warn("Could not delete {}", pidFile, e);
    }
    if (wasAlive) {
      log.info(
          "Embedded Cassandra (pid {}) stopped in {} ms",
          process.pid(),
          (System.nanoTime() - started) / 1_000_000);
    }
    if (interrupted) Thread.currentThread().interrupt();
  }

  private static List<String> command(
      Settings settings, Path dataDir, String classpath, Path yaml, Path logback) {
    List<String> command = new ArrayList<>();
    // Without a new session, Ctrl-C in the server's terminal would reach Cassandra too, and it
    // would stop while the actors are still writing to it.
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))
        || Files.isExecutable(Path.of("/bin/setsid"))) {
      command.add("setsid");
    } else {
      log.warn(
          "setsid not found (util-linux): Ctrl-C will stop Cassandra at the same time as the server");
    }
    // The JVM running the server: a newer default java on the PATH might not run Cassandra 5.0.
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // A fixed heap: growing it under load costs full collections at the worst moment.
    command.add("-Xms" + settings.heap());
    command.add("-Xmx" + settings.heap());
    // Where Cassandra's own start scripts write it, rotated: pauses to line up with latency.
    command.add(
        "-Xlog:gc*,safepoint:file="
            + dataDir.resolve("logs").resolve("gc.log")
            + ":time,uptime,level,tags:filecount=5,filesize=10M");
    command.addAll(JAVA_17_FLAGS);
    // Cassandra's advice: after an OutOfMemoryError it may write corrupt data, so exit instead.
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.add("-Djava.net.preferIPv4Stack=true");
    command.add("-Dcassandra.config=" + yaml.toUri());
    command.add("-Dcassandra-foreground=yes");
    command.add("-Dcassandra.storagedir=" + dataDir);
    command.add("-Dcassandra.logdir=" + dataDir.resolve("logs"));
    command.add("-Dlogback.configurationFile=" + logback);
    // A lone node has no peers: waiting for gossip to settle (about 8 s) and announcing the
    // shutdown to them (2 s) would only delay start and stop. A ring node skips the wait too (the
    // ring is ready when every node sees the others, CassandraRing checks that), but announces its
    // shutdown: peers then stop sending it requests at once instead of timing them out until their
    // failure detector notices.
    command.add("-Dcassandra.skip_wait_for_gossip_to_settle=0");
    if (settings.ring().alone()) command.add("-Dcassandra.shutdown_announce_in_ms=0");
    command.addAll(extraJvmOptions());
    command.add("-cp");
    command.add(classpath);
    command.add(MAIN_CLASS);
    return command;
  }

  /**
   * {@code MESSENGER_CASSANDRA_JVM_OPTIONS}, split on whitespace: flags for tuning experiments and
   * for operators, after the launcher's own so that they win.
   */
  private static List<String> extraJvmOptions() {
    String options = System.getenv("MESSENGER_CASSANDRA_JVM_OPTIONS");
    if (options == null || options.isBlank()) return List.of();
    return List.of(options.strip().split("\\s+"));
  }

  private static void warnIfUnsupportedJava(String version) {
    int feature = Runtime.version().feature();
    if (version.startsWith("5.0.") && feature != 11 && feature != 17) {
      log.warn(
          "Cassandra {} runs on Java 11 or 17 only; this is Java {} (java.home {}), so it will likely fail."
              + " Run the server on Java 17.",
          version,
          feature,
          System.getProperty("java.home"));
    }
  }
}
