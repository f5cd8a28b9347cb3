package messenger.storage;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Locale;

/**
 * When the embedded Cassandra's commit log reaches the disk, relative to acknowledging a write.
 *
 * <p>A lone node is the only copy of every message, so by default ({@link Mode#AUTO}) it syncs
 * before it acknowledges ({@link Mode#GROUP}: writes that arrive within one window share one
 * fsync), and a power loss cannot take a message the sender was told is stored. A node of a ring
 * holds one of three replicas written at QUORUM: there the replication carries durability and the
 * node syncs every period in the background ({@link Mode#PERIODIC}), as Cassandra does by default.
 */
public record CommitLogSync(Mode mode, Duration groupWindow, Duration periodicPeriod) {

  public enum Mode {
    /** {@link #GROUP} on a lone node, {@link #PERIODIC} in a ring. */
    AUTO,
    /** A write waits for the next sync; syncs run at most once per {@code groupWindow}. */
    GROUP,
    /** A write waits for a sync that starts as soon as the previous one ends. */
    BATCH,
    /** A write is acknowledged at once; the log is synced every {@code periodicPeriod}. */
    PERIODIC
  }

  public static final CommitLogSync DEFAULT =
      new CommitLogSync(Mode.AUTO, Duration.ofMillis(2), Duration.ofSeconds(10));

  public CommitLogSync {
    if (groupWindow.isNegative() || groupWindow.isZero()) {
      throw new IllegalArgumentException("commitlog-group-window must be positive");
    }
    if (periodicPeriod.isNegative() || periodicPeriod.isZero()) {
      throw new IllegalArgumentException("commitlog-periodic-period must be positive");
    }
  }

  /**
   * Reads {@code commitlog-sync}, {@code commitlog-group-window}, {@code
   * commitlog-periodic-period}.
   */
  public static CommitLogSync fromConfig(Config embedded) {
    return new CommitLogSync(
        Mode.valueOf(embedded.getString("commitlog-sync").strip().toUpperCase(Locale.ROOT)),
        embedded.getDuration("commitlog-group-window"),
        embedded.getDuration("commitlog-periodic-period"));
  }

  /** The mode the node actually runs: {@link Mode#AUTO} resolved for a lone node or a ring node. */
  Mode effective(boolean alone) {
    return switch (mode) {
      case AUTO -> alone ? Mode.GROUP : Mode.PERIODIC;
      case GROUP, BATCH, PERIODIC -> mode;
    };
  }

  /**
   * The {@code cassandra.yaml} lines. Cassandra refuses to start when a period is given outside
   * periodic mode, so each mode writes only its own key.
   */
  String yaml(boolean alone) {
    return switch (effective(alone)) {
      case GROUP ->
          "commitlog_sync: group\ncommitlog_sync_group_window: " + groupWindow.toMillis() + "ms\n";
      case BATCH -> "commitlog_sync: batch\n";
      case PERIODIC ->
          "commitlog_sync: periodic\ncommitlog_sync_period: " + periodicPeriod.toMillis() + "ms\n";
      case AUTO -> throw new IllegalStateException("AUTO is resolved by effective()");
    };
  }
}
