package messenger.storage;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.NodeState;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ring of Cassandra nodes on one machine, each a {@link CassandraLauncher} child JVM on its own
 * loopback address (127.0.0.1, 127.0.0.2, ...: Linux routes all of 127/8 to the loopback interface)
 * with the same CQL and storage ports, its own data directory {@code <dir>/node-<i>}, a fixed token
 * that splits the ring evenly, and every node a seed. Nodes start in parallel and do not bootstrap,
 * so a ring is up in about the time of its slowest node.
 *
 * <p>{@link #start} returns once every node, as a coordinator, sees every other node alive, which
 * is what a QUORUM read or write needs. The local cluster (cluster-deploy/local) runs it through
 * {@link #main}; the multi-node tests hold it in-process.
 */
public final class CassandraRing implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CassandraRing.class);

  /**
   * @param dir holds one data directory per node ({@code node-1}, ...) and the cached class path
   */
  public record Settings(
      String version,
      Path dir,
      int nodes,
      int nativePort,
      int storagePort,
      String heap,
      Duration startupTimeout) {}

  private final Settings settings;
  private final CassandraLauncher[] launchers;

  private CassandraRing(Settings settings) {
    this.settings = settings;
    this.launchers = new CassandraLauncher[settings.nodes()];
  }

  /**
   * Starts every node (stopping any left running on these directories first) and waits for the
   * ring.
   */
  public static CassandraRing start(Settings settings) throws IOException, InterruptedException {
    return start(settings, Set.of());
  }

  /** As {@link #start(Settings)}, but leaves the nodes in {@code running} (from 0) as they are. */
  private static CassandraRing start(Settings settings, Set<Integer> running)
      throws IOException, InterruptedException {
    long started = System.nanoTime();
    // Resolved once here, where each node would otherwise resolve it at the same time.
    CassandraClasspath.of(settings.version(), classpathCache(settings));
    CassandraRing ring = new CassandraRing(settings);
    try {
      List<CompletableFuture<Void>> starting =
          IntStream.range(0, settings.nodes())
              .filter(i -> !running.contains(i))
              .mapToObj(
                  i ->
                      CompletableFuture.runAsync(
                          () -> ring.startUnchecked(i), CassandraRing::inNewThread))
              .toList();
      join(starting);
      ring.awaitEveryNodeSeesEveryNode(settings.startupTimeout());
      log.info(
          "Cassandra ring of {} up on {} after {} ms",
          settings.nodes(),
          ring.contactPoints(),
          (System.nanoTime() - started) / 1_000_000);
      return ring;
    } catch (IOException | InterruptedException | RuntimeException e) {
      ring.close();
      throw e;
    }
  }

  /**
   * {@code 127.0.0.1:<port>,127.0.0.2:<port>,...}, as MESSENGER_CASSANDRA_CONTACT_POINTS wants it.
   */
  public String contactPoints() {
    return String.join(
        ",",
        IntStream.range(0, settings.nodes())
            .mapToObj(i -> address(i) + ":" + settings.nativePort())
            .toList());
  }

  /** The loopback address of node {@code i} (from 0). */
  public String address(int i) {
    return "127.0.0.%d".formatted(i + 1);
  }

  /**
   * The data directory of node {@code i} (its {@code hints/} folder holds what it keeps for
   * others).
   */
  public Path nodeDir(int i) {
    return nodeDir(settings, i).toAbsolutePath().normalize();
  }

  /**
   * Stops node {@code i} as an operator would (SIGTERM: it flushes, announces its shutdown, exits).
   */
  public synchronized void stop(int i) {
    if (launchers[i] != null) launchers[i].close();
    launchers[i] = null;
  }

  /**
   * Starts node {@code i} again on its data, and waits until every node sees every other alive
   * again (the restarted one has rejoined the ring).
   */
  public void restart(int i) throws IOException, InterruptedException {
    startNode(i);
    awaitEveryNodeSeesEveryNode(settings.startupTimeout());
  }

  public synchronized boolean isRunning(int i) {
    return launchers[i] != null && launchers[i].isAlive();
  }

  /** Stops every node, in parallel. */
  @Override
  public void close() {
    List<CompletableFuture<Void>> stopping =
        IntStream.range(0, settings.nodes())
            .mapToObj(i -> CompletableFuture.runAsync(() -> stop(i), CassandraRing::inNewThread))
            .toList();
    stopping.forEach(CompletableFuture::join);
  }

  /**
   * Polls until every node, as the coordinator of a read at consistency ALL of a keyspace
   * replicated to every node ({@code system_distributed}, RF 3), gets every replica's answer: each
   * node then knows the others and believes them alive.
   */
  public void awaitEveryNodeSeesEveryNode(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    try (CqlSession session = probeSession(contactPointList())) {
      while (true) {
        try {
          if (everyNodeSeesEveryNode(session)) return;
        } catch (RuntimeException e) {
          last = e;
        }
        if (System.nanoTime() > deadline) {
          throw new IOException(
              "The Cassandra nodes did not all see each other within "
                  + timeout.toSeconds()
                  + " s"
                  + (last == null ? "" : " (last error: " + last + ")"));
        }
        LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
      }
    }
  }

  private boolean everyNodeSeesEveryNode(CqlSession session) {
    Collection<Node> nodes = session.getMetadata().getNodes().values();
    if (nodes.size() < settings.nodes()
        || nodes.stream().anyMatch(n -> n.getState() != NodeState.UP)) {
      return false;
    }
    for (Node node : nodes) {
      session.execute(
          SimpleStatement.newInstance(
                  "SELECT keyspace_name FROM system_distributed.view_build_status LIMIT 1")
              .setConsistencyLevel(ConsistencyLevel.ALL)
              .setNode(node));
    }
    return true;
  }

  /**
   * A driver session for tools and tests that talk CQL to the ring directly (the schema, the probe
   * above): requests may take a minute and schema agreement as long, as on a loaded two-core
   * machine schema changes travel slowly between nodes.
   */
  public static CqlSession probeSession(List<InetSocketAddress> contactPoints) {
    return CqlSession.builder()
        .addContactPoints(contactPoints)
        .withLocalDatacenter("datacenter1")
        .withConfigLoader(
            DriverConfigLoader.programmaticBuilder()
                .withString(DefaultDriverOption.SESSION_NAME, "cassandra-ring-probe")
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofMinutes(1))
                .withDuration(
                    DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofMinutes(1))
                .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD, 0)
                .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD, 0)
                .build())
        .build();
  }

  public List<InetSocketAddress> contactPointList() {
    return IntStream.range(0, settings.nodes())
        .mapToObj(i -> new InetSocketAddress(address(i), settings.nativePort()))
        .toList();
  }

  private void startUnchecked(int i) {
    try {
      startNode(i);
    } catch (IOException e) {
      throw new CompletionException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException(e);
    }
  }

  private void startNode(int i) throws IOException, InterruptedException {
    List<String> seeds = IntStream.range(0, settings.nodes()).mapToObj(this::address).toList();
    CassandraLauncher launcher =
        CassandraLauncher.start(
            new CassandraLauncher.Settings(
                settings.version(),
                nodeDir(settings, i),
                settings.nativePort(),
                settings.storagePort(),
                settings.heap(),
                settings.startupTimeout(),
                new CassandraLauncher.Ring(address(i), seeds, token(i, settings.nodes()))));
    synchronized (this) {
      launchers[i] = launcher;
    }
  }

  /** Node starts block for seconds each; a thread apiece lets them overlap. */
  private static void inNewThread(Runnable task) {
    new Thread(task, "cassandra-ring").start();
  }

  static Path nodeDir(Settings settings, int i) {
    return settings.dir().resolve("node-" + (i + 1));
  }

  /**
   * Where the launcher of a node in {@link #nodeDir} caches the class path (next to the node dirs).
   */
  private static Path classpathCache(Settings settings) {
    return nodeDir(settings, 0)
        .toAbsolutePath()
        .normalize()
        .resolveSibling("cassandra-" + settings.version() + ".classpath");
  }

  /** Murmur3 tokens run from -2^63 to 2^63-1; node {@code i} of {@code n} starts the i-th n-th. */
  static String token(int i, int n) {
    BigInteger span = BigInteger.TWO.pow(64);
    return BigInteger.TWO
        .pow(63)
        .negate()
        .add(span.multiply(BigInteger.valueOf(i)).divide(BigInteger.valueOf(n)))
        .toString();
  }

  private static void join(List<CompletableFuture<Void>> futures)
      throws IOException, InterruptedException {
    List<Throwable> failures = new ArrayList<>();
    for (CompletableFuture<Void> f : futures) {
      try {
        f.join();
      } catch (CompletionException e) {
        failures.add(e.getCause());
      }
    }
    if (failures.isEmpty()) return;
    Throwable first = failures.get(0);
    failures.subList(1, failures.size()).forEach(first::addSuppressed);
    if (first instanceof IOException io) throw io;
    if (first instanceof InterruptedException interrupted) throw interrupted;
    throw new IOException("A Cassandra node did not start", first);
  }

  /**
   * For cluster-deploy/local: {@code start <dir> <nodes> <nativePort> <storagePort> <schema.cql>}
   * starts the nodes of a ring that are not running, applies the schema (the keyspaces at the
   * script's replication), prints the contact points and exits, leaving the nodes running; {@code
   * stop <dir> <nodes>} stops them (SIGTERM, then a kill after 30 s). Version, heap and start
   * timeout come from {@code messenger.cassandra.embedded}.
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println(
          "usage: CassandraRing start <dir> <nodes> <nativePort> <storagePort> <schema.cql> | stop <dir> <nodes>");
      System.exit(2);
    }
    var embedded =
        CassandraLauncher.Settings.fromConfig(
            ConfigFactory.load().getConfig("messenger.cassandra.embedded"));
    Path dir = Path.of(args[1]).toAbsolutePath().normalize();
    int nodes = Integer.parseInt(args[2]);
    switch (args[0]) {
      case "start" -> {
        Settings settings =
            new Settings(
                embedded.version(),
                dir,
                nodes,
                Integer.parseInt(args[3]),
                Integer.parseInt(args[4]),
                embedded.heap(),
                embedded.startupTimeout());
        // A node that still runs (the others were stopped or killed) is left alone and rejoined.
        Set<Integer> running = new HashSet<>();
        for (int i = 0; i < nodes; i++) {
          if (CassandraOrphans.runningOn(nodeDir(settings, i)).isPresent()) running.add(i);
        }
        CassandraRing ring = start(settings, running);
        try (CqlSession session = probeSession(ring.contactPointList())) {
          SchemaScript.apply(session, Files.readString(Path.of(args[5])));
        } catch (RuntimeException | IOException e) {
          ring.close();
          throw e;
        }
        // Nothing closes the launchers: the nodes run on in their own sessions (setsid).
        System.out.println(ring.contactPoints());
      }
      case "stop" -> {
        List<CompletableFuture<Void>> stopping =
            IntStream.range(0, nodes)
                .mapToObj(
                    i ->
                        CompletableFuture.runAsync(
                            () -> {
                              try {
                                CassandraOrphans.stop(dir.resolve("node-" + (i + 1)));
                              } catch (IOException e) {
                                throw new CompletionException(e);
                              } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                throw new CompletionException(e);
                              }
                            },
                            CassandraRing::inNewThread))
                .toList();
        join(stopping);
      }
      default -> {
        System.err.println("unknown command " + args[0]);
        System.exit(2);
      }
    }
    System.exit(0);
  }
}
