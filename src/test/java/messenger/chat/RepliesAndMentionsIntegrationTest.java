package messenger.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import messenger.MessengerNode;
import messenger.testing.Api;
import messenger.testing.Api.User;
import messenger.testing.TestServer;
import messenger.testing.WsClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Replies and mentions end to end, over real WebSockets and the real Cassandra: a reply carries a
 * quote of the message it answers as that message now is, live, in history and in catch-up; a
 * reader who cannot see the quoted message (deleted, before they joined) is shown it unavailable.
 */
@Timeout(120)
class RepliesAndMentionsIntegrationTest {

  private static MessengerNode node;
  private static Api api;

  @BeforeAll
  static void startServer() {
    node = TestServer.shared();
    api = new Api(node.httpPort());
  }

  private static String group(User creator, User... others) {
    var created =
        api.post(
            "/api/v1/conversations",
            Map.of(
                "type",
                "group",
                "title",
                "replies",
                "members",
                java.util.Arrays.stream(others).map(User::userId).toList()),
            creator.token());
    assertEquals(201, created.status(), created.toString());
    return created.text("conversationId");
  }

  private static JsonNode reply(
      WsClient device,
      String conversation,
      String id,
      String body,
      long seq,
      List<String> mentions) {
    device.send(
        Map.of(
            "type", "send",
            "clientMsgId", id,
            "conversationId", conversation,
            "body", body,
            "replyTo", Map.of("seq", seq),
            "mentions", mentions));
    return device.answerTo(id);
  }

  private static JsonNode liveItem(WsClient device, long seq) {
    JsonNode frame =
        device.next(
            f ->
                "messages".equals(f.path("type").asText())
                    && f.toString().contains("\"seq\":" + seq),
            "seq " + seq);
    for (JsonNode item : frame.path("items")) if (item.path("seq").asLong() == seq) return item;
    throw new AssertionError(frame.toString());
  }

  private static JsonNode historyItem(User reader, String conversation, long seq) {
    var page = api.get("/api/v1/conversations/" + conversation + "/messages", reader.token());
    for (JsonNode m : page.body().path("messages")) if (m.path("seq").asLong() == seq) return m;
    throw new AssertionError("no seq " + seq + " in " + page);
  }

