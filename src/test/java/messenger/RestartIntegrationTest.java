package messenger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import messenger.testing.Api;
import messenger.testing.Api.User;
import messenger.testing.Polling;
import messenger.testing.TestServer;
import messenger.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole server, embedded Cassandra included, is stopped and started again: accounts,
 * conversations, history and undelivered messages are all still there.
 */
@Timeout(300)
class RestartIntegrationTest {

  /** Its own embedded Cassandra: ports and folder apart from the shared test Cassandra. */
  private static Config embeddedConfig() {
    Path dir = Path.of("target/restart-test");
    return ConfigFactory.parseMap(
            Map.of(
                "messenger.cassandra.embedded.data-dir",
                    dir.resolve("cassandra").toAbsolutePath().toString(),
                "messenger.cassandra.embedded.native-port", 19142,
                "messenger.cassandra.embedded.storage-port", 17142))
        .withFallback(TestServer.config("", dir));
  }

  @Test
  void aRestartOfServerAndCassandraLosesNothing() throws Exception {
    MessengerNode first = MessengerNode.start(embeddedConfig());
    Api api = new Api(first.httpPort());
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    String conversation = api.direct(alice, bob);
    try (WsClient alicePhone = WsClient.connect(api.port(), alice.token(), "phone")) {
      for (int i = 0; i < 30; i++)
        alicePhone.sendMessage(conversation, "r-" + i, "before restart " + i);
    }
    User carol = api.newUser("carol");
    String withCarol = api.direct(alice, carol);
    byte[] photo = "a photo, byte for byte".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String photoId = api.upload(alice, withCarol, "image/png", photo);
    var file = Map.of("id", photoId, "mime", "image/png", "size", photo.length, "name", "p.png");
    var sent =
        api.post(
            "/api/v1/conversations/" + withCarol + "/messages",
            Map.of("clientMsgId", "f-1", "attachments", List.of(file)),
            alice.token());
    assertEquals(201, sent.status(), sent.toString());
    long edited = amended(api, carol, withCarol, "keep me", "kept", alice);
    long deleted = amended(api, alice, withCarol, "gone-text", null, null);
    first.stop();

    MessengerNode second = MessengerNode.start(embeddedConfig());
    try {
      Api after = new Api(second.httpPort());
      User aliceAgain = after.login(alice.username(), "correct horse");
      assertEquals(alice.userId(), aliceAgain.userId());

      List<String> expected = IntStream.range(0, 30).mapToObj(i -> "before restart " + i).toList();
      try (WsClient bobPhone = WsClient.connect(after.port(), bob.token(), "phone")) {
        assertEquals(expected, bobPhone.messages(30).bodies(), "undelivered messages survive");
        assertTrue(bobPhone.noFrame("messages", Duration.ofMillis(500)));
      }

      JsonNode page =
          after
              .get(
                  "/api/v1/conversations/" + conversation + "/messages?limit=100",
                  aliceAgain.token())
              .body();
      List<String> history = new ArrayList<>();
      page.path("messages").forEach(m -> history.add(0, m.path("body").asText()));
      assertEquals(expected, history, "history survives");

      try (WsClient alicePhone = WsClient.connect(after.port(), aliceAgain.token(), "phone")) {
        assertEquals(
            31, alicePhone.sendMessage(conversation, "r-30", "after restart").path("seq").asLong());
        JsonNode retried = alicePhone.sendMessage(conversation, "r-29", "before restart 29");
        assertEquals(30, retried.path("seq").asLong(), "de-duplication survives");
      }
      Polling.until(
          Duration.ofSeconds(30),
          () -> after.conversationEntry(bob, conversation).path("lastSeq").asLong() == 31,
          "bob's inbox continues after the restart");

      JsonNode filed = null;
      for (JsonNode m :
          after
              .get("/api/v1/conversations/" + withCarol + "/messages", carol.token())
              .body()
              .path("messages")) {
        if (m.has("attachments")) filed = m;
      }
      assertTrue(filed != null, "the message with the file is in history");
      assertEquals(photoId, filed.path("attachments").get(0).path("id").asText(), "files survive");
      var signed =
          after.get(
              "/api/v1/conversations/"
                  + withCarol
                  + "/messages/"
                  + filed.path("seq").asLong()
                  + "/attachments/"
                  + photoId,
              carol.token());
      assertEquals(200, signed.status(), signed.toString());
      assertEquals(
          new String(photo, java.nio.charset.StandardCharsets.UTF_8),
          new String(
              after.fetch(signed.text("url")).body(), java.nio.charset.StandardCharsets.UTF_8));

      Map<Long, JsonNode> bySeq = new java.util.HashMap<>();
      after
          .get("/api/v1/conversations/" + withCarol + "/messages", carol.token())
          .body()
          .path("messages")
          .forEach(m -> bySeq.put(m.path("seq").asLong(), m));
      assertEquals("kept", bySeq.get(edited).path("body").asText(), "edits survive");
      assertTrue(bySeq.get(edited).hasNonNull("editedAt"));
      assertEquals(1, bySeq.get(edited).path("reactions").get(0).path("count").asInt());
      assertTrue(bySeq.get(deleted).path("deleted").asBoolean(), "deletions survive");
      assertFalse(bySeq.toString().contains("gone-text"));
    } finally {
      second.stop();
    }
  }

  /**
   * {@code author} sends {@code body}; then edits it to {@code edit} and {@code reactor} reacts, or
   * (no edit) deletes it. Answers the message's seq.
   */
  private static long amended(
      Api api, User author, String conversation, String body, String edit, User reactor) {
    String messages = "/api/v1/conversations/" + conversation + "/messages";
    long seq =
        api.post(messages, Map.of("clientMsgId", "a-" + body, "body", body), author.token())
            .body()
            .path("seq")
            .asLong();
    String amend = messages + "/" + seq + "/amendments";
    if (edit == null) {
      assertEquals(
          201,
          api.post(amend, Map.of("clientMsgId", "d-" + body, "kind", "delete"), author.token())
              .status());
      return seq;
    }
    assertEquals(
        201,
        api.post(
                amend,
                Map.of("clientMsgId", "e-" + body, "kind", "edit", "body", edit),
                author.token())
            .status());
    assertEquals(
        201,
        api.post(
                amend,
                Map.of("clientMsgId", "r-" + body, "kind", "reaction", "emoji", "\uD83D\uDC4D"),
                reactor.token())
            .status());
    return seq;
  }
}
