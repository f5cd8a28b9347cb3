package messenger;

import com.typesafe.config.Config;
import java.time.Duration;
import messenger.auth.AuthSettings;
import messenger.chat.ChatSettings;
import messenger.delivery.DeliverySettings;
import messenger.limits.LimitsSettings;
import messenger.push.PushSettings;

/**
 * Everything a node's wiring reads from the config, typed: the blocks with their own settings
 * class, and the few single keys that belong to none.
 *
 * @param revocationCacheTtl {@code messenger.auth.revocation-cache-ttl}
 * @param adminToken {@code messenger.admin.token}; empty: no operator routes
 * @param metricsToken {@code messenger.metrics.token}; empty: loopback scrapers only
 * @param pushToInternalEndpoints {@code messenger.push.allow-internal-endpoints}
 */
public record NodeSettings(
    HttpSettings http,
    AuthSettings auth,
    ChatSettings chat,
    DeliverySettings delivery,
    PushSettings push,
    LimitsSettings limits,
    Duration revocationCacheTtl,
    String adminToken,
    String metricsToken,
    boolean pushToInternalEndpoints) {

  public static NodeSettings create(Config root) {
    return new NodeSettings(
        HttpSettings.create(root),
        AuthSettings.create(root),
        ChatSettings.create(root),
        DeliverySettings.create(root),
        PushSettings.create(root),
        LimitsSettings.create(root),
        root.getDuration("messenger.auth.revocation-cache-ttl"),
        root.getString("messenger.admin.token"),
        root.getString("messenger.metrics.token"),
        root.getBoolean("messenger.push.allow-internal-endpoints"));
  }
}
