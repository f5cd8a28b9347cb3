package messenger.metrics;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * {@code GET /metrics} in the Prometheus text format. With a configured token the scraper must send
 * it as a bearer token; without one only loopback clients are answered, so a node never shows its
 * numbers to the internet by default.
 */
public final class MetricsRoutes extends AllDirectives {

  private final Metrics metrics;
  private final String token;

  public MetricsRoutes(Metrics metrics, String token) {
    this.metrics = metrics;
    this.token = token;
  }

  public Route routes() {
    return path(
        "metrics",
        () ->
            get(
                () ->
                    extractClientIP(
                        client ->
                            optionalHeaderValueByName(
                                "Authorization",
                                auth -> {
                                  if (!allowed(client.getAddress(), auth)) {
                                    return complete(StatusCodes.FORBIDDEN);
                                  }
                                  return complete(
                                      HttpEntities.create(
                                          ContentTypes.TEXT_PLAIN_UTF8, metrics.scrape()));
                                }))));
  }

  private boolean allowed(Optional<InetAddress> client, Optional<String> authorization) {
    if (token.isEmpty()) return client.map(InetAddress::isLoopbackAddress).orElse(false);
    String expected = "Bearer " + token;
    return authorization
        .map(
            given ->
                MessageDigest.isEqual(
                    given.getBytes(StandardCharsets.UTF_8),
                    expected.getBytes(StandardCharsets.UTF_8)))
        .orElse(false);
  }
}
