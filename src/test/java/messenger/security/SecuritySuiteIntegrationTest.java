package messenger.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import messenger.MessengerNode;
import messenger.auth.AuthSettings;
import messenger.auth.TokenService;
import messenger.testing.Api;
import messenger.testing.TestServer;
import messenger.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every authenticated route, the WebSocket handshake and every frame that names a conversation,
 * tried against the real server by callers who do not belong: without a token, with garbage, with
 * an expired token, with one signed by a key the server does not know, with a revoked one, and as a
 * user who is not a member. The other hostile-client tests are named in docs/security.md.
 */
class SecuritySuiteIntegrationTest {
  private static final String SECRET = "security-suite-current-secret-0123456789";
  private static final String PREVIOUS_SECRET = "security-suite-previous-secret-012345678";
  private static final Duration TTL = Duration.ofHours(24);

  private static MessengerNode node;
  private static Api api;
  private static Api.User alice;
  private static Api.User bob;
  private static Api.User mallory;
  private static String conversation;

  @BeforeAll
  static void start() throws Exception {
    node =
        MessengerNode.start(
            TestServer.isolated(
                "security",
                Map.of(
                    "messenger.auth.jwt-secret", SECRET,
                    "messenger.auth.jwt-previous-secrets", PREVIOUS_SECRET)));
    api = new Api(node.httpPort());
    alice = api.newUser("alice");
    bob = api.newUser("bob");
    mallory = api.newUser("mallory");
    conversation =
        api.post(
                "/api/v1/conversations",
                Map.of("type", "group", "title", "private", "members", List.of(bob.userId())),
                alice.token())
            .text("conversationId");
    Api.Response sent =
        api.post(
            "/api/v1/conversations/" + conversation + "/messages",
            Map.of("clientMsgId", "secret-1", "body", "for members only"),
            alice.token());
    assertEquals(1, sent.body().path("seq").asLong(), "the conversation has a message to protect");
  }

  @AfterAll
  static void stop() throws Exception {
    node.stop();
  }

  /** One HTTP call: a method, a path and a body (null for none). */
  private record Call(String method, String path, Object body) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  /** The calls about {@link #conversation}, which only its members may make. */
  private static List<Call> conversationCalls() {
    String c = "/api/v1/conversations/" + conversation;
    return List.of(
        new Call("GET", c, null),
        new Call("PATCH", c, Map.of("title", "taken over")),
        new Call("GET", c + "/messages", null),
        new Call("POST", c + "/messages", Map.of("clientMsgId", "intruder-1", "body", "hi")),
        new Call("POST", c + "/members", Map.of("userId", mallory.userId())),
        new Call("DELETE", c + "/members/" + bob.userId(), null),
        new Call("PATCH", c + "/settings", Map.of("muted", true)),
        new Call("GET", c + "/receipts", null));
  }

  /** Every route that needs a token. */
  private static List<Call> everyAuthenticatedCall() {
    List<Call> calls = new ArrayList<>(conversationCalls());
    calls.addAll(
        List.of(
            new Call("GET", "/api/v1/conversations", null),
            new Call(
                "POST",
                "/api/v1/conversations",
                Map.of("type", "direct", "members", List.of(bob.userId()))),
            new Call("GET", "/api/v1/users?username=" + bob.username(), null),
            new Call("GET", "/api/v1/users/" + bob.userId(), null),
            new Call("GET", "/api/v1/users/" + bob.userId() + "/presence", null),
            new Call("GET", "/api/v1/devices", null),
            new Call(
                "PUT",
                "/api/v1/devices/phone/push",
                Map.of("kind", "unified-push", "endpoint", "https://push.example.com/x")),
            new Call("DELETE", "/api/v1/devices/phone/push", null),
            new Call("GET", "/api/v1/push/vapid-public-key", null),
            new Call("GET", "/api/v1/blocks", null),
            new Call("PUT", "/api/v1/blocks/" + bob.userId(), null),
            new Call("DELETE", "/api/v1/blocks/" + bob.userId(), null),
            new Call("DELETE", "/api/v1/tokens/current", null),
            new Call("DELETE", "/api/v1/tokens", null)));
    return calls;
  }

  private static Api.Response call(Call call, String token) {
    return switch (call.method()) {
      case "GET" -> api.get(call.path(), token);
      case "POST" -> api.post(call.path(), call.body(), token);
      case "PUT" -> api.put(call.path(), call.body(), token);
      case "PATCH" -> api.patch(call.path(), call.body(), token);
      case "DELETE" -> api.delete(call.path(), token);
      default -> throw new IllegalArgumentException(call.method());
    };
  }

  /** Tokens that must get nobody in, by what is wrong with them. */
  private static Map<String, String> badTokens() {
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("no token", null);
    bad.put("garbage", "not.a.jwt");
    bad.put(
        "expired",
        tokens(SECRET, Clock.fixed(Instant.now().minus(TTL).minusSeconds(60), ZoneOffset.UTC))
            .issue(alice.userId())
            .token());
    bad.put(
        "signed by an unknown key",
        tokens("some-other-server-secret-0123456789abcdef", Clock.systemUTC())
            .issue(alice.userId())
            .token());
    Api.User revoked = api.login(alice.username(), "correct horse");
    assertEquals(204, api.delete("/api/v1/tokens/current", revoked.token()).status());
    bad.put("revoked", revoked.token());
    return bad;
  }

  private static TokenService tokens(String secret, Clock clock) {
    return new TokenService(
        secret.getBytes(StandardCharsets.UTF_8),
        new AuthSettings("", "messenger", "messenger-clients", TTL, Path.of("unused")),
        clock);
  }

