package messenger.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import messenger.testing.Api;
import messenger.testing.Api.User;
import messenger.testing.Polling;
import messenger.testing.TestServer;
import messenger.testing.WsClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every block rule over the real server and Cassandra, both ways: direct conversations closed to
 * both while one blocks the other (HTTP and WebSocket), open again after unblocking; no typing,
 * presence or receipts from the blocked user on the blocker's socket while a third member gets
 * them; group messages from the blocked user flagged for the blocker only (live, catch-up,
 * history). Pushes: BlockingPushIntegrationTest.
 */
@Timeout(180)
class BlockingIntegrationTest {

  private static Api api;

  @BeforeAll
  static void startServer() {
    api = new Api(TestServer.shared().httpPort());
  }

  private static WsClient connect(User user, String deviceId) {
    return WsClient.connect(api.port(), user.token(), deviceId);
  }

  private static Api.Response block(User blocker, User blocked) {
    return api.put("/api/v1/blocks/" + blocked.userId(), Map.of(), blocker.token());
  }

  private static Api.Response unblock(User blocker, User blocked) {
    return api.delete("/api/v1/blocks/" + blocked.userId(), blocker.token());
  }

  private static Api.Response httpSend(User sender, String conversation, String clientMsgId) {
    return api.post(
        "/api/v1/conversations/" + conversation + "/messages",
        Map.of("clientMsgId", clientMsgId, "body", "body of " + clientMsgId),
        sender.token());
  }

  private static Api.Response openDirect(User user, User other) {
    return api.post(
        "/api/v1/conversations",
        Map.of("type", "direct", "members", List.of(other.userId())),
        user.token());
  }

  private static String group(User creator, User... others) {
    List<String> members = new ArrayList<>();
    for (User other : others) members.add(other.userId());
    return api.post(
            "/api/v1/conversations",
            Map.of("type", "group", "title", "blockers", "members", members),
            creator.token())
        .text("conversationId");
  }

  private static void attached(User user, String deviceId) {
    Polling.until(
        Duration.ofSeconds(20),
        () -> api.device(user, deviceId).path("online").asBoolean(),
        user.username() + "'s " + deviceId + " attached to the inbox");
  }

  private static String wsSendCode(WsClient client, String conversation, String clientMsgId) {
    client.post(conversation, clientMsgId, "over the socket");
    JsonNode answer = client.answerTo(clientMsgId);
    return answer.path("type").asText().equals("sent") ? "sent" : answer.path("code").asText();
  }

  @Test
  void whileOneBlocksTheOtherNeitherMayOpenOrSendIntoTheirDirectConversationUntilUnblocked() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    String direct = api.direct(alice, bob);
    assertEquals(201, httpSend(bob, direct, "before").status());

    assertEquals(204, block(alice, bob).status());

