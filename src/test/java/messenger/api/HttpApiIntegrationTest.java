package messenger.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import messenger.testing.Api;
import messenger.testing.Api.Response;
import messenger.testing.Api.User;
import messenger.testing.Polling;
import messenger.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP API end to end against the real server and the real Cassandra. */
@Timeout(120)
class HttpApiIntegrationTest {

  private static Api api;

  @BeforeAll
  static void startServer() {
    api = new Api(TestServer.shared().httpPort());
  }

  @Test
  void registrationAndLoginFollowTheContract() {
    String username = "dora-" + UUID.randomUUID().toString().substring(0, 8);
    Response created =
        api.post(
            "/api/v1/users",
            Map.of("username", username, "password", "long enough", "displayName", "Dora"),
            null);
    assertEquals(201, created.status());
    assertEquals(username, created.text("username"));
    assertFalse(created.text("userId").isBlank());

    Response taken =
        api.post("/api/v1/users", Map.of("username", username, "password", "something else"), null);
    assertEquals(409, taken.status());
    assertEquals("username_taken", taken.text("code"));

    Response login =
        api.post("/api/v1/tokens", Map.of("username", username, "password", "long enough"), null);
    assertEquals(200, login.status());
    assertEquals(created.text("userId"), login.text("userId"));
    assertFalse(login.text("token").isBlank());
    assertFalse(login.text("expiresAt").isBlank());

    Response wrongPassword =
        api.post("/api/v1/tokens", Map.of("username", username, "password", "not it at all"), null);
    Response unknownUser =
        api.post(
            "/api/v1/tokens", Map.of("username", username + "x", "password", "long enough"), null);
    assertEquals(401, wrongPassword.status());
    assertEquals(401, unknownUser.status());
    assertEquals("unauthorized", wrongPassword.text("code"));
    assertEquals(wrongPassword.text("message"), unknownUser.text("message"), "no user enumeration");
  }

  @Test
  void invalidRegistrationsAreRefusedWith400() {
    for (Map<String, String> body :
        List.of(
            Map.of("username", "ab", "password", "long enough"),
            Map.of("username", "Upper-Case", "password", "long enough"),
            Map.of("username", "spaces here", "password", "long enough"),
            Map.of("username", "x".repeat(33), "password", "long enough"),
            Map.of("username", "valid-name", "password", "short"))) {
      Response response = api.post("/api/v1/users", body, null);
      assertEquals(400, response.status(), body.toString());
      assertEquals("bad_request", response.text("code"));
    }
    Response malformed = api.postRaw("/api/v1/users", "{not json", null);
    assertEquals(400, malformed.status());
    assertEquals("bad_request", malformed.text("code"));
  }

  @Test
  void callsWithoutAValidTokenAreRefusedWith401() {
    assertEquals(401, api.get("/api/v1/conversations", null).status());
    Response garbage = api.get("/api/v1/conversations", "garbage");
    assertEquals(401, garbage.status());
    assertEquals("unauthorized", garbage.text("code"));
    assertEquals(
        401,
        api.post("/api/v1/conversations/x/messages", Map.of("clientMsgId", "a", "body", "b"), null)
            .status());
  }

  @Test
  void aDirectConversationIsCreatedOnceWhoeverOpensIt() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    Response first =
        api.post(
            "/api/v1/conversations",
            Map.of("type", "direct", "members", List.of(bob.userId())),
            alice.token());
    assertEquals(201, first.status());
    assertEquals("direct", first.text("type"));
    assertEquals(2, first.body().path("members").size());

    Response again =
        api.post(
            "/api/v1/conversations",
            Map.of("type", "direct", "members", List.of(bob.userId())),
            alice.token());
    Response fromBob =
        api.post(
            "/api/v1/conversations",
            Map.of("type", "direct", "members", List.of(alice.userId())),
            bob.token());
    assertEquals(200, again.status());
    assertEquals(200, fromBob.status());
    assertEquals(first.text("conversationId"), again.text("conversationId"));
    assertEquals(first.text("conversationId"), fromBob.text("conversationId"));

