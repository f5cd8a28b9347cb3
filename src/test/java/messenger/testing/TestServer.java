package messenger.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Map;
import messenger.MessengerNode;

/**
 * A real server node for integration tests, on the shared test Cassandra and S3Proxy, started once
 * per test JVM: HTTP and Artery on free ports, its own data folder.
 */
public final class TestServer {

  private static MessengerNode shared;

  private TestServer() {}

  public static synchronized MessengerNode shared() {
    if (shared == null) {
      try {
        shared =
            MessengerNode.start(config(TestCassandra.contactPoint(), Path.of("target/test-data")));
      } catch (Exception e) {
        throw new IllegalStateException("test server did not start", e);
      }
      MessengerNode node = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(node)));
    }
    return shared;
  }

  /**
   * Config for a node; an empty {@code contactPoints} means "start the embedded Cassandra". Send
   * and connection limits are raised far out of the way of tests that send fast or connect much
   * from one address (the limits' own tests set theirs), and the presence grace is shortened so
   * tests of going offline do not wait 5 s.
   */
  public static Config config(String contactPoints, Path dataDir) {
    return ConfigFactory.parseMap(
            Map.of(
                "messenger.limits.sends-per-second-per-user", 100_000,
                "messenger.limits.send-burst-per-user", 100_000,
                "messenger.limits.sends-per-second-per-connection", 100_000,
                "messenger.limits.send-burst-per-connection", 100_000,
                "messenger.delivery.presence-grace", "1s",
                "messenger.limits.conversations-per-hour-per-user", 100_000,
                // The push tests' fake push services listen on loopback.
                "messenger.push.allow-internal-endpoints", true,
                "messenger.limits.connections-per-address", 100_000))
        // Every node under test shares one S3Proxy rather than starting its own.
        .withFallback(ConfigFactory.parseMap(TestS3.nodeConfig()))
        .withFallback(
            ConfigFactory.parseMap(
                Map.of(
                    "messenger.http.port",
                    0,
                    "akka.remote.artery.canonical.port",
                    0,
                    "messenger.cassandra.contact-points",
                    contactPoints,
                    "messenger.data-dir",
                    dataDir.toAbsolutePath().toString(),
                    "akka.coordinated-shutdown.exit-jvm",
                    "off",
                    "akka.cluster.jmx.multi-mbeans-in-same-jvm",
                    "on",
                    "akka.coordinated-shutdown.run-by-jvm-shutdown-hook",
                    "off")))
        .withFallback(ConfigFactory.load())
        .resolve();
  }

  /**
   * Config for a node of its own: its own keyspaces on the shared test Cassandra (so no other
   * node's shards are in the way) and its own data folder, with {@code overrides} on top.
   */
  public static Config isolated(String name, Map<String, Object> overrides) {
    return inKeyspace(
        name + "_" + java.util.UUID.randomUUID().toString().substring(0, 8), overrides);
  }

  /** Config for a node on these keyspaces, which other nodes of the same cluster may share. */
  public static Config inKeyspace(String keyspace, Map<String, Object> overrides) {
    return ConfigFactory.parseMap(overrides)
        .withFallback(
            ConfigFactory.parseMap(
                Map.of(
                    "akka.persistence.cassandra.journal.keyspace",
                    keyspace,
                    "akka.persistence.cassandra.snapshot.keyspace",
                    keyspace + "_snapshot")))
        .withFallback(
            config(
                TestCassandra.contactPoint(),
                Path.of(
                    "target/"
                        + keyspace
                        + "-"
                        + java.util.UUID.randomUUID().toString().substring(0, 4))))
        .resolve();
  }

  private static void stopQuietly(MessengerNode node) {
    try {
      node.stop();
    } catch (Exception ignored) {
      // The JVM is exiting; nothing left to report to.
    }
  }
}
