package messenger.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import messenger.testing.Api;
import messenger.testing.Api.Response;
import messenger.testing.Api.User;
import messenger.testing.TestServer;
import messenger.testing.WsClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a client reads when a request is refused, over the real routes: the field or rule that
 * failed, in the wire's words (string, list, object, bytes), never a Java class or a library's
 * exception. Status and code stay as the contract says.
 */
@Timeout(120)
class ErrorWordingIntegrationTest {

  private static Api api;
  private static User alice;
  private static User bob;

  @BeforeAll
  static void startServer() {
    api = new Api(TestServer.shared().httpPort());
    alice = api.newUser("wording-alice");
    bob = api.newUser("wording-bob");
  }

  @Test
  void aFieldOfTheWrongJsonTypeIsNamedWithTheTypeItMustBe() {
    Response members =
        api.postRaw(
            "/api/v1/conversations",
            "{\"type\":\"group\",\"title\":\"t\",\"members\":\"" + bob.userId() + "\"}",
            alice.token());
    assertRefused(members, 400, "bad_request", "field `members` must be a list of strings");

    Response title =
        api.postRaw(
            "/api/v1/conversations",
            "{\"type\":\"group\",\"title\":{\"a\":1},\"members\":[]}",
            alice.token());
    assertRefused(title, 400, "bad_request", "field `title` must be a string");

    Response member =
        api.postRaw(
            "/api/v1/conversations",
            "{\"type\":\"group\",\"title\":\"t\",\"members\":[[1]]}",
            alice.token());
    assertRefused(member, 400, "bad_request", "field `members[0]` must be a string");
  }

  @Test
  void aBodyThatIsNotAnObjectOrNotJsonSaysSo() {
    assertRefused(
        api.postRaw("/api/v1/conversations", "[\"direct\"]", alice.token()),
        400,
        "bad_request",
        "body must be a JSON object");
    assertRefused(
        api.postRaw("/api/v1/users", "{not json", null),
        400,
        "bad_request",
        "body is not valid JSON");
  }

  @Test
  void aMissingFieldIsNamed() {
    String group = group();
    assertRefused(
        api.post("/api/v1/conversations/" + group + "/members", Map.of(), alice.token()),
        400,
        "bad_request",
        "`userId` is required");
    assertRefused(
        api.post(
            "/api/v1/conversations/" + group + "/messages", Map.of("body", "hi"), alice.token()),
        400,
        "bad_request",
        "`clientMsgId` must be 1-128 characters");
  }

  @Test
  void anOversizedBodySaysTheLimitInBytes() {
    String group = group();
    Response message =
        api.post(
            "/api/v1/conversations/" + group + "/messages",
            Map.of("clientMsgId", "big-1", "body", "x".repeat(65537)),
            alice.token());
    assertRefused(message, 413, "too_large", "`body` is larger than 65536 bytes (UTF-8)");

    Response request =
        api.postRaw(
            "/api/v1/conversations/" + group + "/messages",
            "{\"clientMsgId\":\"big-2\",\"body\":\"" + "x".repeat(400_000) + "\"}",
            alice.token());
    // A body over the transport's limit is refused before it is read: 400, as it always was.
    assertRefused(request, 400, "bad_request", "the request body is larger than 397312 bytes");
  }

  @Test
  void aConversationTheUserIsNotInIsRefusedAlikeOverHttpAndTheWebSocket() {
    String group = group();
    User carol = api.newUser("wording-carol");
    Response http =
        api.post(
            "/api/v1/conversations/" + group + "/messages",
            Map.of("clientMsgId", "c-1", "body", "hi"),
            carol.token());
    assertRefused(http, 403, "not_member", "you are not a member of this conversation");

    try (WsClient ws = WsClient.connect(api.port(), carol.token(), "phone")) {
      ws.send(Map.of("type", "send", "conversationId", group, "clientMsgId", "c-2", "body", "hi"));
      JsonNode error = ws.answerTo("c-2");
      assertEquals("error", error.path("type").asText());
      assertEquals("not_member", error.path("code").asText());
      assertEquals("c-2", error.path("ref").asText());
      assertEquals("you are not a member of conversation " + group, error.path("message").asText());

      ws.sendRaw(
          "{\"type\":\"send\",\"conversationId\":\""
              + group
              + "\",\"clientMsgId\":\"c-3\",\"body\":7}");
      JsonNode badBody = ws.answerTo("c-3");
      assertEquals("bad_frame", badBody.path("code").asText());
      assertEquals("field `body` must be a string", badBody.path("message").asText());
    }
  }

  private static String group() {
    Response created =
        api.post(
            "/api/v1/conversations",
            Map.of("type", "group", "title", "wording", "members", List.of(bob.userId())),
            alice.token());
    assertEquals(201, created.status(), created::toString);
    return created.text("conversationId");
  }

  private static void assertRefused(Response response, int status, String code, String message) {
    assertEquals(status, response.status(), response::toString);
    assertEquals(code, response.text("code"), response::toString);
    assertEquals(message, response.text("message"), response::toString);
    assertFalse(response.text("message").contains("java."), response::toString);
  }
}
