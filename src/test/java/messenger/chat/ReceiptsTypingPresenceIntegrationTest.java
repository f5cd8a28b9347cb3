package messenger.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
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

/** Receipts, read markers, typing and presence over real WebSockets and the real Cassandra. */
@Timeout(180)
class ReceiptsTypingPresenceIntegrationTest {

  private static Api api;

  @BeforeAll
  static void startServer() {
    api = new Api(TestServer.shared().httpPort());
  }

  private static WsClient connect(User user, String deviceId) {
    return WsClient.connect(api.port(), user.token(), deviceId);
  }

  private static JsonNode receipt(WsClient client, String userId, String kind, long seq) {
    return client.next(
        f ->
            f.path("type").asText().equals("receipt")
                && f.path("userId").asText().equals(userId)
                && f.path("kind").asText().equals(kind)
                && f.path("seq").asLong() >= seq,
        kind + " receipt of " + userId + " at " + seq);
  }

  @Test
  void readAndAckDriveReceiptsToTheSenderUnreadCountsAndTheReceiptsApi() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    String conversation = api.direct(alice, bob);
    try (WsClient alicePhone = connect(alice, "phone");
        WsClient bobPhone = connect(bob, "phone");
        WsClient bobLaptop = connect(bob, "laptop")) {
      for (int i = 1; i <= 3; i++) alicePhone.sendMessage(conversation, "m-" + i, "message " + i);
      WsClient.Received got = bobPhone.messages(3);
      bobLaptop.messages(3);

      bobPhone.ack(got.lastCursor());
      assertEquals(3, receipt(alicePhone, bob.userId(), "delivered", 3).path("seq").asLong());

      bobPhone.send(Map.of("type", "read", "conversationId", conversation, "seq", 2));
      assertEquals(
          conversation,
          receipt(alicePhone, bob.userId(), "read", 2).path("conversationId").asText());
      receipt(bobLaptop, bob.userId(), "read", 2);
      Polling.until(
          Duration.ofSeconds(10),
          () -> api.conversationEntry(bob, conversation).path("unreadCount").asInt() == 1,
          "one message left unread, on every device of bob's");

      JsonNode receipts =
          api.get("/api/v1/conversations/" + conversation + "/receipts", alice.token()).body();
      JsonNode bobs = null;
      for (JsonNode member : receipts.path("members")) {
        if (member.path("userId").asText().equals(bob.userId())) bobs = member;
      }
      assertEquals(3, bobs.path("deliveredSeq").asLong());
      assertEquals(2, bobs.path("readSeq").asLong());

      // History counts them per message, for the sender and for bob alike: of 1 other member.
      for (User reader : List.of(alice, bob)) {
        JsonNode history =
            api.get("/api/v1/conversations/" + conversation + "/messages", reader.token()).body();
        List<String> counts = new java.util.ArrayList<>();
        for (JsonNode m : history.path("messages")) {
          counts.add(
              m.path("seq").asLong()
                  + ":"
                  + m.path("deliveredTo").asInt()
                  + "/"
                  + m.path("readBy").asInt()
                  + " of "
                  + m.path("recipients").asInt());
        }
        assertEquals(List.of("3:1/0 of 1", "2:1/1 of 1", "1:1/1 of 1"), counts);
      }
    }
  }

  @Test
  void typingReachesTheOtherMembersButNotTheTyperAndIsNeverStored() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    User carol = api.newUser("carol");
    String group =
        api.post(
                "/api/v1/conversations",
                Map.of(
                    "type",
                    "group",
                    "title",
                    "typists",
                    "members",
                    List.of(bob.userId(), carol.userId())),
                alice.token())
            .text("conversationId");
    try (WsClient alicePhone = connect(alice, "phone");
        WsClient bobPhone = connect(bob, "phone");
        WsClient carolPhone = connect(carol, "phone")) {
      // Typing is passed on to connections the inboxes hold at that moment, never kept: wait
      // until each phone is attached, not just open (a notice before that is dropped by design).
      for (User user : List.of(alice, carol)) {
        Polling.until(
            Duration.ofSeconds(20),
            () -> api.device(user, "phone").path("online").asBoolean(),
            user.username() + "'s phone attached to the inbox");
      }
      bobPhone.send(Map.of("type", "typing", "conversationId", group));

      for (WsClient other : List.of(alicePhone, carolPhone)) {
        JsonNode typing = other.next("typing");
        assertEquals(group, typing.path("conversationId").asText());
        assertEquals(bob.userId(), typing.path("userId").asText());
      }
      assertTrue(bobPhone.noFrame("typing", Duration.ofMillis(500)), "not to the typer");
      assertEquals(
          0, api.conversationEntry(alice, group).path("lastSeq").asLong(), "nothing stored");
    }
  }

  @Test
  void contactsAreToldWhenAUsersFirstDeviceConnectsAndItsLastGoesAndStrangersSeeNothing() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    User stranger = api.newUser("stranger");
    api.direct(alice, bob);
    try (WsClient alicePhone = connect(alice, "phone")) {
      try (WsClient bobPhone = connect(bob, "phone")) {
        JsonNode online = alicePhone.next("presence");
        assertEquals(bob.userId(), online.path("userId").asText());
        assertTrue(online.path("online").asBoolean());
        assertTrue(
            api.get("/api/v1/users/" + bob.userId() + "/presence", alice.token())
                .body()
                .path("online")
                .asBoolean());
      }
      JsonNode offline = alicePhone.next("presence");
      assertFalse(offline.path("online").asBoolean());
      assertTrue(offline.path("lastSeen").isTextual(), offline.toString());

      Api.Response asked = api.get("/api/v1/users/" + bob.userId() + "/presence", alice.token());
      assertEquals(200, asked.status());
      assertFalse(asked.body().path("online").asBoolean());
      assertEquals(offline.path("lastSeen").asText(), asked.text("lastSeen"));
      assertEquals(
          404, api.get("/api/v1/users/" + bob.userId() + "/presence", stranger.token()).status());
    }
  }
}