    for (User sender : List.of(bob, alice)) {
      Api.Response refused = httpSend(sender, direct, "http-" + sender.username());
      assertEquals(403, refused.status(), refused.toString());
      assertEquals("blocked", refused.text("code"));
      Api.Response reopened = openDirect(sender, sender == bob ? alice : bob);
      assertEquals(403, reopened.status(), reopened.toString());
      assertEquals("blocked", reopened.text("code"));
    }
    try (WsClient bobPhone = connect(bob, "phone");
        WsClient alicePhone = connect(alice, "phone")) {
      assertEquals("blocked", wsSendCode(bobPhone, direct, "ws-bob"));
      assertEquals("blocked", wsSendCode(alicePhone, direct, "ws-alice"));
      // The history stays readable to both.
      for (User reader : List.of(alice, bob)) {
        Api.Response history =
            api.get("/api/v1/conversations/" + direct + "/messages", reader.token());
        assertEquals(200, history.status());
        assertEquals(1, history.body().path("messages").size());
      }

      assertEquals(204, unblock(alice, bob).status());

      assertEquals(201, httpSend(bob, direct, "after-http").status());
      assertEquals("sent", wsSendCode(bobPhone, direct, "after-ws-bob"));
      assertEquals("sent", wsSendCode(alicePhone, direct, "after-ws-alice"));
      assertEquals(200, openDirect(bob, alice).status());
    }
  }

  @Test
  void aBlockedUserCannotOpenADirectConversationThatDoesNotExistYetNorCanTheBlocker() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    assertEquals(204, block(bob, alice).status());

    assertEquals("blocked", openDirect(alice, bob).text("code"));
    assertEquals("blocked", openDirect(bob, alice).text("code"));

    assertEquals(204, unblock(bob, alice).status());
    assertEquals(201, openDirect(alice, bob).status());
  }

  @Test
  void blocksAreIdempotentListedAndRefusedForOneselfAndForUnknownUsers() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");

    Api.Response self = block(alice, alice);
    assertEquals(400, self.status());
    assertEquals("bad_request", self.text("code"));
    Api.Response unknown = api.put("/api/v1/blocks/no-such-user", Map.of(), alice.token());
    assertEquals(404, unknown.status());
    assertEquals("not_found", unknown.text("code"));

    assertEquals(204, block(alice, bob).status());
    assertEquals(204, block(alice, bob).status());
    JsonNode blocked = api.get("/api/v1/blocks", alice.token()).body().path("blocked");
    assertEquals(1, blocked.size(), blocked.toString());
    assertEquals(bob.userId(), blocked.get(0).path("userId").asText());
    assertTrue(blocked.get(0).path("since").isTextual());
    assertEquals(0, api.get("/api/v1/blocks", bob.token()).body().path("blocked").size());

    assertEquals(204, unblock(alice, bob).status());
    assertEquals(204, unblock(alice, bob).status());
    assertEquals(0, api.get("/api/v1/blocks", alice.token()).body().path("blocked").size());
  }

  @Test
  void presenceOnRequestShowsEachOfTheTwoOfflineWithoutLastSeen() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    api.direct(alice, bob);
    try (WsClient alicePhone = connect(alice, "phone");
        WsClient bobPhone = connect(bob, "phone")) {
      attached(alice, "phone");
      attached(bob, "phone");
      assertTrue(presence(alice, bob).path("online").asBoolean());
      assertEquals(204, block(alice, bob).status());
      for (User[] pair : new User[][] {{alice, bob}, {bob, alice}}) {
        JsonNode seen = presence(pair[0], pair[1]);
        assertFalse(seen.path("online").asBoolean(), seen.toString());
        assertTrue(seen.path("lastSeen").isNull() || seen.path("lastSeen").isMissingNode());
      }
    }
  }

  private static JsonNode presence(User asker, User of) {
    return api.get("/api/v1/users/" + of.userId() + "/presence", asker.token()).body();
  }

  @Test
  void typingPresenceAndReceiptsOfTheBlockedUserReachAThirdMemberButNotTheBlocker() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    User carol = api.newUser("carol");
    String group = group(carol, alice, bob);
    assertEquals(204, block(alice, bob).status());
    try (WsClient alicePhone = connect(alice, "phone");
        WsClient carolPhone = connect(carol, "phone")) {
      attached(alice, "phone");
      attached(carol, "phone");
      long seq = carolPhone.sendMessage(group, "c-1", "hello both").path("seq").asLong();
      try (WsClient bobPhone = connect(bob, "phone")) {
        // Each of bob's notices is first seen to reach carol, then carol's own typing follows it.
        carolPhone.next(
            f ->
                f.path("type").asText().equals("presence")
                    && f.path("userId").asText().equals(bob.userId()),
            "bob's presence at carol's");
        bobPhone.messages(1);
        bobPhone.send(Map.of("type", "typing", "conversationId", group));
        carolPhone.next(
            f ->
                f.path("type").asText().equals("typing")
                    && f.path("userId").asText().equals(bob.userId()),
            "bob's typing at carol's");
        bobPhone.send(Map.of("type", "read", "conversationId", group, "seq", seq));
        carolPhone.next(
            f ->
                f.path("type").asText().equals("receipt")
                    && f.path("userId").asText().equals(bob.userId())
                    && f.path("kind").asText().equals("read"),
            "bob's read receipt at carol's");
        carolPhone.send(Map.of("type", "typing", "conversationId", group));

        List<JsonNode> atAlice =
            alicePhone.framesUntil(
                f ->
                    f.path("type").asText().equals("typing")
                        && f.path("userId").asText().equals(carol.userId()),
                WsClient.WAIT);
        for (JsonNode frame : atAlice) {
          assertFalse(fromUser(frame, bob.userId()), "reached the blocker: " + frame);
        }
      }
    }
  }

  /** Whether a typing, presence or receipt frame (or a batch of receipts) is of {@code userId}. */
  private static boolean fromUser(JsonNode frame, String userId) {
    String type = frame.path("type").asText();
    if (type.equals("receipts")) {
      for (JsonNode receipt : frame.path("receipts")) {
        if (receipt.path("userId").asText().equals(userId)) return true;
      }
      return false;
    }
    return List.of("typing", "presence", "receipt").contains(type)
        && frame.path("userId").asText().equals(userId);
  }

  @Test
  void groupMessagesOfTheBlockedUserReachTheBlockerFlaggedLiveInCatchUpAndHistory() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    User carol = api.newUser("carol");
    String group = group(carol, alice, bob);
    assertEquals(204, block(alice, bob).status());
    try (WsClient alicePhone = connect(alice, "phone");
        WsClient carolPhone = connect(carol, "phone")) {
      attached(alice, "phone");
      attached(carol, "phone");
      assertEquals(201, httpSend(bob, group, "b-1").status());
      assertEquals(201, httpSend(carol, group, "c-1").status());

      assertEquals(List.of(true, false), flags(untilCarols(alicePhone)), "live");
      assertEquals(List.of(false, false), flags(untilCarols(carolPhone)), "others");
    }
    try (WsClient aliceTablet = connect(alice, "tablet")) {
      assertEquals(List.of(true, false), flags(untilCarols(aliceTablet)), "catch-up");
    }
    assertEquals(List.of(false, true), historyFlags(alice, group), "history, newest first");
    assertEquals(List.of(false, false), historyFlags(carol, group));
    Polling.until(
        Duration.ofSeconds(10),
        () -> api.conversationEntry(alice, group).path("unreadCount").asInt() == 1,
        "only carol's message unread for alice");
  }

  /** The message items a connection gets up to carol's message "c-1". */
  private static List<JsonNode> untilCarols(WsClient client) {
    List<JsonNode> items = new ArrayList<>();
    while (items.stream().noneMatch(i -> i.path("body").asText().equals("body of c-1"))) {
      client.next("messages").path("items").forEach(items::add);
    }
    return items;
  }

  private static List<Boolean> flags(List<JsonNode> items) {
    List<Boolean> flags = new ArrayList<>();
    for (JsonNode item : items) {
      if (item.path("system").isObject()) continue;
      flags.add(item.path("fromBlocked").asBoolean(false));
    }
    return flags;
  }

  private static List<Boolean> historyFlags(User reader, String conversation) {
    JsonNode history =
        api.get("/api/v1/conversations/" + conversation + "/messages", reader.token()).body();
    List<Boolean> flags = new ArrayList<>();
    for (JsonNode m : history.path("messages")) {
      if (m.path("system").isObject()) continue;
      flags.add(m.path("fromBlocked").asBoolean(false));
    }
    return flags;
  }
}
