package messenger.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import messenger.testing.Api;
import messenger.testing.Api.User;
import messenger.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Push and blocking over the real node: an offline blocker gets no push for the blocked user's
 * group message while an offline third member does (docs/protocol.md, "Blocking").
 */
@Timeout(120)
class BlockingPushIntegrationTest {

  private static Api api;

  @BeforeAll
  static void startServer() {
    api = new Api(TestServer.shared().httpPort());
  }

  private record Pushed(String path, JsonNode payload) {}

  @Test
  void anOfflineBlockerGetsNoPushForTheBlockedUsersMessageWhileAThirdMemberDoes() throws Exception {
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
                    "pushes",
                    "members",
                    List.of(alice.userId(), bob.userId())),
                carol.token())
            .text("conversationId");
    assertEquals(204, api.put("/api/v1/blocks/" + bob.userId(), Map.of(), alice.token()).status());
    try (PushReceiver pushService = PushReceiver.start()) {
      Browser aliceLaptop = new Browser();
      Browser carolLaptop = new Browser();
      register(alice, aliceLaptop.subscribe(pushService.endpoint("/p/alice")));
      register(carol, carolLaptop.subscribe(pushService.endpoint("/p/carol")));

      send(bob, group, "b-1", "from bob");
      // Carol, offline, is told of bob's message; then carol's own message is sent, which alice's
      // inbox hears of after bob's: her first push must be carol's, counting one unread.
      List<Pushed> pushes = new ArrayList<>();
      Pushed carols = null;
      while (carols == null) {
        Pushed next = take(pushService, Map.of("/p/alice", aliceLaptop, "/p/carol", carolLaptop));
        pushes.add(next);
        if (next.path().equals("/p/carol")) carols = next;
      }
      assertEquals("from bob", carols.payload().path("preview").asText());

      send(carol, group, "c-1", "from carol");
      Pushed alices = null;
      while (alices == null) {
        Pushed next = take(pushService, Map.of("/p/alice", aliceLaptop, "/p/carol", carolLaptop));
        pushes.add(next);
        if (next.path().equals("/p/alice")) alices = next;
      }
      assertEquals("from carol", alices.payload().path("preview").asText());
      assertEquals(1, alices.payload().path("unreadCount").asInt());
      for (Pushed push : pushes) {
        assertFalse(
            push.path().equals("/p/alice")
                && push.payload().path("preview").asText().equals("from bob"),
            "alice was pushed bob's message: " + pushes);
      }
    }
  }

  private static void register(User user, PushSubscription sub) {
    assertEquals(
        204,
        api.put(
                "/api/v1/devices/laptop/push",
                Map.of(
                    "kind",
                    "web-push",
                    "endpoint",
                    sub.endpoint(),
                    "keys",
                    Map.of("p256dh", sub.p256dh(), "auth", sub.auth()),
                    "previews",
                    true),
                user.token())
            .status());
  }

  private static void send(User sender, String conversation, String clientMsgId, String body) {
    assertEquals(
        201,
        api.post(
                "/api/v1/conversations/" + conversation + "/messages",
                Map.of("clientMsgId", clientMsgId, "body", body),
                sender.token())
            .status());
  }

  private static Pushed take(PushReceiver pushService, Map<String, Browser> browsers)
      throws Exception {
    PushReceiver.Received push = pushService.take();
    Browser browser = browsers.get(push.path());
    return new Pushed(push.path(), Api.JSON.readTree(browser.decrypt(push.body())));
  }
}