  @Test
  void everyAuthenticatedRouteAndTheWebSocketRefuseEveryBadTokenAsUnauthorized() {
    List<String> wrong = new ArrayList<>();
    badTokens()
        .forEach(
            (what, token) -> {
              for (Call call : everyAuthenticatedCall()) {
                Api.Response response = call(call, token);
                if (response.status() != 401 || !"unauthorized".equals(response.text("code"))) {
                  wrong.add(call + " with " + what + ": " + response);
                }
              }
              if (token != null) {
                int status = WsClient.refusedStatus(api.port(), token, "phone");
                if (status != 401) wrong.add("WebSocket with " + what + ": " + status);
              }
            });
    assertEquals(List.of(), wrong);
    assertTrue(
        api.get("/api/v1/conversations/" + conversation, alice.token()).status() == 200,
        "the group was not changed by any of it");
  }

  @Test
  void everyConversationRouteRefusesANonMemberAsNotMemberAndChangesNothing() {
    List<String> wrong = new ArrayList<>();
    for (Call call : conversationCalls()) {
      Api.Response response = call(call, mallory.token());
      if (response.status() != 403 || !"not_member".equals(response.text("code"))) {
        wrong.add(call + ": " + response);
      }
    }
    assertEquals(List.of(), wrong);

    JsonNode details = api.get("/api/v1/conversations/" + conversation, alice.token()).body();
    assertEquals("private", details.path("title").asText());
    assertEquals(2, details.path("members").size(), details::toString);
    assertNothingFromMallory();
  }

  /** The group's history holds no message of mallory's, and its first message is intact. */
  private static void assertNothingFromMallory() {
    JsonNode history =
        api.get("/api/v1/conversations/" + conversation + "/messages", bob.token()).body();
    for (JsonNode message : history.path("messages")) {
      assertTrue(!message.path("senderId").asText().equals(mallory.userId()), history::toString);
      if (message.path("seq").asLong() == 1) {
        assertEquals("for members only", message.path("body").asText());
      }
    }
  }

  @Test
  void aStrangersProfileAndPresenceAreNotFoundSoNobodyLearnsWhoExists() {
    Api.User stranger = api.newUser("stranger");
    assertEquals(404, api.get("/api/v1/users/" + alice.userId(), stranger.token()).status());
    assertEquals(
        404, api.get("/api/v1/users/" + alice.userId() + "/presence", stranger.token()).status());
  }

  @Test
  void everyFrameNamingAConversationIsRefusedToANonMemberOverTheWebSocket() {
    try (WsClient intruder = WsClient.connect(api.port(), mallory.token(), "laptop");
        WsClient member = WsClient.connect(api.port(), bob.token(), "phone")) {
      intruder.send(
          Map.of(
              "type",
              "send",
              "conversationId",
              conversation,
              "clientMsgId",
              "intruder-2",
              "body",
              "let me in"));
      JsonNode send = intruder.answerTo("intruder-2");
      assertEquals("not_member", send.path("code").asText(), send::toString);

      intruder.send(Map.of("type", "typing", "conversationId", conversation));
      JsonNode typing = intruder.next("error");
      assertEquals("not_member", typing.path("code").asText(), typing::toString);
      assertEquals(conversation, typing.path("ref").asText());

      intruder.send(Map.of("type", "read", "conversationId", conversation, "seq", 1));
      JsonNode read = intruder.next("error");
      assertEquals("not_member", read.path("code").asText(), read::toString);

      assertTrue(intruder.isOpen(), "refusals leave the connection open");
      assertTrue(member.noFrame("typing", Duration.ofMillis(500)), "no typing leaked to members");
    }
    assertNothingFromMallory();
  }

  @Test
  void nobodyCanSendAsSomeoneElseByNamingThemInTheRequest() {
    Api.Response sent =
        api.post(
            "/api/v1/conversations/" + conversation + "/messages",
            Map.of("clientMsgId", "forged-1", "body", "from alice?", "senderId", alice.userId()),
            bob.token());
    assertTrue(sent.status() == 201 || sent.status() == 400, sent::toString);
    for (JsonNode message :
        api.get("/api/v1/conversations/" + conversation + "/messages", alice.token())
            .body()
            .path("messages")) {
      if (message.path("body").asText().equals("from alice?")) {
        assertEquals(bob.userId(), message.path("senderId").asText(), message::toString);
      }
    }
  }

  @Test
  void aDeviceIdNamesADeviceOfTheTokensUserOnlySoNobodyTouchesAnotherUsersDevice() {
    Api.User victim = api.newUser("victim");
    Api.User attacker = api.newUser("attacker");
    Map<String, String> endpoint =
        Map.of("kind", "unified-push", "endpoint", "https://push.example.com/victim");
    assertEquals(
        204, api.put("/api/v1/devices/victims-phone/push", endpoint, victim.token()).status());

    // The attacker names the victim's device: it can only mean a device of the attacker's own.
    assertEquals(204, api.delete("/api/v1/devices/victims-phone/push", attacker.token()).status());

    JsonNode victims = api.device(victim, "victims-phone");
    assertEquals("unified-push", victims.path("push").asText(), victims::toString);
  }

  @Test
  void aTokenSignedWithThePreviousKeyIsStillAcceptedAfterARotation() {
    String signedBefore = tokens(PREVIOUS_SECRET, Clock.systemUTC()).issue(alice.userId()).token();
    assertEquals(200, api.get("/api/v1/conversations", signedBefore).status());
    WsClient.connect(api.port(), signedBefore, "old-phone").close();
  }
}
