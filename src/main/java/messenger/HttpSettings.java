package messenger;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The {@code messenger.http} block.
 *
 * @param allowedOrigins comma-separated origins whose pages may open WebSockets and call the API
 * @param trustForwardedFor take the client's address from X-Forwarded-For (behind a proxy only)
 */
public record HttpSettings(
    String iface,
    int port,
    Duration askTimeout,
    int maxBodyBytes,
    String allowedOrigins,
    boolean trustForwardedFor) {

  public static HttpSettings create(Config root) {
    Config c = root.getConfig("messenger.http");
    return new HttpSettings(
        c.getString("interface"),
        c.getInt("port"),
        c.getDuration("ask-timeout"),
        c.getInt("max-body-bytes"),
        c.getString("allowed-origins"),
        c.getBoolean("trust-forwarded-for"));
  }
}
