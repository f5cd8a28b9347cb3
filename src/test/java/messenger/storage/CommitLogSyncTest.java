package messenger.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import messenger.storage.CommitLogSync.Mode;
import org.junit.jupiter.api.Test;

class CommitLogSyncTest {

  private static final Duration WINDOW = Duration.ofMillis(2);
  private static final Duration PERIOD = Duration.ofSeconds(10);

  @Test
  void aLoneNodeSyncsBeforeItAcknowledgesAndARingNodeSyncsPeriodically() {
    CommitLogSync auto = new CommitLogSync(Mode.AUTO, WINDOW, PERIOD);

    assertEquals("commitlog_sync: group\ncommitlog_sync_group_window: 2ms\n", auto.yaml(true));
    assertEquals("commitlog_sync: periodic\ncommitlog_sync_period: 10000ms\n", auto.yaml(false));
  }

  @Test
  void aForcedModeHoldsOnALoneNodeAndInARing() {
    for (boolean alone : new boolean[] {true, false}) {
      assertEquals(
          "commitlog_sync: batch\n", new CommitLogSync(Mode.BATCH, WINDOW, PERIOD).yaml(alone));
      assertTrue(
          new CommitLogSync(Mode.PERIODIC, WINDOW, PERIOD)
              .yaml(alone)
              .startsWith("commitlog_sync: periodic\n"));
      assertTrue(
          new CommitLogSync(Mode.GROUP, WINDOW, PERIOD)
              .yaml(alone)
              .startsWith("commitlog_sync: group\n"));
    }
  }

  @Test
  void onlyTheChosenModesKeyIsWrittenBecauseCassandraRefusesAPeriodOutsidePeriodicMode() {
    assertFalse(
        new CommitLogSync(Mode.GROUP, WINDOW, PERIOD).yaml(true).contains("commitlog_sync_period"));
    String batch = new CommitLogSync(Mode.BATCH, WINDOW, PERIOD).yaml(true);
    assertFalse(batch.contains("window") || batch.contains("period"));
  }

  @Test
  void theShippedDefaultIsAutoWithATwoMillisecondWindow() {
    CommitLogSync shipped =
        CommitLogSync.fromConfig(ConfigFactory.load().getConfig("messenger.cassandra.embedded"));

    assertEquals(Mode.AUTO, shipped.mode());
    assertEquals(WINDOW, shipped.groupWindow());
  }

  @Test
  void aModeIsReadWhateverItsCase() {
    CommitLogSync parsed =
        CommitLogSync.fromConfig(
            ConfigFactory.parseString(
                "commitlog-sync = Batch, commitlog-group-window = 5ms,"
                    + " commitlog-periodic-period = 1s"));

    assertEquals(Mode.BATCH, parsed.mode());
  }

  @Test
  void aZeroWindowIsRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> new CommitLogSync(Mode.GROUP, Duration.ZERO, PERIOD));
  }
}
