package messenger.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/** A small JSON-over-HTTP client of the server's public API, for integration tests. */
public final class Api {

  public record Response(int status, JsonNode body) {
    public String text(String field) {
      return body.path(field).asText();
    }
  }

  public record User(String userId, String username, String token) {}

  public static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final int port;
  private final String base;

  public Api(int port) {
    this(port, "http", HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
  }

  private Api(int port, String scheme, HttpClient http) {
    this.port = port;
    this.base = scheme + "://127.0.0.1:" + port;
    this.http = http;
  }

  /** The API of a node that serves HTTPS, from a client trusting {@code tls}. */
  public static Api https(int port, javax.net.ssl.SSLContext tls) {
    return new Api(
        port,
        "https",
        HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build());
  }

  public int port() {
    return port;
  }

  /** The HTTP client this API is called with (its TLS trust included). */
  public HttpClient client() {
    return http;
  }

  /** {@code http://127.0.0.1:port} or {@code https://...}. */
  public String base() {
    return base;
  }

  /** Any request, with the headers given and the whole response, for tests of headers. */
  public HttpResponse<String> exchange(
      String method, String path, java.util.Map<String, String> headers, String body) {
    var builder =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(builder::header);
    try {
      return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("request failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  public Response post(String path, Object body, String token) {
    return send(request(path, token).POST(HttpRequest.BodyPublishers.ofString(json(body))));
  }

  public Response postRaw(String path, String body, String token) {
    return send(request(path, token).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public Response get(String path, String token) {
    return send(request(path, token).GET());
  }

  public Response put(String path, Object body, String token) {
    return send(request(path, token).PUT(HttpRequest.BodyPublishers.ofString(json(body))));
  }

  public Response patch(String path, Object body, String token) {
    return send(
        request(path, token).method("PATCH", HttpRequest.BodyPublishers.ofString(json(body))));
  }

  public Response delete(String path, String token) {
    return send(request(path, token).DELETE());
  }

  public Response delete(String path, Object body, String token) {
    return send(
        request(path, token).method("DELETE", HttpRequest.BodyPublishers.ofString(json(body))));
  }

  /** A GET whose answer is not JSON: the status and the body's text. */
  public Plain getText(String path, String token) {
    try {
      HttpResponse<String> response =
          http.send(request(path, token).GET().build(), HttpResponse.BodyHandlers.ofString());
      return new Plain(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new AssertionError("request failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  public record Plain(int status, String body) {}

  /** The user's device {@code deviceId} in {@code GET /devices}, or a missing node. */
  public JsonNode device(User user, String deviceId) {
    for (JsonNode d : get("/api/v1/devices", user.token()).body().path("devices")) {
      if (deviceId.equals(d.path("deviceId").asText())) return d;
    }
    return JSON.missingNode();
  }

  /** Registers a fresh user (unique name) and logs in. */
  public User newUser(String prefix) {
    String username = (prefix + "-" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase();
    Response created =
        post(
            "/api/v1/users",
            java.util.Map.of("username", username, "password", "correct horse"),
            null);
    if (created.status() != 201) throw new AssertionError("register failed: " + created);
    return login(username, "correct horse");
  }

  public User login(String username, String password) {
    Response token =
        post("/api/v1/tokens", java.util.Map.of("username", username, "password", password), null);
    if (token.status() != 200) throw new AssertionError("login failed: " + token);
    return new User(token.text("userId"), username, token.text("token"));
  }

  /** Opens (or finds) the direct conversation of {@code a} with {@code b}; returns its id. */
  public String direct(User a, User b) {
    Response created =
        post(
            "/api/v1/conversations",
            java.util.Map.of("type", "direct", "members", java.util.List.of(b.userId())),
            a.token());
    if (created.status() != 201 && created.status() != 200) {
      throw new AssertionError("create conversation failed: " + created);
    }
    return created.text("conversationId");
  }

  /**
   * Asks for an upload to the conversation and PUTs {@code data} where the answer says (the object
   * store, over its presigned URL); returns the upload's id.
   */
  public String upload(User user, String conversationId, String mime, byte[] data) {
    Response ticket =
        post(
            "/api/v1/uploads",
            java.util.Map.of(
                "conversationId", conversationId, "mime", mime, "size", data.length, "name", "f"),
            user.token());
    if (ticket.status() != 201) throw new AssertionError("upload refused: " + ticket);
    putToStore(ticket.body(), data);
    return ticket.text("uploadId");
  }

  /**
   * What a client does with an upload ticket (an attachment's or a picture's): PUTs {@code data} to
   * the object store as the ticket says, outside the API; fails unless the store took it.
   */
  public void putToStore(JsonNode ticket, byte[] data) {
    var put =
        HttpRequest.newBuilder(URI.create(ticket.path("url").asText()))
            .method(ticket.path("method").asText(), HttpRequest.BodyPublishers.ofByteArray(data));
    ticket
        .path("headers")
        .fields()
        .forEachRemaining(h -> put.header(h.getKey(), h.getValue().asText()));
    HttpResponse<String> stored = exchange(put.build(), HttpResponse.BodyHandlers.ofString());
    if (stored.statusCode() != 200) throw new AssertionError("store refused: " + stored.body());
  }

  /** Creates a group of {@code creator} (its admin) and {@code others}; returns its id. */
  public String group(User creator, String title, User... others) {
    var members = new java.util.ArrayList<String>();
    for (User other : others) members.add(other.userId());
    Response created =
        post(
            "/api/v1/conversations",
            java.util.Map.of("type", "group", "title", title, "members", members),
            creator.token());
    if (created.status() != 201) throw new AssertionError("create group failed: " + created);
    return created.text("conversationId");
  }

  /** A GET of a presigned URL of the object store: no bearer token, the URL is the permission. */
  public HttpResponse<byte[]> fetch(String url) {
    return exchange(
        HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  public <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> body) {
    try {
      return http.send(request, body);
    } catch (IOException e) {
      throw new AssertionError("request failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The user's entry for this conversation in {@code GET /conversations}, or a null node. */
  public JsonNode conversationEntry(User user, String conversationId) {
    for (JsonNode c : get("/api/v1/conversations", user.token()).body().path("conversations")) {
      if (conversationId.equals(c.path("conversationId").asText())) return c;
    }
    return JSON.nullNode();
  }

  private HttpRequest.Builder request(String path, String token) {
    var builder =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json");
    if (token != null) builder.header("Authorization", "Bearer " + token);
    return builder;
  }

  private Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      String body = response.body();
      return new Response(
          response.statusCode(), body.isEmpty() ? JSON.nullNode() : JSON.readTree(body));
    } catch (IOException e) {
      throw new AssertionError("request failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  public static String json(Object body) {
    try {
      return body instanceof String s ? s : JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
