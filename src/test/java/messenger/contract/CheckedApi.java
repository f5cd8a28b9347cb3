package messenger.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import messenger.contract.Contracts.Operation;
import messenger.testing.Api;

/**
 * HTTP calls to a real node, each checked against openapi.json as it happens: the answer's status
 * must be documented for the operation and its body must validate against the documented schema; a
 * request the server accepted (2xx) must validate against the request schema too, so the spec does
 * not refuse what the server takes. It remembers which operations answered 2xx, so a test can say
 * that every operation had a checked sample.
 */
final class CheckedApi {

  record Answer(int status, JsonNode body, String text) {}

  private final Api api;
  private final Set<String> succeeded = new TreeSet<>();

  CheckedApi(Api api) {
    this.api = api;
  }

  /**
   * {@code method} on {@code template} with its {@code {parameters}} filled by {@code args} in
   * order, {@code query} appended as is (may be empty), {@code body} as JSON (null for none).
   */
  Answer call(
      int expected,
      String method,
      String template,
      String query,
      Object body,
      String token,
      String... args) {
    Operation op = new Operation(method, template);
    Contracts.operation(op);
    String path = template;
    for (String arg : args) path = path.replaceFirst("\\{[^}]+}", arg);
    Map<String, String> headers = new HashMap<>();
    if (token != null) headers.put("Authorization", "Bearer " + token);
    String json = body == null ? null : Api.json(body);
    if (json != null) headers.put("Content-Type", "application/json");
    HttpResponse<String> response = api.exchange(method, path + query, headers, json);
    String text = response.body();
    assertEquals(expected, response.statusCode(), op + " " + path + query + ": " + text);
    String contentType = response.headers().firstValue("Content-Type").orElse(null);
    assertEquals(
        List.of(), Contracts.responseProblems(op, response.statusCode(), contentType, text));
    if (response.statusCode() / 100 == 2) {
      if (json != null) assertEquals(List.of(), Contracts.requestProblems(op, json));
      succeeded.add(op.method() + " " + op.path());
    }
    boolean isJson = contentType != null && contentType.startsWith("application/json");
    JsonNode tree = isJson && !text.isEmpty() ? Contracts.tree(text) : Api.JSON.nullNode();
    return new Answer(response.statusCode(), tree, text);
  }

  Answer get(int expected, String template, String token, String... args) {
    return call(expected, "GET", template, "", null, token, args);
  }

  Answer post(int expected, String template, Object body, String token, String... args) {
    return call(expected, "POST", template, "", body, token, args);
  }

  /** Counts an operation as sampled that this client cannot call itself (the WebSocket upgrade). */
  void sampled(String method, String template) {
    succeeded.add(method + " " + template);
  }

  /** "GET /api/v1/users/{userId}" for each operation that answered 2xx here. */
  Set<String> succeeded() {
    return succeeded;
  }
}
