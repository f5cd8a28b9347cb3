package messenger.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import messenger.MessengerNode;
import messenger.testing.Api;
import messenger.testing.TestServer;
import messenger.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The account export over the real server and Cassandra: a user with 10,000 messages gets them all
 * as one JSON document that the server streams (chunked, read with a streaming parser here), with
 * edits applied and deletions, other people's messages and amendments left out.
 */
@Timeout(300)
class AccountExportIntegrationTest {
  private static final int MESSAGES = 10_000;

  private static MessengerNode node;
  private static Api api;

  @BeforeAll
  static void start() throws Exception {
    node =
        MessengerNode.start(
            TestServer.isolated(
                "export",
                Map.of(
                    "messenger.limits.sends-per-second-per-user", 100_000,
                    "messenger.limits.send-burst-per-user", 100_000,
                    "messenger.limits.sends-per-second-per-connection", 100_000,
                    "messenger.limits.send-burst-per-connection", 100_000)));
    api = new Api(node.httpPort());
  }

  @AfterAll
  static void stop() throws Exception {
    node.stop();
  }

  /** What the export holds: per conversation id, its own messages' bodies by seq. */
  private record Exported(
      String username, Map<String, Map<Long, String>> bodies, boolean chunked) {}

  @Test
  void anExportOfTenThousandMessagesStreamsEveryOneOfTheUsersOwnAsTheyNowAre() throws Exception {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    String direct = api.direct(alice, bob);
    try (WsClient socket = WsClient.connect(api.port(), alice.token(), "phone")) {
      for (int i = 0; i < MESSAGES; i++) socket.post(direct, "m-" + i, "message " + i);
      socket.framesUntil(
          f ->
              "sent".equals(f.path("type").asText())
                      && f.path("clientMsgId").asText().equals("m-" + (MESSAGES - 1))
                  || "error".equals(f.path("type").asText()),
          Duration.ofMinutes(3));
    }
    api.post(
        "/api/v1/conversations/" + direct + "/messages",
        Map.of("clientMsgId", "b-1", "body", "from bob"),
        bob.token());
    String amend = "/api/v1/conversations/" + direct + "/messages/";
    assertEquals(
        201,
        api.post(
                amend + "1/amendments",
                Map.of("clientMsgId", "e-1", "kind", "edit", "body", "edited"),
                alice.token())
            .status());
    assertEquals(
        201,
        api.post(
                amend + "2/amendments",
                Map.of("clientMsgId", "d-1", "kind", "delete"),
                alice.token())
            .status());

    Exported export = export(alice);

    assertTrue(export.chunked(), "the export is streamed, not sent with a length");
    assertEquals(alice.username(), export.username());
    Map<Long, String> mine = export.bodies().get(direct);
    assertEquals(MESSAGES - 1, mine.size());
    assertEquals("edited", mine.get(1L));
    assertTrue(!mine.containsKey(2L), "a deleted message is not exported");
    assertEquals("message 2999", mine.get(3000L));
    assertTrue(!mine.containsValue("from bob"));
  }

  private static Exported export(Api.User user) throws Exception {
    HttpResponse<InputStream> response =
        api.client()
            .send(
                HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/account/export"))
                    .header("Authorization", "Bearer " + user.token())
                    .timeout(Duration.ofMinutes(2))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, response.statusCode());
    boolean chunked = response.headers().firstValue("Content-Length").isEmpty();
    Map<String, Map<Long, String>> bodies = new HashMap<>();
    String username = null;
    try (InputStream in = response.body();
        JsonParser json = Api.JSON.getFactory().createParser(in)) {
      assertEquals(JsonToken.START_OBJECT, json.nextToken());
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        json.nextToken();
        switch (field) {
          case "account" ->
              username =
                  Api.JSON
                      .<com.fasterxml.jackson.databind.JsonNode>readTree(json)
                      .path("username")
                      .asText();
          case "conversations" -> {
            while (json.nextToken() == JsonToken.START_OBJECT) readConversation(json, bodies);
          }
          default -> json.skipChildren();
        }
      }
    }
    return new Exported(username, bodies, chunked);
  }

  /** One {"conversation": {...}, "messages": [...]} object, its messages read one by one. */
  private static void readConversation(JsonParser json, Map<String, Map<Long, String>> bodies)
      throws Exception {
    String id = null;
    Map<Long, String> messages = new HashMap<>();
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      json.nextToken();
      if (field.equals("conversation")) {
        id =
            Api.JSON
                .<com.fasterxml.jackson.databind.JsonNode>readTree(json)
                .path("conversationId")
                .asText();
      } else if (field.equals("messages")) {
        while (json.nextToken() == JsonToken.START_OBJECT) {
          var m = Api.JSON.<com.fasterxml.jackson.databind.JsonNode>readTree(json);
          messages.put(m.path("seq").asLong(), m.path("body").asText());
        }
      } else {
        json.skipChildren();
      }
    }
    bodies.put(id, messages);
  }
}