    Response unknownUser =
        api.post(
            "/api/v1/conversations",
            Map.of("type", "direct", "members", List.of(UUID.randomUUID().toString())),
            alice.token());
    assertEquals(404, unknownUser.status());
    assertEquals("not_found", unknownUser.text("code"));
    Response withSelf =
        api.post(
            "/api/v1/conversations",
            Map.of("type", "direct", "members", List.of(alice.userId())),
            alice.token());
    assertEquals(400, withSelf.status());
  }

  @Test
  void theConversationListShowsLastMessageAndUnreadCount() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    String conversation = api.direct(alice, bob);
    for (int i = 1; i <= 3; i++) {
      assertEquals(
          201,
          api.post(
                  path(conversation),
                  Map.of("clientMsgId", "l-" + i, "body", "note " + i),
                  alice.token())
              .status());
    }
    Polling.until(
        Duration.ofSeconds(30),
        () -> entry(bob, conversation).path("lastSeq").asLong() == 3,
        "bob's inbox has 3");
    JsonNode bobs = entry(bob, conversation);
    assertEquals(3, bobs.path("unreadCount").asInt());
    assertEquals("note 3", bobs.path("lastMessage").path("preview").asText());
    assertEquals(alice.userId(), bobs.path("lastMessage").path("senderId").asText());

    Polling.until(
        Duration.ofSeconds(30),
        () -> entry(alice, conversation).path("lastSeq").asLong() == 3,
        "alice's inbox has 3");
    assertEquals(
        0, entry(alice, conversation).path("unreadCount").asInt(), "own messages are not unread");
  }

  @Test
  void historyPagesBackwardsNewestFirst() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    String conversation = api.direct(alice, bob);
    for (int i = 1; i <= 25; i++) {
      User sender = i % 2 == 0 ? bob : alice;
      assertEquals(
          201,
          api.post(
                  path(conversation),
                  Map.of("clientMsgId", "h-" + i, "body", "h" + i),
                  sender.token())
              .status());
    }
    Response latest = api.get(path(conversation) + "?limit=10", bob.token());
    assertEquals(200, latest.status());
    assertEquals(seqs(25, 16), seqsOf(latest));
    assertTrue(latest.body().path("hasMore").asBoolean());
    assertEquals("h25", latest.body().path("messages").get(0).path("body").asText());

    Response older = api.get(path(conversation) + "?beforeSeq=16&limit=10", bob.token());
    assertEquals(seqs(15, 6), seqsOf(older));
    Response oldest = api.get(path(conversation) + "?beforeSeq=6&limit=10", alice.token());
    assertEquals(seqs(5, 1), seqsOf(oldest));
    assertFalse(oldest.body().path("hasMore").asBoolean());

    assertEquals(400, api.get(path(conversation) + "?limit=101", bob.token()).status());
    assertEquals(400, api.get(path(conversation) + "?limit=abc", bob.token()).status());
  }

  @Test
  void sendingOverHttpIsIdempotentPerClientMsgId() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    String conversation = api.direct(alice, bob);
    Response first =
        api.post(path(conversation), Map.of("clientMsgId", "once", "body", "hello"), alice.token());
    Response retry =
        api.post(path(conversation), Map.of("clientMsgId", "once", "body", "hello"), alice.token());
    assertEquals(201, first.status());
    assertEquals(first.text("messageId"), retry.text("messageId"));
    assertEquals(1, first.body().path("seq").asLong());
    assertEquals(1, retry.body().path("seq").asLong());
    assertEquals(1, api.get(path(conversation), alice.token()).body().path("messages").size());
  }

  @Test
  void nonMembersAndUnknownConversationsAreRefused() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    User mallory = api.newUser("mallory");
    String conversation = api.direct(alice, bob);

    Response read = api.get(path(conversation), mallory.token());
    assertEquals(403, read.status());
    assertEquals("not_member", read.text("code"));
    Response write =
        api.post(
            path(conversation), Map.of("clientMsgId", "x", "body", "let me in"), mallory.token());
    assertEquals(403, write.status());
    assertEquals("not_member", write.text("code"));

    Response unknown = api.get(path("d-" + UUID.randomUUID()), alice.token());
    assertEquals(404, unknown.status());
    assertEquals("not_found", unknown.text("code"));
  }

  @Test
  void oversizedAndEmptyBodiesAreRefused() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    String conversation = api.direct(alice, bob);
    Response tooLarge =
        api.post(
            path(conversation),
            Map.of("clientMsgId", "big", "body", "y".repeat(65_537)),
            alice.token());
    assertEquals(413, tooLarge.status());
    assertEquals("too_large", tooLarge.text("code"));
    Response empty =
        api.post(path(conversation), Map.of("clientMsgId", "empty", "body", ""), alice.token());
    assertEquals(400, empty.status());
  }

  @Test
  void healthRoutesAnswer() {
    assertEquals(200, api.get("/health/alive", null).status());
    Polling.until(
        Duration.ofSeconds(30), () -> api.get("/health/ready", null).status() == 200, "node ready");
    assertEquals(200, api.get("/api/v1/health/ready", null).status());
  }

  private static String path(String conversation) {
    return "/api/v1/conversations/" + conversation + "/messages";
  }

  private static JsonNode entry(User user, String conversation) {
    return api.conversationEntry(user, conversation);
  }

  private static List<Long> seqs(long from, long downTo) {
    List<Long> seqs = new ArrayList<>();
    for (long s = from; s >= downTo; s--) seqs.add(s);
    return seqs;
  }

  private static List<Long> seqsOf(Response page) {
    List<Long> seqs = new ArrayList<>();
    page.body().path("messages").forEach(m -> seqs.add(m.path("seq").asLong()));
    return seqs;
  }
}
