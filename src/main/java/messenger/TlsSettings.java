package messenger;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The {@code messenger.http.tls} block and {@code messenger.http.allow-plaintext}: whether the node
 * serves HTTPS/WSS itself, and whether it may serve plaintext beyond the machine it runs on.
 *
 * @param keystore path of a PKCS#12 keystore; empty: no TLS
 * @param protocols the TLS versions offered, a non-empty subset of TLSv1.3 and TLSv1.2
 * @param allowPlaintext plaintext HTTP on a non-loopback interface, for a proxy that terminates TLS
 */
public record TlsSettings(
    String keystore, String keystorePassword, List<String> protocols, boolean allowPlaintext) {

  private static final Set<String> SAFE_PROTOCOLS = Set.of("TLSv1.3", "TLSv1.2");

  public TlsSettings {
    protocols = List.copyOf(protocols);
    if (protocols.isEmpty() || !SAFE_PROTOCOLS.containsAll(protocols)) {
      throw new ConfigException.BadValue(
          "messenger.http.tls.protocols", "must list TLSv1.3 and/or TLSv1.2, not " + protocols);
    }
  }

  public static TlsSettings create(Config root) {
    Config http = root.getConfig("messenger.http");
    Config tls = http.getConfig("tls");
    return new TlsSettings(
        tls.getString("keystore").trim(),
        tls.getString("keystore-password"),
        tls.getStringList("protocols"),
        http.getBoolean("allow-plaintext"));
  }

  /** Whether the node serves HTTPS and WSS itself. */
  public boolean enabled() {
    return !keystore.isEmpty();
  }

  /**
   * Refuses plaintext HTTP on an interface other machines can reach: passwords and bearer tokens
   * would cross the network in the clear. Throws before anything is started.
   */
  public void requireSafeInterface(String iface) {
    if (enabled() || allowPlaintext || isLoopback(iface)) return;
    throw new ConfigException.BadValue(
        "messenger.http.interface",
        "refusing to serve plaintext HTTP on "
            + iface
            + ", which is not a loopback address: passwords and tokens would cross the network"
            + " unencrypted. Configure a PKCS#12 keystore (MESSENGER_TLS_KEYSTORE and"
            + " MESSENGER_TLS_KEYSTORE_PASSWORD), or set MESSENGER_ALLOW_PLAINTEXT=true if a proxy"
            + " or ingress in front of the node terminates TLS (docs/security.md, \"TLS\").");
  }

  /** Every address the name stands for is a loopback one; a name that does not resolve is not. */
  static boolean isLoopback(String iface) {
    // The JDK resolves "" to the loopback address; an empty interface is a mistake, not loopback.
    if (iface == null || iface.isBlank()) return false;
    try {
      InetAddress[] addresses = InetAddress.getAllByName(iface.trim());
      return addresses.length > 0
          && Arrays.stream(addresses).allMatch(InetAddress::isLoopbackAddress);
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Keeps the password out of logs. */
  @Override
  public String toString() {
    return "TlsSettings[keystore="
        + (enabled() ? keystore : "<none>")
        + ", protocols="
        + protocols
        + ", allowPlaintext="
        + allowPlaintext
        + "]";
  }
}
