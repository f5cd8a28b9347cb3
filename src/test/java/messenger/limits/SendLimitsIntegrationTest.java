package messenger.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import messenger.MessengerNode;
import messenger.testing.Api;
import messenger.testing.Polling;
import messenger.testing.TestServer;
import messenger.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sending faster than messenger.limits allows is refused per message with {@code rate_limited},
 * never by closing the connection, and a refused message retried later is stored once; repeated
 * failed logins are refused the same way.
 */
class SendLimitsIntegrationTest {

  private static final java.util.concurrent.ExecutorService POSTERS =
      java.util.concurrent.Executors.newFixedThreadPool(30);
  private static MessengerNode node;
  private static Api api;

  @BeforeAll
  static void start() throws Exception {
    node =
        MessengerNode.start(
            TestServer.isolated(
                "limits",
                Map.of(
                    "messenger.limits.sends-per-second-per-connection", 5,
                    "messenger.limits.send-burst-per-connection", 5,
                    "messenger.limits.sends-per-second-per-user", 1,
                    "messenger.limits.send-burst-per-user", 8,
                    "messenger.limits.login-failures-per-account", 3,
                    "messenger.limits.conversations-per-hour-per-user", 3)));
    api = new Api(node.httpPort());
  }

  @AfterAll
  static void stop() throws Exception {
    POSTERS.shutdownNow();
    node.stop();
  }

  @Test
  void aConnectionSendingFasterThanItsLimitHasTheExcessRefusedAndItsRetriesStoredOnce() {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    String conversation = api.direct(alice, bob);
    WsClient sender = WsClient.connect(api.port(), alice.token(), "phone");
    sender.discard("messages");
    WsClient reader = WsClient.connect(api.port(), bob.token(), "phone");

    for (int i = 0; i < 20; i++) send(sender, conversation, "m" + i);
    List<String> refused = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      JsonNode answer = sender.answerTo("m" + i);
      if (answer.path("type").asText().equals("error")) {
        assertEquals("rate_limited", answer.path("code").asText(), answer::toString);
        refused.add("m" + i);
      }
    }
    assertTrue(refused.size() >= 10, () -> "only " + refused + " were refused");
    assertTrue(sender.isOpen(), "refusals leave the connection open");

    // The client retries each refused message until it is taken, as a real client backs off.
    for (String clientMsgId : refused) {
      Polling.until(
          Duration.ofSeconds(20),
          () -> {
            send(sender, conversation, clientMsgId);
            return sender.answerTo(clientMsgId).path("type").asText().equals("sent");
          },
          clientMsgId + " taken on retry");
    }
    List<String> bodies = reader.messages(20).bodies();
    assertEquals(20, bodies.stream().distinct().count(), bodies::toString);
    assertTrue(reader.noFrame("messages", Duration.ofMillis(500)), "nothing stored twice");
  }

  @Test
  void creatingMoreConversationsThanTheHourlyAllowanceIsRefusedButReopeningADirectOneIsNot() {
    Api.User spammer = api.newUser("spammer");
    Api.User friend = api.newUser("friend");
    String direct = api.direct(spammer, friend);
    for (int i = 0; i < 2; i++) {
      var group =
          api.post(
              "/api/v1/conversations",
              Map.of("type", "group", "title", "g" + i, "members", List.of(friend.userId())),
              spammer.token());
      assertEquals(201, group.status(), group::toString);
    }

    var fourth =
        api.post(
            "/api/v1/conversations",
            Map.of("type", "group", "title", "one too many", "members", List.of(friend.userId())),
            spammer.token());
    assertEquals(429, fourth.status(), fourth::toString);
    assertEquals("rate_limited", fourth.text("code"));
    var stranger = api.newUser("stranger");
    var directToStranger =
        api.post(
            "/api/v1/conversations",
            Map.of("type", "direct", "members", List.of(stranger.userId())),
            spammer.token());
    assertEquals(429, directToStranger.status(), directToStranger::toString);

    assertEquals(direct, api.direct(spammer, friend), "an existing direct conversation opens");
    assertEquals(
        201,
        api.post(
                "/api/v1/conversations",
                Map.of("type", "group", "title", "theirs", "members", List.of(spammer.userId())),
                friend.token())
            .status(),
        "other users are not held back");
  }

  @Test
  void aUsersConnectionsShareTheUserLimit() {
    Api.User carol = api.newUser("carol");
    Api.User dave = api.newUser("dave");
    String conversation = api.direct(carol, dave);
    WsClient phone = WsClient.connect(api.port(), carol.token(), "phone");
    WsClient laptop = WsClient.connect(api.port(), carol.token(), "laptop");

    // Each connection stays within its own burst of 5; together they exceed the user's 8.
    for (int i = 0; i < 5; i++) {
      send(phone, conversation, "p" + i);
      send(laptop, conversation, "l" + i);
    }
    int refused = 0;
    for (int i = 0; i < 5; i++) {
      if (phone.answerTo("p" + i).path("type").asText().equals("error")) refused++;
      if (laptop.answerTo("l" + i).path("type").asText().equals("error")) refused++;
    }
    assertTrue(refused >= 1, "ten sends in a burst of eight were all taken");
  }

  @Test
  void httpSendsCountAgainstTheUserLimitAndAreRefusedWith429() {
    Api.User erin = api.newUser("erin");
    Api.User frank = api.newUser("frank");
    String conversation = api.direct(erin, frank);

    // All at once, so the user's bucket (8, refilling 1 a second) cannot keep up however slow
    // the machine is.
    List<Api.Response> responses =
        java.util.stream.IntStream.range(0, 30)
            .mapToObj(
                i ->
                    java.util.concurrent.CompletableFuture.supplyAsync(
                        () ->
                            api.post(
                                "/api/v1/conversations/" + conversation + "/messages",
                                Map.of("clientMsgId", "h" + i, "body", "hello " + i),
                                erin.token()),
                        POSTERS))
            .toList()
            .stream()
            .map(java.util.concurrent.CompletableFuture::join)
            .toList();
    List<Integer> statuses = responses.stream().map(Api.Response::status).toList();
    Api.Response refusal =
        responses.stream().filter(r -> r.status() == 429).findFirst().orElse(null);
    assertTrue(refusal != null, () -> "no 429 among " + statuses);
    assertTrue(statuses.stream().allMatch(st -> st == 201 || st == 429), statuses::toString);
    assertEquals("rate_limited", refusal.text("code"));
  }

  @Test
  void repeatedFailedLoginsForANameAreRefusedWith429BeforeThePasswordIsChecked() {
    Api.User gina = api.newUser("gina");
    for (int i = 0; i < 3; i++) {
      assertEquals(
          401,
          api.post(
                  "/api/v1/tokens",
                  Map.of("username", gina.username(), "password", "wrong-" + i),
                  null)
              .status());
    }
    Api.Response locked =
        api.post(
            "/api/v1/tokens",
            Map.of("username", gina.username(), "password", "correct horse"),
            null);
    assertEquals(429, locked.status(), locked::toString);
    assertEquals("rate_limited", locked.text("code"));
  }

  private static void send(WsClient ws, String conversation, String clientMsgId) {
    ws.send(
        Map.of(
            "type",
            "send",
            "conversationId",
            conversation,
            "clientMsgId",
            clientMsgId,
            "body",
            "body of " + clientMsgId));
  }
}
