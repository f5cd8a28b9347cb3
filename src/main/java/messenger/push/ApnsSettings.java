package messenger.push;

import com.typesafe.config.Config;
import java.util.Objects;

/**
 * The {@code messenger.push.apns} block: token-based (p8) authentication to Apple's push service.
 * With no {@code key-file} APNs is off, and devices cannot register an APNs token.
 *
 * @param keyFile the PKCS#8 {@code AuthKey_<keyId>.p8} file from the Apple developer account
 * @param keyId the key's 10-character id
 * @param teamId the developer team's 10-character id
 * @param topic the app's bundle id ({@code apns-topic})
 * @param server {@code production}, {@code sandbox} (development builds of the app), or {@code
 *     host:port} of another server speaking the APNs protocol (tests)
 * @param trustedCertificates a PEM file of certificates to trust for the server instead of the
 *     JDK's, or empty
 * @param highPriority {@code apns-priority} 10 (deliver now) rather than 5 (when it saves power)
 */
public record ApnsSettings(
    String keyFile,
    String keyId,
    String teamId,
    String topic,
    String server,
    String trustedCertificates,
    boolean highPriority) {

  public static final ApnsSettings OFF = new ApnsSettings("", "", "", "", "production", "", true);

  static final String PRODUCTION_HOST = "api.push.apple.com";
  static final String SANDBOX_HOST = "api.sandbox.push.apple.com";

  public ApnsSettings {
    Objects.requireNonNull(keyFile, "keyFile");
    Objects.requireNonNull(trustedCertificates, "trustedCertificates");
    // Fields are assigned after this body: read the parameter, not configured().
    if (!keyFile.isEmpty()) {
      requireSet(keyId, "key-id");
      requireSet(teamId, "team-id");
      requireSet(topic, "topic");
      host(server);
    }
  }

  /** Reads {@code apns} from the {@code messenger.push} block. */
  static ApnsSettings create(Config push) {
    Config c = push.getConfig("apns");
    return new ApnsSettings(
        c.getString("key-file"),
        c.getString("key-id"),
        c.getString("team-id"),
        c.getString("topic"),
        c.getString("server"),
        c.getString("trusted-certificates"),
        PushSettings.highPriority(c.getString("priority"), "apns.priority"));
  }

  public boolean configured() {
    return !keyFile.isEmpty();
  }

  String host() {
    return host(server);
  }

  int port() {
    int colon = server.lastIndexOf(':');
    return colon < 0 ? 443 : Integer.parseInt(server.substring(colon + 1));
  }

  private static String host(String server) {
    if (server == null || server.isBlank()) {
      throw new IllegalArgumentException("messenger.push.apns.server is required");
    }
    if (server.equals("production")) return PRODUCTION_HOST;
    if (server.equals("sandbox")) return SANDBOX_HOST;
    int colon = server.lastIndexOf(':');
    try {
      if (colon > 0 && Integer.parseInt(server.substring(colon + 1)) > 0) {
        return server.substring(0, colon);
      }
    } catch (NumberFormatException e) {
      // falls through to the refusal below
    }
    throw new IllegalArgumentException(
        "messenger.push.apns.server must be production, sandbox or host:port, got " + server);
  }

  private static void requireSet(String value, String key) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          "messenger.push.apns." + key + " is required when apns.key-file is set");
    }
  }
}