  @Test
  void aReplyQuotesTheMessageAsItNowIsLiveAndInHistoryAndADeletionLeavesNoTextInTheQuote() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    String group = group(alice, bob);
    String secret = "meet-at-the-gate-" + System.nanoTime();
    try (WsClient alices = WsClient.connect(api.port(), alice.token(), "phone");
        WsClient bobs = WsClient.connect(api.port(), bob.token(), "phone")) {
      long asked = alices.sendMessage(group, "m-1", secret).path("seq").asLong();
      JsonNode answered = reply(bobs, group, "m-2", "ok", asked, List.of(alice.userId()));
      long replySeq = answered.path("seq").asLong();

      JsonNode live = liveItem(alices, replySeq);
      assertEquals(asked, live.path("replyTo").path("seq").asLong());
      assertEquals(alice.userId(), live.path("replyTo").path("senderId").asText());
      assertEquals(secret, live.path("replyTo").path("preview").asText());
      assertEquals(List.of(alice.userId()), List.of(live.path("mentions").get(0).asText()));
      assertEquals(
          secret, historyItem(bob, group, replySeq).path("replyTo").path("preview").asText());

      alices.send(
          Map.of(
              "type",
              "edit",
              "clientMsgId",
              "e-1",
              "conversationId",
              group,
              "seq",
              asked,
              "body",
              "gate B"));
      assertEquals("sent", alices.answerTo("e-1").path("type").asText());
      assertEquals(
          "gate B", historyItem(bob, group, replySeq).path("replyTo").path("preview").asText());

      alices.send(
          Map.of("type", "delete", "clientMsgId", "d-1", "conversationId", group, "seq", asked));
      long deleted = alices.answerTo("d-1").path("seq").asLong();
      JsonNode quote = historyItem(bob, group, replySeq).path("replyTo");
      assertTrue(quote.path("unavailable").asBoolean(), quote.toString());
      assertFalse(quote.has("preview"));
      String history =
          api.get("/api/v1/conversations/" + group + "/messages", bob.token()).toString();
      assertFalse(history.contains(secret) || history.contains("gate B"), history);
      try (WsClient bobsLaptop = WsClient.connect(api.port(), bob.token(), "laptop")) {
        JsonNode caughtUp = liveItem(bobsLaptop, deleted);
        assertFalse(caughtUp.toString().contains("gate B"));
      }
      // Not in the journal either: the message's row and its edit's row were redacted.
      var raw =
          new JournalConversationLog(node.system(), "akka.persistence.cassandra.query")
              .read(group, asked, deleted)
              .toCompletableFuture()
              .join();
      assertFalse(
          raw.toString().contains(secret) || raw.toString().contains("gate B"), raw.toString());
    }
  }

  @Test
  void aMemberWhoJoinedLaterSeesQuotesOfEarlierMessagesAsUnavailable() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    User carol = api.newUser("carol");
    String group = group(alice, bob);
    try (WsClient alices = WsClient.connect(api.port(), alice.token(), "phone");
        WsClient bobs = WsClient.connect(api.port(), bob.token(), "phone")) {
      long early = alices.sendMessage(group, "m-1", "before carol").path("seq").asLong();
      var added =
          api.post(
              "/api/v1/conversations/" + group + "/members",
              Map.of("userId", carol.userId()),
              alice.token());
      assertEquals(200, added.status(), added.toString());
      try (WsClient carols = WsClient.connect(api.port(), carol.token(), "phone")) {
        long replySeq = reply(bobs, group, "m-2", "re", early, List.of()).path("seq").asLong();

        JsonNode carolLive = liveItem(carols, replySeq).path("replyTo");
        assertTrue(carolLive.path("unavailable").asBoolean(), carolLive.toString());
        assertFalse(carolLive.has("preview"));
        assertTrue(
            historyItem(carol, group, replySeq).path("replyTo").path("unavailable").asBoolean());
        assertEquals(
            "before carol",
            historyItem(bob, group, replySeq).path("replyTo").path("preview").asText());
        try (WsClient carolsLaptop = WsClient.connect(api.port(), carol.token(), "laptop")) {
          JsonNode caughtUp = liveItem(carolsLaptop, replySeq).path("replyTo");
          assertTrue(caughtUp.path("unavailable").asBoolean(), caughtUp.toString());
        }
      }
    }
  }

  @Test
  void mentionsNameMembersOnlyAndRepliesAnswerMessagesTheSenderCanSee() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    User stranger = api.newUser("stranger");
    String group = group(alice, bob);
    try (WsClient alices = WsClient.connect(api.port(), alice.token(), "phone")) {
      long seq = alices.sendMessage(group, "m-1", "hi").path("seq").asLong();
      assertEquals(
          "mention_not_member",
          reply(alices, group, "m-2", "x", seq, List.of(stranger.userId())).path("code").asText());
      assertEquals(
          "not_found", reply(alices, group, "m-3", "x", seq + 40, List.of()).path("code").asText());
      var http =
          api.post(
              "/api/v1/conversations/" + group + "/messages",
              Map.of(
                  "clientMsgId",
                  "h-1",
                  "body",
                  "via http",
                  "replyTo",
                  Map.of("seq", seq),
                  "mentions",
                  List.of(bob.userId())),
              alice.token());
      assertEquals(201, http.status(), http.toString());
      JsonNode item = historyItem(bob, group, http.body().path("seq").asLong());
      assertEquals("hi", item.path("replyTo").path("preview").asText());
      assertEquals(bob.userId(), item.path("mentions").get(0).asText());
    }
  }
}
