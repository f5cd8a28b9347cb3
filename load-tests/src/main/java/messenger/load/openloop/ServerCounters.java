package messenger.load.openloop;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A counter the server exposes at {@code /metrics} (Prometheus text, answered to loopback), read
 * around a measured window: {@code messenger_cassandra_requests_total}, the CQL requests of the
 * journal's Cassandra session, so that a step reports what a message costs Cassandra.
 */
final class ServerCounters {

  static final String CQL_REQUESTS = "messenger_cassandra_requests_total";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final URI metrics;

  ServerCounters(String baseUrl) {
    this.metrics = URI.create(baseUrl + "/metrics");
  }

  /** The counter's value now, or NaN if the server does not answer or has no such counter. */
  double read(String name) {
    try {
      HttpRequest request = HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(2)).GET().build();
      return valueOf(http.send(request, HttpResponse.BodyHandlers.ofString()).body(), name);
    } catch (java.io.IOException e) {
      return Double.NaN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Double.NaN;
    }
  }

  /** The sum of the samples of {@code name} (every label set) in a Prometheus text body. */
  static double valueOf(String body, String name) {
    double sum = 0;
    boolean found = false;
    for (String line : body.split("\n")) {
      if (line.startsWith("#") || !(line.startsWith(name + " ") || line.startsWith(name + "{"))) continue;
      String[] parts = line.trim().split(" ");
      sum += Double.parseDouble(parts[parts.length - 1]);
      found = true;
    }
    return found ? sum : Double.NaN;
  }

  /** " cql/msg 3.1", or "" if either reading is missing or nothing was sent. */
  static String perMessage(double before, double after, long messages) {
    if (Double.isNaN(before) || Double.isNaN(after) || messages <= 0) return "";
    return String.format(" cql/msg %.2f", (after - before) / messages);
  }
}
