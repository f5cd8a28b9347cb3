package messenger.delivery;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A user's live connections, one per device, and the presence grace after the last one left.
 * Runtime only, never persisted: devices re-attach after their inbox restarts.
 *
 * <p>It decides; its inbox does what the answers say (replies, watches, timers, signals). Generic
 * over the connection's reference so that its rules are tested without actors.
 *
 * @param <R> how a connection is reached (an {@code ActorRef} in the inbox)
 */
final class LiveConnections<R> {

  /** What attaching a connection did. */
  enum Outcome {
    /** A new device beyond the user's limit: nothing changed. */
    REFUSED,
    /** The device has a newer connection (a later {@code connectionId}); this one lost. */
    OUTDATED,
    /** This very connection was attached already. */
    ALREADY_ATTACHED,
    /** Attached beside the user's other devices, or in place of the device's older connection. */
    ATTACHED,
    /** Attached as the user's only device: the user came online. */
    CAME_ONLINE,
    /** Attached as the only device within the grace: nobody heard the user was gone. */
    BACK_WITHIN_GRACE
  }

  /**
   * @param replaced the connection that lost to another of the same device, to be told; or null
   */
  record Attach<R>(Outcome outcome, R replaced) {}

  private record Connection<R>(String connectionId, R ref) {}

  private final int limit;
  private final Map<String, Connection<R>> byDevice = new HashMap<>();

  /**
   * When the last device left, while the grace runs: the user still counts as online, and a device
   * back within it means nobody hears of the absence.
   */
  private Instant leftAt;

  LiveConnections(int limit) {
    this.limit = limit;
  }

  /** The newest connection of a device wins (connection ids are time-ordered). */
  Attach<R> attach(String deviceId, String connectionId, R ref) {
    Connection<R> current = byDevice.get(deviceId);
    if (current == null && byDevice.size() >= limit) return new Attach<>(Outcome.REFUSED, null);
    if (current != null && current.ref().equals(ref)) {
      return new Attach<>(Outcome.ALREADY_ATTACHED, null);
    }
    if (current != null && connectionId.compareTo(current.connectionId()) <= 0) {
      return new Attach<>(Outcome.OUTDATED, ref);
    }
    boolean wasOffline = byDevice.isEmpty();
    byDevice.put(deviceId, new Connection<>(connectionId, ref));
    if (current != null) return new Attach<>(Outcome.ATTACHED, current.ref());
    if (!wasOffline) return new Attach<>(Outcome.ATTACHED, null);
    if (leftAt == null) return new Attach<>(Outcome.CAME_ONLINE, null);
    leftAt = null;
    return new Attach<>(Outcome.BACK_WITHIN_GRACE, null);
  }

  /**
   * A connection ended (a stale one, already replaced, changes nothing).
   *
   * @return whether it was the user's last: the grace starts now
   */
  boolean detach(String deviceId, R ref, Instant now) {
    Connection<R> current = byDevice.get(deviceId);
    if (current == null || !current.ref().equals(ref)) return false;
    byDevice.remove(deviceId);
    if (!byDevice.isEmpty()) return false;
    leftAt = now;
    return true;
  }

  /** The grace has passed: when the user left, unless a device came back meanwhile. */
  Optional<Instant> graceOver() {
    if (leftAt == null || !byDevice.isEmpty()) return Optional.empty();
    Instant at = leftAt;
    leftAt = null;
    return Optional.of(at);
  }

  /** Connected, or within the grace after the last device left. */
  boolean online() {
    return !byDevice.isEmpty() || leftAt != null;
  }

  /** The device's connection, or null if it has none. */
  R ref(String deviceId) {
    Connection<R> current = byDevice.get(deviceId);
    return current == null ? null : current.ref();
  }

  boolean connected(String deviceId) {
    return byDevice.containsKey(deviceId);
  }

  Set<String> deviceIds() {
    return byDevice.keySet();
  }

  Collection<R> refs() {
    return byDevice.values().stream().map(Connection::ref).toList();
  }
}
