package messenger.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import messenger.MessengerNode;
import messenger.testing.Api;
import messenger.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Pages of messenger.http.allowed-origins may call the API cross-origin; pages of other origins get
 * no CORS headers and their preflights are refused; same-origin and non-browser requests are as
 * before.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CorsIntegrationTest {

  private static final String LISTED = "https://chat.example.com";
  private static final String FOREIGN = "https://evil.example.net";

  private static MessengerNode node;
  private static Api api;

  @BeforeAll
  static void start() throws Exception {
    node =
        MessengerNode.start(
            TestServer.isolated("cors", Map.of("messenger.http.allowed-origins", LISTED)));
    api = new Api(node.httpPort());
  }

  @AfterAll
  static void stop() throws Exception {
    node.stop();
  }

  private static HttpResponse<String> preflight(String origin, String path, String method) {
    return api.exchange(
        "OPTIONS",
        path,
        Map.of(
            "Origin", origin,
            "Access-Control-Request-Method", method,
            "Access-Control-Request-Headers", "authorization,content-type"),
        null);
  }

  private static Optional<String> header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name);
  }

  private static List<String> corsHeaders(HttpResponse<?> response) {
    return response.headers().map().keySet().stream()
        .filter(name -> name.toLowerCase().startsWith("access-control-"))
        .toList();
  }

  @Test
  void aPreflightFromAListedOriginIsAnsweredWithWhatTheApiTakes() {
    HttpResponse<String> answer = preflight(LISTED, "/api/v1/conversations", "POST");
    assertEquals(204, answer.statusCode(), answer::body);
    assertEquals(Optional.of(LISTED), header(answer, "Access-Control-Allow-Origin"));
    assertTrue(
        answer.headers().allValues("Vary").contains("Origin"), () -> answer.headers().toString());
    String methods = header(answer, "Access-Control-Allow-Methods").orElseThrow();
    for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE")) {
      assertTrue(methods.contains(method), methods);
    }
    String headers = header(answer, "Access-Control-Allow-Headers").orElseThrow().toLowerCase();
    assertTrue(headers.contains("authorization") && headers.contains("content-type"), headers);
    assertTrue(Integer.parseInt(header(answer, "Access-Control-Max-Age").orElseThrow()) > 0);
    assertEquals(Optional.empty(), header(answer, "Access-Control-Allow-Credentials"));
  }

  @Test
  void answersToAListedOriginNameItSuccessesAndRefusalsAlike() {
    Api.User alice = api.newUser("alice");
    HttpResponse<String> list =
        api.exchange(
            "GET",
            "/api/v1/conversations",
            Map.of("Origin", LISTED, "Authorization", "Bearer " + alice.token()),
            null);
    assertEquals(200, list.statusCode(), list::body);
    assertEquals(Optional.of(LISTED), header(list, "Access-Control-Allow-Origin"));
    assertEquals(Optional.empty(), header(list, "Access-Control-Allow-Credentials"));

    // The page must be able to read a refusal's code too.
    HttpResponse<String> refused =
        api.exchange(
            "POST",
            "/api/v1/tokens",
            Map.of("Origin", LISTED, "Content-Type", "application/json"),
            "{\"username\":\"" + alice.username() + "\",\"password\":\"wrong password\"}");
    assertEquals(401, refused.statusCode(), refused::body);
    assertEquals(Optional.of(LISTED), header(refused, "Access-Control-Allow-Origin"));
  }

  @Test
  void aPreflightFromAnyOtherOriginIsRefusedWithoutCorsHeaders() {
    HttpResponse<String> answer = preflight(FOREIGN, "/api/v1/tokens", "POST");
    assertEquals(403, answer.statusCode());
    assertTrue(answer.body().contains("\"origin_refused\""), answer::body);
    assertEquals(List.of(), corsHeaders(answer));
  }

  @Test
  void requestsFromOtherOriginsGetNoCorsHeadersSoTheBrowserKeepsTheAnswerFromThePage() {
    Api.User bob = api.newUser("bob");
    HttpResponse<String> answer =
        api.exchange(
            "GET",
            "/api/v1/conversations",
            Map.of("Origin", FOREIGN, "Authorization", "Bearer " + bob.token()),
            null);
    assertEquals(List.of(), corsHeaders(answer));
  }

  @Test
  void sameOriginAndNonBrowserRequestsAreServedAsBefore() {
    Api.User carol = api.newUser("carol");
    String own = "http://127.0.0.1:" + node.httpPort();
    HttpResponse<String> login =
        api.exchange(
            "POST",
            "/api/v1/tokens",
            Map.of("Origin", own, "Content-Type", "application/json"),
            "{\"username\":\"" + carol.username() + "\",\"password\":\"correct horse\"}");
    assertEquals(200, login.statusCode(), login::body);
    assertEquals(List.of(), corsHeaders(login));

    HttpResponse<String> app =
        api.exchange(
            "GET",
            "/api/v1/conversations",
            Map.of("Authorization", "Bearer " + carol.token()),
            null);
    assertEquals(200, app.statusCode(), app::body);
    assertEquals(List.of(), corsHeaders(app));
  }
}
