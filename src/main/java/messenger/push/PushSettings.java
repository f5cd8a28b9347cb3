package messenger.push;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The {@code messenger.push} config block, plus the node's {@code messenger.data-dir} (where a
 * generated VAPID key pair is kept when none is configured).
 *
 * @param vapidSubject the VAPID {@code sub} claim: a {@code mailto:} or {@code https:} contact
 * @param vapidPublicKey base64url uncompressed P-256 point; empty with the private key to generate
 * @param vapidPrivateKey base64url 32-byte scalar {@code d}; empty with the public key to generate
 * @param ttl how long a push service keeps a message for an offline device
 * @param maxInFlight pushes awaiting a push service's answer at once, per node
 * @param maxPending notifications held (queued, in flight or waiting to retry) before the oldest
 *     queued one is dropped
 * @param maxAttempts sends of one notification before it is given up
 * @param previews the server-wide default for including message text in pushes
 * @param apns Apple's push service, for iOS and macOS apps; {@link ApnsSettings#OFF} for none
 * @param fcm Firebase Cloud Messaging, for Android apps; {@link FcmSettings#OFF} for none
 */
public record PushSettings(
    boolean enabled,
    String vapidSubject,
    String vapidPublicKey,
    String vapidPrivateKey,
    Duration ttl,
    int maxInFlight,
    int maxPending,
    Duration initialBackoff,
    Duration maxBackoff,
    int maxAttempts,
    Duration requestTimeout,
    boolean previews,
    Path dataDir,
    ApnsSettings apns,
    FcmSettings fcm) {

  public PushSettings {
    Objects.requireNonNull(vapidPublicKey, "vapidPublicKey");
    Objects.requireNonNull(vapidPrivateKey, "vapidPrivateKey");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(apns, "apns");
    Objects.requireNonNull(fcm, "fcm");
    if (vapidSubject == null
        || !(vapidSubject.startsWith("mailto:") || vapidSubject.startsWith("https:"))) {
      throw new IllegalArgumentException(
          "messenger.push.vapid-subject must be a mailto: or https: URL (RFC 8292), got "
              + vapidSubject);
    }
    if (vapidPublicKey.isEmpty() != vapidPrivateKey.isEmpty()) {
      throw new IllegalArgumentException(
          "set both messenger.push.vapid-public-key and vapid-private-key, or neither");
    }
    requireNotNegative(ttl, "ttl");
    requirePositive(initialBackoff, "initial-backoff");
    requirePositive(maxBackoff, "max-backoff");
    requirePositive(requestTimeout, "request-timeout");
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "messenger.push.max-backoff must not be below initial-backoff");
    }
    if (maxInFlight < 1 || maxPending < 1 || maxAttempts < 1) {
      throw new IllegalArgumentException(
          "messenger.push.max-in-flight, max-pending and max-attempts must be at least 1");
    }
  }

  public static PushSettings create(ActorSystem<?> system) {
    return create(system.settings().config());
  }

  /** Reads {@code messenger.push} and {@code messenger.data-dir} from the root config. */
  public static PushSettings create(Config root) {
    Config c = root.getConfig("messenger.push");
    return new PushSettings(
        c.getBoolean("enabled"),
        c.getString("vapid-subject"),
        c.getString("vapid-public-key"),
        c.getString("vapid-private-key"),
        c.getDuration("ttl"),
        c.getInt("max-in-flight"),
        c.getInt("max-pending"),
        c.getDuration("initial-backoff"),
        c.getDuration("max-backoff"),
        c.getInt("max-attempts"),
        c.getDuration("request-timeout"),
        c.getBoolean("previews"),
        Path.of(root.getString("messenger.data-dir")),
        ApnsSettings.create(c),
        FcmSettings.create(c));
  }

  /** A native push's priority: {@code high} (deliver now) or {@code normal} (save power). */
  static boolean highPriority(String value, String key) {
    return switch (value) {
      case "high" -> true;
      case "normal" -> false;
      default ->
          throw new IllegalArgumentException(
              "messenger.push." + key + " must be high or normal, got " + value);
    };
  }

  /** Keeps the private key out of logs. */
  @Override
  public String toString() {
    return "PushSettings[enabled="
        + enabled
        + ", vapidSubject="
        + vapidSubject
        + ", vapidKeys="
        + (vapidPrivateKey.isEmpty() ? "<generated>" : "<set>")
        + ", ttl="
        + ttl
        + ", maxInFlight="
        + maxInFlight
        + ", maxPending="
        + maxPending
        + ", initialBackoff="
        + initialBackoff
        + ", maxBackoff="
        + maxBackoff
        + ", maxAttempts="
        + maxAttempts
        + ", requestTimeout="
        + requestTimeout
        + ", previews="
        + previews
        + ", dataDir="
        + dataDir
        + ", apns="
        + (apns.configured() ? apns.server() : "off")
        + ", fcm="
        + (fcm.configured() ? fcm.endpoint() : "off")
        + "]";
  }

  private static void requirePositive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("messenger.push." + name + " must be positive: " + d);
    }
  }

  private static void requireNotNegative(Duration d, String name) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException("messenger.push." + name + " must not be negative: " + d);
    }
  }
}
