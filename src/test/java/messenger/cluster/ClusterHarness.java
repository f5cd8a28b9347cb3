package messenger.cluster;

import com.datastax.oss.driver.api.core.CqlSession;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import messenger.push.VapidKeyGenerator;
import messenger.storage.CassandraLauncher;
import messenger.storage.CassandraOrphans;
import messenger.storage.CassandraRing;
import messenger.storage.SchemaScript;
import messenger.testing.TestS3;

/**
 * Three server nodes, each its own JVM, over a three-node Cassandra ring (each node its own JVM on
 * 127.0.0.1-3), all from this build, under {@code target/cluster-it}. The ports stay clear of the
 * normal suite (test Cassandra 19042/17000, random HTTP and Artery ports) and of
 * cluster-deploy/local (8081-8083, 25521-25523, CQL 9142): HTTP 28081-28083, Artery 28551-28553,
 * CQL 29042, storage 27000.
 *
 * <p>Every process it starts is stopped by {@link #close} and, should the test JVM exit without it,
 * by a shutdown hook; a run after a killed test JVM first stops what that one left behind.
 */
final class ClusterHarness implements AutoCloseable {

  static final int NODES = 3;

  /**
   * {@code -Dcluster.it.port.offset=N} shifts every port by N, so two clones can run side by side.
   */
  private static final int OFFSET = Integer.getInteger("cluster.it.port.offset", 0);

  private static final int HTTP_BASE = 28081 + OFFSET;
  private static final int ARTERY_BASE = 28551 + OFFSET;
  private static final int CQL_PORT = 29042 + OFFSET;
  private static final int STORAGE_PORT = 27000 + OFFSET;
  private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
  private static final Path DIR = Path.of("target", "cluster-it").toAbsolutePath();

  private final CassandraRing ring;
  private final List<ServerProcess> servers;
  private final Thread shutdownHook;

  private ClusterHarness(CassandraRing ring, List<ServerProcess> servers) {
    this.ring = ring;
    this.servers = servers;
    this.shutdownHook = new Thread(this::stopEverything, "cluster-harness-stop");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  static ClusterHarness start() throws Exception {
    CassandraRing.Settings ringSettings = ringSettings();
    for (int i = 0; i < NODES; i++) {
      ServerProcess.killLeftover(DIR, i);
      CassandraOrphans.stop(ringSettings.dir().resolve("node-" + (i + 1)));
    }
    deleteRecursively(DIR);
    Files.createDirectories(DIR);

    CassandraRing ring = CassandraRing.start(ringSettings);
    List<ServerProcess> servers = new ArrayList<>();
    ClusterHarness harness;
    try {
      try (CqlSession session = CassandraRing.probeSession(ring.contactPointList())) {
        SchemaScript.apply(session, Files.readString(Path.of("conf", "cql", "schema.cql")));
      }
      Map<String, String> environment = environment(ring.contactPoints());
      for (int i = 0; i < NODES; i++) servers.add(server(i, environment));
    } catch (Exception | Error e) {
      ring.close();
      throw e;
    }
    harness = new ClusterHarness(ring, servers);
    try {
      for (ServerProcess server : servers) server.launch(formingSeeds());
      for (ServerProcess server : servers) server.awaitReady(START_TIMEOUT);
      return harness;
    } catch (Exception | Error e) {
      harness.close();
      throw e;
    }
  }

  int port(int node) {
    return servers.get(node).httpPort();
  }

  List<Integer> ports() {
    return servers.stream().map(ServerProcess::httpPort).toList();
  }

  CassandraRing ring() {
    return ring;
  }

  /** SIGKILL to server node {@code node}. */
  void kill(int node) {
    servers.get(node).kill();
  }

  /** SIGTERM to server node {@code node}, waiting until it has drained and exited. */
  void stop(int node) {
    servers.get(node).stop(Duration.ofSeconds(90));
  }

  /** Starts server node {@code node} again on its ports and waits until it is an Up member. */
  void start(int node) throws IOException {
    ServerProcess server = servers.get(node);
    server.launch(rejoiningSeeds(node));
    server.awaitReady(START_TIMEOUT);
  }

  /** Brings back whatever a test stopped, so the next test finds three of each. */
  void heal() throws Exception {
    for (int i = 0; i < NODES; i++) {
      if (!ring.isRunning(i)) ring.restart(i);
    }
    for (ServerProcess server : servers) {
      if (!server.isAlive()) server.launch(rejoiningSeeds(server.index()));
    }
    for (ServerProcess server : servers) server.awaitReady(START_TIMEOUT);
  }

  @Override
  public void close() {
    stopEverything();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException exiting) {
      // Already running the hooks: this close is one of them.
    }
  }

