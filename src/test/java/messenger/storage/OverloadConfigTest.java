package messenger.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverExecutionProfile;
import com.datastax.oss.driver.internal.core.config.typesafe.DefaultDriverConfigLoader;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The overload settings of conf/persistence.conf are what the node loads: read from the merged
 * config (application.conf over every reference.conf), and for the driver through the driver's own
 * config loader, the one the persistence plugin's session provider builds, so a misspelt key fails
 * here instead of silently falling back to the driver's defaults.
 */
class OverloadConfigTest {

  private static Config config;

  @BeforeAll
  static void load() {
    ConfigFactory.invalidateCaches();
    config = ConfigFactory.load();
  }

  @Test
  void theDriverCarriesTwoThousandFortyEightRequestsAndQueuingIsOptIn() {
    DriverExecutionProfile profile = driverProfile(DriverExecutionProfile.DEFAULT_NAME);

    assertEquals(
        "PassThroughRequestThrottler",
        profile.getString(DefaultDriverOption.REQUEST_THROTTLER_CLASS));
    assertEquals(
        256, profile.getInt(DefaultDriverOption.REQUEST_THROTTLER_MAX_CONCURRENT_REQUESTS));
    assertEquals(20_000, profile.getInt(DefaultDriverOption.REQUEST_THROTTLER_MAX_QUEUE_SIZE));
    assertEquals(2, profile.getInt(DefaultDriverOption.CONNECTION_POOL_LOCAL_SIZE));
  }

  @Test
  void journalAndSnapshotRequestsMayWaitFiveSecondsAtTheirOwnConsistency() {
    DriverExecutionProfile journal = driverProfile("akka-persistence-cassandra-profile");
    DriverExecutionProfile snapshot = driverProfile("akka-persistence-cassandra-snapshot-profile");

    assertEquals(Duration.ofSeconds(5), journal.getDuration(DefaultDriverOption.REQUEST_TIMEOUT));
    assertEquals(Duration.ofSeconds(5), snapshot.getDuration(DefaultDriverOption.REQUEST_TIMEOUT));
    assertEquals("QUORUM", journal.getString(DefaultDriverOption.REQUEST_CONSISTENCY));
    assertEquals("ONE", snapshot.getString(DefaultDriverOption.REQUEST_CONSISTENCY));
  }

  @Test
  void theJournalBreakerNeedsThirtyFailuresAndClosesAgainAfterTwoSeconds() {
    for (String plugin :
        new String[] {
          "akka.persistence.cassandra.journal", "akka.persistence.cassandra.snapshot"
        }) {
      // Akka reads a plugin's breaker from the plugin's block over the *-plugin-fallback block.
      String fallback =
          plugin.endsWith("journal")
              ? "akka.persistence.journal-plugin-fallback"
              : "akka.persistence.snapshot-store-plugin-fallback";
      Config breaker =
          config
              .getConfig(plugin)
              .withFallback(config.getConfig(fallback))
              .getConfig("circuit-breaker");

      assertEquals(30, breaker.getInt("max-failures"), plugin);
      assertEquals(Duration.ofSeconds(2), breaker.getDuration("reset-timeout"), plugin);
    }
    assertEquals(
        Duration.ofSeconds(10),
        config.getDuration("akka.persistence.cassandra.journal.circuit-breaker.call-timeout"));
  }

  @Test
  void atMostFiftyEntitiesRecoverAtOnce() {
    assertEquals(50, config.getInt("akka.persistence.max-concurrent-recoveries"));
  }

  private static DriverExecutionProfile driverProfile(String name) {
    Config driver = config.getConfig("datastax-java-driver");
    try (var loader = new DefaultDriverConfigLoader(() -> driver)) {
      return loader.getInitialConfig().getProfile(name);
    }
  }
}
