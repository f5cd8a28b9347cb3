package messenger.api.http;

import akka.http.javadsl.model.AttributeKeys;
import akka.http.javadsl.model.RemoteAddress;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import java.net.InetAddress;
import java.util.Optional;
import java.util.function.Function;

/**
 * The client's IP address for limits and the audit log (null if unknown): the TCP peer, or with
 * {@code trustForwardedFor} (only behind a proxy that sets it) X-Forwarded-For, which clients could
 * otherwise forge.
 */
public final class ClientAddress extends AllDirectives {

  private final boolean trustForwardedFor;

  public ClientAddress(boolean trustForwardedFor) {
    this.trustForwardedFor = trustForwardedFor;
  }

  public Route extract(Function<String, Route> inner) {
    if (trustForwardedFor) {
      return extractClientIP(client -> inner.apply(hostAddress(Optional.of(client))));
    }
    return extractRequest(
        request -> inner.apply(hostAddress(request.getAttribute(AttributeKeys.remoteAddress))));
  }

  private static String hostAddress(Optional<RemoteAddress> client) {
    return client.flatMap(RemoteAddress::getAddress).map(InetAddress::getHostAddress).orElse(null);
  }
}