  private synchronized void stopEverything() {
    // Servers first, so they do not spend the ring's last seconds retrying writes.
    List<CompletableFuture<Void>> stopping =
        servers.stream()
            .map(s -> CompletableFuture.runAsync(() -> s.stop(Duration.ofSeconds(30))))
            .toList();
    stopping.forEach(f -> f.exceptionally(e -> null).join());
    ring.close();
  }

  private static CassandraRing.Settings ringSettings() {
    var embedded =
        CassandraLauncher.Settings.fromConfig(
            ConfigFactory.load().getConfig("messenger.cassandra.embedded"));
    return new CassandraRing.Settings(
        embedded.version(),
        DIR.resolve("cassandra"),
        NODES,
        CQL_PORT,
        STORAGE_PORT,
        "512m",
        START_TIMEOUT);
  }

  /**
   * What every node shares, as a deployment would set it: the ring, the schema applied beforehand,
   * QUORUM, one token key and one VAPID pair, one object store. The send and connection limits are
   * lifted: the load comes from a handful of users on one address.
   */
  private static Map<String, String> environment(String contactPoints) {
    Map<String, String> env = new HashMap<>(VapidKeyGenerator.newPairAsEnvironment());
    env.put("MESSENGER_CASSANDRA_CONTACT_POINTS", contactPoints);
    env.put("MESSENGER_CASSANDRA_AUTOCREATE", "false");
    env.put("MESSENGER_CASSANDRA_REPLICATION_FACTOR", "3");
    env.put("MESSENGER_CASSANDRA_CONSISTENCY", "QUORUM");
    env.put("MESSENGER_CASSANDRA_SNAPSHOT_CONSISTENCY", "QUORUM");
    env.put("MESSENGER_JWT_SECRET", "cluster-it-" + UUID.randomUUID() + UUID.randomUUID());
    env.put("MESSENGER_SENDS_PER_SECOND_PER_USER", "100000");
    env.put("MESSENGER_SEND_BURST_PER_USER", "100000");
    env.put("MESSENGER_SENDS_PER_SECOND_PER_CONNECTION", "100000");
    env.put("MESSENGER_SEND_BURST_PER_CONNECTION", "100000");
    env.put("MESSENGER_CONNECTIONS_PER_ADDRESS", "100000");
    // One store for the three nodes, as a deployment has: the test JVM's S3Proxy.
    env.putAll(TestS3.nodeEnvironment());
    return env;
  }

  private static ServerProcess server(int i, Map<String, String> shared) throws IOException {
    Map<String, String> env = new HashMap<>(shared);
    env.put("MESSENGER_HTTP_PORT", Integer.toString(HTTP_BASE + i));
    env.put("MESSENGER_ARTERY_PORT", Integer.toString(ARTERY_BASE + i));
    List<String> options = new ArrayList<>(List.of("-Xms128m", "-Xmx512m"));
    // On the command line, so a leftover from a killed run can be recognised as ours.
    options.add("-Dmessenger.data-dir=" + DIR.resolve("server-" + (i + 1)));
    return new ServerProcess(i, HTTP_BASE + i, options, env, DIR);
  }

  /**
   * Seeds for forming the cluster: node 1 first, so node 1 (and only it) may form the cluster by
   * joining itself when no other seed answers.
   */
  private static List<String> formingSeeds() {
    return IntStream.range(0, NODES).mapToObj(ClusterHarness::arteryAddress).toList();
  }

  /**
   * Seeds for a node that comes back to a running cluster: itself last, so it only ever joins the
   * others. A node that is first in its own list joins itself when the others do not answer within
   * seed-node-timeout (5 s), which under load they may not: observed, node 1 restarted during the
   * rolling restart formed a second cluster, and both clusters ran the same entities, two writers
   * per persistence id.
   */
  private static List<String> rejoiningSeeds(int node) {
    return IntStream.range(1, NODES + 1).mapToObj(k -> arteryAddress((node + k) % NODES)).toList();
  }

  private static String arteryAddress(int node) {
    return "akka://messenger@127.0.0.1:" + (ARTERY_BASE + node);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(path);
    }
  }
}
