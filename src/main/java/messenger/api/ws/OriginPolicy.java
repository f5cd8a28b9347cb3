package messenger.api.ws;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which pages may open a WebSocket: the defence against cross-site WebSocket hijacking, where a
 * page on another site opens a socket with the victim's browser. Browsers always send {@code
 * Origin} on a WebSocket handshake and pages cannot forge it; other clients (apps, bots) send none
 * and are not at risk, so a handshake without one is allowed. With one, it must be the server's own
 * origin (the web client served at {@code /}, compared by host and port, since a TLS proxy in front
 * changes the scheme the server sees; when the node serves TLS itself, only an {@code https} page
 * is its own) or one of {@code messenger.http.allowed-origins}.
 */
public final class OriginPolicy {

  private final Set<String> allowed;
  private final boolean tls;

  /**
   * @param allowedOrigins comma-separated origins such as {@code https://chat.example.com}
   */
  public OriginPolicy(String allowedOrigins) {
    this(allowedOrigins, false);
  }

  /**
   * @param tls whether the node itself serves HTTPS, so that its own pages are https ones
   */
  public OriginPolicy(String allowedOrigins, boolean tls) {
    this.tls = tls;
    this.allowed =
        Arrays.stream(allowedOrigins.split(","))
            .map(String::trim)
            .filter(origin -> !origin.isEmpty())
            .map(OriginPolicy::normalized)
            .collect(Collectors.toUnmodifiableSet());
  }

  public boolean allows(Optional<String> origin, Optional<String> host) {
    if (origin.isEmpty()) return true;
    return isListed(origin.get()) || isOwn(origin.get(), host);
  }

  /** Whether {@code origin} is one of {@code messenger.http.allowed-origins}. */
  public boolean isListed(String origin) {
    return allowed.contains(normalized(origin));
  }

  /** Whether {@code origin} is the server's own, as the request's {@code Host} names it. */
  private boolean isOwn(String origin, Optional<String> host) {
    String normalized = normalized(origin);
    if (tls && !normalized.startsWith("https://")) return false;
    return host.isPresent()
        && authority(normalized).equals(withDefaultPort(host.get(), normalized));
  }

  /** Lower case, without a trailing slash or the scheme's default port. */
  private static String normalized(String origin) {
    try {
      URI uri = new URI(origin.trim());
      if (uri.getScheme() == null || uri.getHost() == null) return "invalid:" + origin;
      String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
      int port = uri.getPort();
      boolean defaultPort = port == -1 || port == defaultPort(scheme);
      return scheme
          + "://"
          + uri.getHost().toLowerCase(Locale.ROOT)
          + (defaultPort ? "" : ":" + port);
    } catch (java.net.URISyntaxException e) {
      return "invalid:" + origin;
    }
  }

  private static String authority(String normalizedOrigin) {
    return normalizedOrigin.startsWith("invalid:")
        ? normalizedOrigin
        : normalizedOrigin.substring(normalizedOrigin.indexOf("://") + 3);
  }

  /** The Host header as host[:port], without the port if it is the origin scheme's default. */
  private static String withDefaultPort(String host, String normalizedOrigin) {
    String lower = host.trim().toLowerCase(Locale.ROOT);
    int colon = lower.lastIndexOf(':');
    if (colon > 0 && lower.indexOf(']') < colon) {
      String scheme = normalizedOrigin.substring(0, Math.max(0, normalizedOrigin.indexOf("://")));
      String port = lower.substring(colon + 1);
      if (port.equals(Integer.toString(defaultPort(scheme)))) return lower.substring(0, colon);
    }
    return lower;
  }

  private static int defaultPort(String scheme) {
    return scheme.equals("https") || scheme.equals("wss") ? 443 : 80;
  }
}
