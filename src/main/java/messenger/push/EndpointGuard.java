package messenger.push;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Keeps pushes off the server's own network. Push endpoints are URLs that users register and the
 * server then POSTs to, so without this a user could make the server call its own admin ports, the
 * cloud metadata service or anything else inside the network (server-side request forgery). An
 * endpoint whose host resolves to a loopback, private, link-local, unique-local, carrier-NAT,
 * multicast or unspecified address is refused.
 *
 * <p>The name is resolved again for every push, on {@code resolver} (name lookups block), just
 * before the request; the HTTP client then resolves it once more itself, so a name that changes its
 * answer between the two lookups (DNS rebinding) can still get through. A forward proxy that
 * enforces the same rule would close that gap; see docs/push.md.
 */
public final class EndpointGuard {
  private final Executor resolver;

  public EndpointGuard(Executor resolver) {
    this.resolver = resolver;
  }

  /** Completes with null if the endpoint may be called, or with why not. Never fails. */
  public CompletionStage<String> check(String endpoint) {
    String host;
    try {
      host = URI.create(endpoint).getHost();
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture("the endpoint is not a URL");
    }
    if (host == null) return CompletableFuture.completedFuture("the endpoint has no host");
    String name =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    return CompletableFuture.supplyAsync(() -> problemOf(name), resolver)
        .exceptionally(e -> "the endpoint's host could not be checked");
  }

  private static String problemOf(String host) {
    try {
      for (InetAddress address : InetAddress.getAllByName(host)) {
        if (isInternal(address)) {
          return "the endpoint's host " + host + " is an internal address";
        }
      }
      return null;
    } catch (UnknownHostException e) {
      // Not ours to refuse: the request fails the same way and is retried like any network error.
      return null;
    }
  }

  /** Whether {@code address} belongs to a machine's or a private network's own range. */
  public static boolean isInternal(InetAddress address) {
    if (address.isAnyLocalAddress()
        || address.isLoopbackAddress()
        || address.isLinkLocalAddress()
        || address.isSiteLocalAddress()
        || address.isMulticastAddress()) {
      return true;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return first == 0 // "this network"
          || (first == 100 && second >= 64 && second <= 127) // carrier-grade NAT, RFC 6598
          || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
          || (first == 198 && (second == 18 || second == 19)) // benchmarking, RFC 2544
          || first >= 240; // reserved and broadcast
    }
    if (address instanceof Inet6Address v6) {
      if ((b[0] & 0xfe) == 0xfc) return true; // unique local fc00::/7
      if (v6.isIPv4CompatibleAddress()) return true;
      // IPv4-mapped (::ffff:a.b.c.d) is judged by its IPv4 address.
      boolean mapped = true;
      for (int i = 0; i < 10; i++) mapped &= b[i] == 0;
      mapped &= (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
      if (mapped) {
        try {
          return isInternal(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
        } catch (UnknownHostException impossible) {
          return true;
        }
      }
    }
    return false;
  }
}
