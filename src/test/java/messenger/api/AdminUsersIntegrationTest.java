package messenger.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import messenger.MessengerNode;
import messenger.testing.Api;
import messenger.testing.Api.Response;
import messenger.testing.Api.User;
import messenger.testing.TestServer;
import messenger.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code POST /api/admin/users}, the bulk path for load runs, over the real server. */
@Timeout(180)
class AdminUsersIntegrationTest {

  private static final String ADMIN_TOKEN = "admin-" + UUID.randomUUID();
  private static final String PASSWORD = "load test password";

  private static MessengerNode node;
  private static Api api;

  @BeforeAll
  static void startNode() throws Exception {
    node =
        MessengerNode.start(
            TestServer.isolated("admin", Map.of("messenger.admin.token", ADMIN_TOKEN)));
    api = new Api(node.httpPort());
  }

  @AfterAll
  static void stopNode() throws Exception {
    node.stop();
  }

  private static String freshPrefix() {
    return "b" + UUID.randomUUID().toString().substring(0, 8) + "-";
  }

  private static Map<String, Object> body(String prefix, int count) {
    return Map.of("usernamePrefix", prefix, "count", count, "password", PASSWORD);
  }

  @Test
  void withoutAConfiguredTokenTheRouteDoesNotExist() {
    Api plain = new Api(TestServer.shared().httpPort());
    Response response = plain.post("/api/admin/users", body(freshPrefix(), 1), "");
    assertEquals(404, response.status());
    assertEquals("not_found", response.text("code"));
  }

  @Test
  void aWrongOrMissingTokenIsRefused() {
    String prefix = freshPrefix();
    for (String token : new String[] {null, "wrong", ADMIN_TOKEN + "x", ADMIN_TOKEN.substring(1)}) {
      Response response = api.post("/api/admin/users", body(prefix, 1), token);
      assertEquals(401, response.status(), "token " + token);
      assertEquals("unauthorized", response.text("code"));
    }
    Response login =
        api.post("/api/v1/tokens", Map.of("username", prefix + "0", "password", PASSWORD), null);
    assertEquals(401, login.status(), "a refused call created nobody");
  }

  @Test
  void createsUsersWhoseTokensConnectAndSend() {
    String prefix = freshPrefix();
    Response created = api.post("/api/admin/users", body(prefix, 25), ADMIN_TOKEN);
    assertEquals(201, created.status(), created.toString());
    JsonNode users = created.body().path("users");
    assertEquals(25, users.size());
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < users.size(); i++) {
      assertEquals(prefix + i, users.get(i).path("username").asText());
      ids.add(users.get(i).path("userId").asText());
    }
    assertEquals(25, ids.size(), "distinct user ids");
    assertFalse(created.text("expiresAt").isBlank());

    User a = user(users.get(0));
    User b = user(users.get(24));
    String conversation = api.direct(a, b);
    try (WsClient phoneA = WsClient.connect(api.port(), a.token(), "phone");
        WsClient phoneB = WsClient.connect(api.port(), b.token(), "phone")) {
      phoneA.sendMessage(conversation, "c-1", "provisioned hello");
      JsonNode item = phoneB.messages(1).items().get(0);
      assertEquals("provisioned hello", item.path("body").asText());
      assertEquals(a.userId(), item.path("senderId").asText());
    }
    // The shared hash is a real one: the password logs in like a registered user's.
    assertEquals(b.userId(), api.login(b.username(), PASSWORD).userId());
  }

  @Test
  void aTakenUsernameIsAConflict() {
    String prefix = freshPrefix();
    assertEquals(201, api.post("/api/admin/users", body(prefix, 2), ADMIN_TOKEN).status());
    Response again = api.post("/api/admin/users", body(prefix, 2), ADMIN_TOKEN);
    assertEquals(409, again.status());
    assertEquals("username_taken", again.text("code"));
  }

  @Test
  void badBodiesAreRefusedWith400AndCreateNothing() {
    String prefix = freshPrefix();
    List<Object> bodies =
        List.of(
            body(prefix, 0),
            body(prefix, 10_001),
            body("Upper-", 1),
            body("x".repeat(30), 1000),
            body("", 1),
            Map.of("usernamePrefix", prefix, "count", 1, "password", "short"),
            Map.of("usernamePrefix", prefix, "count", 1),
            Map.of("usernamePrefix", prefix, "password", PASSWORD),
            Map.of("count", 1, "password", PASSWORD),
            "{not json");
    for (Object bad : bodies) {
      Response response = api.post("/api/admin/users", bad, ADMIN_TOKEN);
      assertEquals(400, response.status(), bad.toString());
      assertEquals("bad_request", response.text("code"), bad.toString());
      assertTrue(response.text("message").length() > 0);
    }
    Response login =
        api.post("/api/v1/tokens", Map.of("username", prefix + "0", "password", "short"), null);
    assertEquals(401, login.status());
  }

  private static User user(JsonNode created) {
    return new User(
        created.path("userId").asText(),
        created.path("username").asText(),
        created.path("token").asText());
  }
}
