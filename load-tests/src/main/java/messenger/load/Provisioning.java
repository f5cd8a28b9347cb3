package messenger.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;

/**
 * Creates the users and conversations a run needs. With {@code -Dadmin.token=...} (the server's
 * {@code MESSENGER_ADMIN_TOKEN}) users come from the bulk path {@code POST /api/admin/users}: one
 * password hash for all of them and no logins, so thousands take seconds. Without it, over the
 * public API, 16 at a time (each registration and each login costs ~80 ms of server CPU for Argon2,
 * so this is for a few hundred users at most). Shared by the Gatling simulations and the open-loop
 * sweep ({@code messenger.load.openloop}).
 */
public final class Provisioning {

  /** A provisioned user with a valid token. */
  public record User(String userId, String username, String token) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BULK_MAX = 10_000;
  private static final String PASSWORD = "load test password";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String baseUrl;
  private final String adminToken;
  private int publicApiConcurrency = 16;

  Provisioning(String baseUrl) {
    this(baseUrl, System.getProperty("admin.token", ""));
  }

  /** With an empty {@code adminToken}, users are registered over the public API. */
  public Provisioning(String baseUrl, String adminToken) {
    this.baseUrl = baseUrl;
    this.adminToken = adminToken;
  }

  /** How many registrations and logins run at once over the public API (16 unless set). */
  public Provisioning publicApiConcurrency(int concurrency) {
    this.publicApiConcurrency = concurrency;
    return this;
  }

  /** {@code count} fresh users, each with a token. */
  public List<User> users(int count) {
    long started = System.nanoTime();
    List<User> users = adminToken.isEmpty() ? usersOverPublicApi(count) : usersInBulk(count);
    System.out.printf(
        "provisioned %d users %s in %d ms%n",
        count,
        adminToken.isEmpty() ? "over the public API" : "in bulk",
        Duration.ofNanos(System.nanoTime() - started).toMillis());
    return users;
  }

  /** {@code count} pairs of users with a direct conversation each: tokenA, tokenB, conversationId. */
  List<Map<String, Object>> directPairs(int count) {
    List<User> users = users(count * 2);
    return parallel(
        count,
        i -> {
          User a = users.get(2 * i);
          User b = users.get(2 * i + 1);
          JsonNode conversation =
              post("/api/v1/conversations", Map.of("type", "direct", "members", List.of(b.userId())), a.token());
          Map<String, Object> pair = new HashMap<>();
          pair.put("tokenA", a.token());
          pair.put("tokenB", b.token());
          pair.put("conversationId", conversation.path("conversationId").asText());
          return pair;
        });
  }

  /** The direct conversation of {@code a} and {@code b}, created by {@code a}; answers its id. */
  public String direct(User a, User b) {
    return post("/api/v1/conversations", Map.of("type", "direct", "members", List.of(b.userId())), a.token())
        .path("conversationId")
        .asText();
  }

  /** A group of these members, created by the first (its admin); answers its conversation id. */
  public String group(List<User> members) {
    List<String> ids = members.stream().skip(1).map(User::userId).toList();
    JsonNode created =
        post(
            "/api/v1/conversations",
            Map.of("type", "group", "title", "load " + members.size(), "members", ids),
            members.get(0).token());
    return created.path("conversationId").asText();
  }

  private List<User> usersInBulk(int count) {
    List<User> users = new ArrayList<>();
    while (users.size() < count) {
      int batch = Math.min(BULK_MAX, count - users.size());
      String prefix = "load-" + UUID.randomUUID().toString().substring(0, 8) + "-";
      JsonNode created =
          post(
              "/api/admin/users",
              Map.of("usernamePrefix", prefix, "count", batch, "password", PASSWORD),
              adminToken);
      for (JsonNode u : created.path("users")) {
        users.add(new User(u.path("userId").asText(), u.path("username").asText(), u.path("token").asText()));
      }
    }
    return users;
  }

  private List<User> usersOverPublicApi(int count) {
    return parallel(
        count,
        publicApiConcurrency,
        i -> {
          String name = "load-" + UUID.randomUUID().toString().substring(0, 12);
          Map<String, String> credentials = Map.of("username", name, "password", PASSWORD);
          post("/api/v1/users", credentials, null);
          JsonNode token = post("/api/v1/tokens", credentials, null);
          return new User(token.path("userId").asText(), name, token.path("token").asText());
        });
  }

  /** Runs {@code task} for 0..count-1, 16 at a time, and answers the results in index order. */
  public static <T> List<T> parallel(int count, IntFunction<T> task) {
    return parallel(count, 16, task);
  }

  /** Runs {@code task} for 0..count-1, {@code threads} at a time, answering the results in index order. */
  public static <T> List<T> parallel(int count, int threads, IntFunction<T> task) {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<CompletableFuture<T>> results = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int index = i;
        results.add(CompletableFuture.supplyAsync(() -> task.apply(index), pool));
      }
      return results.stream().map(CompletableFuture::join).toList();
    } finally {
      pool.shutdown();
    }
  }

  /** POSTs {@code body} as JSON with {@code token} (none if null) and answers the JSON reply. */
  public JsonNode post(String path, Object body, String token) {
    try {
      return send(
          path,
          HttpRequest.newBuilder(URI.create(baseUrl + path))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))),
          token);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(path + " failed", e);
    }
  }

  /** GETs {@code path} with {@code token} and answers the JSON reply. */
  public JsonNode get(String path, String token) {
    return send(path, HttpRequest.newBuilder(URI.create(baseUrl + path)).GET(), token);
  }

  private JsonNode send(String path, HttpRequest.Builder request, String token) {
    try {
      request.timeout(Duration.ofMinutes(3));
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
