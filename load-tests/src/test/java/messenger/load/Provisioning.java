package messenger.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Creates the users and conversations a run needs, over the public HTTP API, in parallel (password
 * hashing makes each registration cost ~100 ms of server CPU, so 16 at a time keeps setup short).
 */
final class Provisioning {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final String baseUrl;

  Provisioning(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** {@code count} pairs of users with a direct conversation each: tokenA, tokenB, conversationId. */
  List<Map<String, Object>> directPairs(int count) {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<CompletableFuture<Map<String, Object>>> pairs = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        pairs.add(CompletableFuture.supplyAsync(this::directPair, pool));
      }
      return pairs.stream().map(CompletableFuture::join).toList();
    } finally {
      pool.shutdown();
    }
  }

  private Map<String, Object> directPair() {
    JsonNode a = user();
    JsonNode b = user();
    JsonNode conversation =
        post(
            "/api/v1/conversations",
            Map.of("type", "direct", "members", List.of(b.path("userId").asText())),
            a.path("token").asText());
    Map<String, Object> pair = new HashMap<>();
    pair.put("tokenA", a.path("token").asText());
    pair.put("tokenB", b.path("token").asText());
    pair.put("conversationId", conversation.path("conversationId").asText());
    return pair;
  }

  private JsonNode user() {
    String name = "load-" + UUID.randomUUID().toString().substring(0, 12);
    Map<String, String> credentials = Map.of("username", name, "password", "load test password");
    post("/api/v1/users", credentials, null);
    return post("/api/v1/tokens", credentials, null);
  }

  private JsonNode post(String path, Object body, String token) {
    try {
      var request =
          HttpRequest.newBuilder(URI.create(baseUrl + path))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
      if (token != null) request.header("Authorization", "Bearer " + token);
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 300) {
        throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
      }
      return JSON.readTree(response.body());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
