package messenger.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import messenger.ErrorDetail;
import messenger.ErrorDetail.Rule;
import messenger.MessengerNode;
import messenger.api.ErrorText;
import messenger.contract.Contracts.Operation;
import messenger.testing.Api;
import messenger.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * openapi.json lists exactly the routes the server serves: the same set as the route code ({@link
 * RouteCode}), each listed operation answered by a real node, and no other method answered on a
 * listed path. "Not served" is what the server says for it: 404 with the rejection's "no such
 * resource" (a missing conversation or user is a 404 with other words) or 405.
 */
@Timeout(180)
class RouteCoverageIntegrationTest {

  private static final String ADMIN_TOKEN = "admin-" + UUID.randomUUID();
  private static final String PASSWORD = "correct horse";
  private static final String NO_ROUTE = ErrorText.of(ErrorDetail.of(Rule.NO_SUCH_RESOURCE));
  private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

  private static MessengerNode node;
  private static Api api;
  private static Api.User user;

  @BeforeAll
  static void startNode() throws Exception {
    // The admin routes exist only with a token, and the spec lists them.
    node =
        MessengerNode.start(
            TestServer.isolated("contract", Map.of("messenger.admin.token", ADMIN_TOKEN)));
    api = new Api(node.httpPort());
    user = api.newUser("probe");
  }

  @AfterAll
  static void stopNode() throws Exception {
    node.stop();
  }

  @Test
  void theSpecListsExactlyTheRoutesInTheRouteCode() {
    Set<String> inCode = RouteCode.served(Path.of("src/main/java"));
    Set<String> inSpec =
        Contracts.operations().stream().map(Operation::shape).collect(Collectors.toSet());
    Set<String> missing = new TreeSet<>(inCode);
    missing.removeAll(inSpec);
    Set<String> extra = new TreeSet<>(inSpec);
    extra.removeAll(inCode);
    assertEquals(Set.of(), missing, "served by the route code but not in openapi.json");
    assertEquals(Set.of(), extra, "in openapi.json but not in the route code");
    assertTrue(inCode.size() > 20, "the reader found the routes: " + inCode);
  }

  @Test
  void everyOperationOfTheSpecIsServed() {
    List<String> unserved = new ArrayList<>();
    for (Operation op : Contracts.operations()) {
      HttpResponse<String> answer = probe(op.method(), op);
      if (notServed(answer)) unserved.add(op + " -> " + answer.statusCode() + " " + answer.body());
    }
    assertEquals(List.of(), unserved);
  }

  @Test
  void noOtherMethodIsServedOnThePathsOfTheSpec() {
    Map<String, Set<String>> byPath = new HashMap<>();
    for (Operation op : Contracts.operations()) {
      byPath.computeIfAbsent(op.path(), p -> new TreeSet<>()).add(op.method());
    }
    List<String> served = new ArrayList<>();
    byPath.forEach(
        (path, listed) -> {
          for (String method : METHODS) {
            if (listed.contains(method)) continue;
            Operation other = new Operation(method, path);
            HttpResponse<String> answer = probe(method, other);
            if (!notServed(answer)) {
              served.add(other + " -> " + answer.statusCode() + " " + answer.body());
            }
          }
        });
    assertEquals(List.of(), served, "answered, but not in openapi.json");
  }

  /**
   * The spec's security is true both ways: an operation it secures refuses a call without a token
   * with a documented 401 {@code unauthorized}; one it leaves open (security {@code []}, or an
   * alternative of none) does not ask for one.
   */
  @Test
  void everyOperationTheSpecSecuresRefusesACallWithoutATokenAndNoOtherDoes() {
    List<String> wrong = new ArrayList<>();
    for (Operation op : Contracts.operations()) {
      JsonNode security = Contracts.operation(op).path("security");
      if (security.isMissingNode()) security = Contracts.openApi().path("security");
      boolean open = security.isEmpty();
      for (JsonNode alternative : security) open |= alternative.isEmpty();
      Map<String, String> headers = new HashMap<>();
      String body = null;
      if (Set.of("POST", "PUT", "PATCH").contains(op.method())) {
        headers.put("Content-Type", "application/json");
        body = "{}";
      }
      HttpResponse<String> answer = api.exchange(op.method(), filled(op), headers, body);
      if (open && answer.statusCode() == 401)
        wrong.add(op + " is open in the spec but asked for a token");
      if (!open) {
        boolean refused =
            answer.statusCode() == 401
                && "unauthorized".equals(Contracts.tree(answer.body()).path("code").asText());
        if (!refused) wrong.add(op + " is secured in the spec but answered " + answer.statusCode());
        String type = answer.headers().firstValue("Content-Type").orElse(null);
        wrong.addAll(Contracts.responseProblems(op, answer.statusCode(), type, answer.body()));
      }
    }
    assertEquals(List.of(), wrong);
  }

  @Test
  void theContractsAreServedWithoutATokenAsJson() {
    for (String[] doc :
        new String[][] {
          {"/api/v1/openapi.json", Contracts.openApiText()},
          {"/api/v1/asyncapi.json", Contracts.asyncApiText()}
        }) {
      HttpResponse<String> answer = api.exchange("GET", doc[0], Map.of(), null);
      assertEquals(200, answer.statusCode(), doc[0]);
      assertEquals(
          "application/json",
          answer.headers().firstValue("Content-Type").orElse("").split(";")[0],
          doc[0]);
      assertEquals(Contracts.tree(doc[1]), Contracts.tree(answer.body()), doc[0]);
    }
  }

  /**
   * One request for {@code method} on the operation's path (parameters filled from the spec's
   * examples), as a signed-in user, or as the operator on /api/admin. Each probe logs in afresh:
   * probing DELETE /api/v1/tokens revokes every token issued before it.
   */
  private static HttpResponse<String> probe(String method, Operation op) {
    String token =
        op.path().startsWith("/api/admin")
            ? ADMIN_TOKEN
            : api.login(user.username(), PASSWORD).token();
    Map<String, String> headers = new HashMap<>();
    headers.put("Authorization", "Bearer " + token);
    String body = null;
    if (Set.of("POST", "PUT", "PATCH").contains(method)) {
      headers.put("Content-Type", "application/json");
      body = "{}";
    }
    return api.exchange(method, filled(op), headers, body);
  }

  static boolean notServed(HttpResponse<String> answer) {
    if (answer.statusCode() == 405) return true;
    if (answer.statusCode() != 404) return false;
    JsonNode body = Contracts.tree(answer.body().isEmpty() ? "{}" : answer.body());
    return NO_ROUTE.equals(body.path("message").asText());
  }

  /** The path with each {parameter} replaced by its example in the spec, else a made-up id. */
  private static String filled(Operation op) {
    Map<String, String> examples = new HashMap<>();
    JsonNode pathItem = Contracts.openApi().path("paths").path(op.path());
    List<JsonNode> parameters = new ArrayList<>();
    pathItem.path("parameters").forEach(parameters::add);
    pathItem.path(op.method().toLowerCase(Locale.ROOT)).path("parameters").forEach(parameters::add);
    for (JsonNode p : parameters) {
      JsonNode parameter =
          p.has("$ref") ? Contracts.at(Contracts.openApi(), p.get("$ref").asText()) : p;
      if (parameter.has("example")) {
        examples.put(parameter.path("name").asText(), parameter.get("example").asText());
      }
    }
    Matcher m = Pattern.compile("\\{([^}]+)}").matcher(op.path());
    StringBuilder filled = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(filled, examples.getOrDefault(m.group(1), "contract-probe"));
    }
    m.appendTail(filled);
    return filled.toString();
  }
}
