package messenger.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;
import messenger.testing.Api;
import messenger.testing.Api.User;
import messenger.testing.Polling;
import messenger.testing.TestServer;
import messenger.testing.WsClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The WebSocket protocol end to end: real server, real Cassandra, real WebSocket client. */
@Timeout(180)
class WebSocketIntegrationTest {

  private static Api api;

  @BeforeAll
  static void startServer() {
    api = new Api(TestServer.shared().httpPort());
  }

  private static WsClient connect(User user, String deviceId) {
    return WsClient.connect(api.port(), user.token(), deviceId);
  }

  @Test
  void liveMessageReachesTheRecipientAndEverySenderDevice() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    String conversation = api.direct(alice, bob);
    try (WsClient alicePhone = connect(alice, "phone");
        WsClient aliceLaptop = connect(alice, "laptop");
        WsClient bobPhone = connect(bob, "phone")) {
      JsonNode sent = alicePhone.sendMessage(conversation, "c-1", "hello bob");
      assertEquals(1, sent.path("seq").asLong());
      assertEquals(conversation, sent.path("conversationId").asText());
      String messageId = sent.path("messageId").asText();

      for (WsClient device : List.of(bobPhone, aliceLaptop, alicePhone)) {
        JsonNode item = device.messages(1).items().get(0);
        assertEquals(messageId, item.path("messageId").asText());
        assertEquals("hello bob", item.path("body").asText());
        assertEquals(alice.userId(), item.path("senderId").asText());
        assertEquals(1, item.path("seq").asLong());
      }
      assertTrue(bobPhone.noFrame("messages", Duration.ofMillis(500)), "delivered once");
    }
  }

  @Test
  void offlineDeviceGetsEverythingItMissedInOrderExactlyOnce() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    String conversation = api.direct(alice, bob);
    try (WsClient alicePhone = connect(alice, "phone")) {
      for (int i = 0; i < 20; i++) alicePhone.sendMessage(conversation, "m-" + i, "message " + i);
    }
    List<String> expected = IntStream.range(0, 20).mapToObj(i -> "message " + i).toList();

    long cursor;
    try (WsClient bobPhone = connect(bob, "phone")) {
      WsClient.Received received = bobPhone.messages(20);
      assertEquals(expected, received.bodies());
      assertSeqsIncreaseByOne(received.items(), 1);
      assertTrue(bobPhone.noFrame("messages", Duration.ofMillis(500)), "nothing twice");
      cursor = received.lastCursor();
      bobPhone.ack(cursor);
      awaitAcked(bob, "phone", cursor);
    }

    try (WsClient alicePhone = connect(alice, "phone")) {
      for (int i = 20; i < 25; i++) alicePhone.sendMessage(conversation, "m-" + i, "message " + i);
    }
    try (WsClient bobPhone = connect(bob, "phone")) {
      WsClient.Received received = bobPhone.messages(5);
      assertEquals(
          IntStream.range(20, 25).mapToObj(i -> "message " + i).toList(), received.bodies());
      assertEquals(cursor + 1, received.items().get(0).path("cursor").asLong());
      assertTrue(bobPhone.noFrame("messages", Duration.ofMillis(500)));
    }
  }

  @Test
  void aDeviceThatAcksByPositionsIsNotSentAgainWhatItHolds() {
    User alice = api.newUser("alice");
    User carol = api.newUser("carol");
    User bob = api.newUser("bob");
    String fromAlice = api.direct(alice, bob);
    String fromCarol = api.direct(carol, bob);
    try (WsClient alicePhone = connect(alice, "phone")) {
      for (int i = 1; i <= 3; i++) alicePhone.sendMessage(fromAlice, "a-" + i, "alice " + i);
    }
    try (WsClient carolPhone = connect(carol, "phone")) {
      for (int i = 1; i <= 2; i++) carolPhone.sendMessage(fromCarol, "c-" + i, "carol " + i);
    }
    awaitInboxLastSeq(bob, fromCarol, 2);

    try (WsClient bobPhone = connect(bob, "phone")) {
      WsClient.Received first = bobPhone.messages(5);
      // Each conversation in seq order; conversations may interleave.
      assertEquals(List.of("alice 1", "alice 2", "alice 3"), bodiesIn(first, fromAlice));
      assertEquals(List.of("carol 1", "carol 2"), bodiesIn(first, fromCarol));
      bobPhone.send(Map.of("type", "ack", "positions", Map.of(fromAlice, 3)));
      awaitDelivered(bob, fromAlice, 3);
    }
    try (WsClient bobPhone = connect(bob, "phone")) {
      assertEquals(List.of("carol 1", "carol 2"), bobPhone.messages(2).bodies());
      bobPhone.send(Map.of("type", "ack", "positions", Map.of(fromCarol, 2)));
      awaitDelivered(bob, fromCarol, 2);
    }
    try (WsClient bobPhone = connect(bob, "phone")) {
      assertTrue(bobPhone.noFrame("messages", Duration.ofMillis(500)), "everything was acked");
    }
  }

  @Test
  void unacknowledgedMessagesAreSentAgainOnReconnect() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    String conversation = api.direct(alice, bob);
    try (WsClient alicePhone = connect(alice, "phone")) {
      alicePhone.sendMessage(conversation, "u-1", "one");
      alicePhone.sendMessage(conversation, "u-2", "two");
    }
    try (WsClient bobPhone = connect(bob, "phone")) {
      assertEquals(List.of("one", "two"), bobPhone.messages(2).bodies());
    }
    try (WsClient bobPhone = connect(bob, "phone")) {
      assertEquals(List.of("one", "two"), bobPhone.messages(2).bodies());
    }
  }

  @Test
  void twoHundredFiftyMissedMessagesArriveInThreeBatchesOfAtMostOneHundred() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    String conversation = api.direct(alice, bob);
    try (WsClient alicePhone = connect(alice, "phone")) {
      sendPipelined(alicePhone, conversation, 0, 250);
    }
    awaitInboxLastSeq(bob, conversation, 250);

    try (WsClient bobPhone = connect(bob, "phone")) {
      WsClient.Received received = bobPhone.messages(250);
      assertEquals(List.of(100, 100, 50), received.batchSizes());
      assertEquals(IntStream.range(0, 250).mapToObj(i -> "batch " + i).toList(), received.bodies());
      assertSeqsIncreaseByOne(received.items(), 1);
    }
  }

  @Test
  void messagesSentDuringACatchUpArriveOnceAndInOrderAfterIt() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    String conversation = api.direct(alice, bob);
    try (WsClient alicePhone = connect(alice, "phone")) {
      sendPipelined(alicePhone, conversation, 0, 500);
      awaitInboxLastSeq(bob, conversation, 500);
      try (WsClient bobPhone = connect(bob, "phone")) {
        sendPipelined(alicePhone, conversation, 500, 800);
        WsClient.Received received = bobPhone.messages(800);
        assertEquals(
            IntStream.range(0, 800).mapToObj(i -> "batch " + i).toList(), received.bodies());
        assertSeqsIncreaseByOne(received.items(), 1);
        assertTrue(received.batchSizes().stream().allMatch(size -> size <= 100));
        assertTrue(bobPhone.noFrame("messages", Duration.ofMillis(500)), "nothing twice");
      }
    }
  }

  private static void sendPipelined(WsClient sender, String conversation, int from, int to) {
    for (int i = from; i < to; i++) {
      sender.send(
          Map.of(
              "type",
              "send",
              "conversationId",
              conversation,
              "clientMsgId",
              "b-" + i,
              "body",
              "batch " + i));
    }
    for (int i = from; i < to; i++) sender.next("sent");
  }

  @Test
  void aRetriedSendGetsTheSameAnswerAndNoDuplicate() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    String conversation = api.direct(alice, bob);
    try (WsClient alicePhone = connect(alice, "phone");
        WsClient bobPhone = connect(bob, "phone")) {
      JsonNode first = alicePhone.sendMessage(conversation, "retry-1", "only once");
      JsonNode second = alicePhone.sendMessage(conversation, "retry-1", "only once");
      assertEquals(first.path("messageId"), second.path("messageId"));
      assertEquals(first.path("seq"), second.path("seq"));
      assertEquals(first.path("timestamp"), second.path("timestamp"));

      assertEquals(List.of("only once"), bobPhone.messages(1).bodies());
      assertTrue(bobPhone.noFrame("messages", Duration.ofSeconds(1)), "no duplicate delivered");
    }
  }

  @Test
  void syncResendsEverythingAfterTheAcknowledgedPositions() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    String conversation = api.direct(alice, bob);
    try (WsClient alicePhone = connect(alice, "phone")) {
      for (int i = 1; i <= 5; i++) alicePhone.sendMessage(conversation, "s-" + i, "s" + i);
    }
    try (WsClient bobPhone = connect(bob, "phone")) {
      assertEquals(List.of("s1", "s2", "s3", "s4", "s5"), bobPhone.messages(5).bodies());
      bobPhone.send(Map.of("type", "ack", "positions", Map.of(conversation, 2)));
      awaitDelivered(bob, conversation, 2);
      // The `after` of before positions is accepted and means nothing now.
      bobPhone.send(Map.of("type", "sync", "after", 4));
      assertEquals(List.of("s3", "s4", "s5"), bobPhone.messages(3).bodies());
    }
  }

  @Test
  void badFramesGetStableErrorCodesAndTheConnectionKeepsWorking() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    User carol = api.newUser("carol");
    String conversation = api.direct(alice, bob);
    try (WsClient carolPhone = connect(carol, "phone")) {
      carolPhone.sendRaw("this is not json");
      assertEquals("bad_frame", carolPhone.next("error").path("code").asText());

      carolPhone.sendRaw("[1,2,3]");
      assertEquals("bad_frame", carolPhone.next("error").path("code").asText());

      carolPhone.send(Map.of("type", "teleport"));
      assertEquals("unknown_type", carolPhone.next("error").path("code").asText());

      carolPhone.send(Map.of("type", "send", "conversationId", conversation, "body", "no id"));
      assertEquals("bad_frame", carolPhone.next("error").path("code").asText());

      carolPhone.send(Map.of("type", "ack", "cursor", -1));
      assertEquals("bad_frame", carolPhone.next("error").path("code").asText());

      carolPhone.send(
          Map.of(
              "type",
              "send",
              "conversationId",
              conversation,
              "clientMsgId",
              "big",
              "body",
              "x".repeat(65_537)));
      JsonNode tooLarge = carolPhone.next("error");
      assertEquals("too_large", tooLarge.path("code").asText());
      assertEquals("big", tooLarge.path("ref").asText());

      carolPhone.send(
          Map.of(
              "type",
              "send",
              "conversationId",
              conversation,
              "clientMsgId",
              "intrude",
              "body",
              "hi"));
      JsonNode notMember = carolPhone.next("error");
      assertEquals("not_member", notMember.path("code").asText());
      assertEquals("intrude", notMember.path("ref").asText());

      carolPhone.send(
          Map.of(
              "type",
              "send",
              "conversationId",
              "d-no-such-conversation",
              "clientMsgId",
              "lost",
              "body",
              "hi"));
      assertEquals("not_found", carolPhone.next("error").path("code").asText());

      carolPhone.send(Map.of("type", "ping"));
      carolPhone.next("pong");
      assertTrue(carolPhone.isOpen());
    }
    try (WsClient bobPhone = connect(bob, "phone")) {
      assertTrue(
          bobPhone.noFrame("messages", Duration.ofMillis(500)), "carol's attempt reached nobody");
    }
  }

  @Test
  void aNewConnectionOfTheSameDeviceReplacesTheOldOne() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    String conversation = api.direct(alice, bob);
    try (WsClient stale = connect(bob, "phone")) {
      stale.send(Map.of("type", "ping"));
      stale.next("pong");
      try (WsClient fresh = connect(bob, "phone");
          WsClient alicePhone = connect(alice, "phone")) {
        assertEquals("replaced", stale.next("error").path("code").asText());
        Polling.until(Duration.ofSeconds(10), () -> !stale.isOpen(), "the old connection closes");
        alicePhone.sendMessage(conversation, "r-1", "to the new connection");
        assertEquals(List.of("to the new connection"), fresh.messages(1).bodies());
      }
    }
  }

  @Test
  void aHandshakeWithoutAValidTokenIsRefusedWith401() {
    var failure =
        assertThrows(
            CompletionException.class,
            () ->
                HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .header("Authorization", "Bearer not-a-token")
                    .buildAsync(
                        URI.create("ws://127.0.0.1:" + api.port() + "/api/v1/ws?deviceId=x"),
                        new WebSocket.Listener() {})
                    .join());
    var handshake = assertInstanceOf(WebSocketHandshakeException.class, failure.getCause());
    assertEquals(401, handshake.getResponse().statusCode());
  }

  @Test
  void aMissingDeviceIdIsRefusedWith400() {
    User alice = api.newUser("alice");
    var failure =
        assertThrows(
            CompletionException.class,
            () ->
                HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .header("Authorization", "Bearer " + alice.token())
                    .buildAsync(
                        URI.create("ws://127.0.0.1:" + api.port() + "/api/v1/ws"),
                        new WebSocket.Listener() {})
                    .join());
    var handshake = assertInstanceOf(WebSocketHandshakeException.class, failure.getCause());
    assertEquals(400, handshake.getResponse().statusCode());
  }

  @Test
  void aBrowserMayPassTheTokenAsAQueryParameter() throws Exception {
    User alice = api.newUser("alice");
    var socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(
                URI.create(
                    "ws://127.0.0.1:"
                        + api.port()
                        + "/api/v1/ws?deviceId=web&access_token="
                        + alice.token()),
                new WebSocket.Listener() {})
            .join();
    assertFalse(socket.isInputClosed());
    socket.abort();
  }

  private static void assertSeqsIncreaseByOne(List<JsonNode> items, long firstSeq) {
    List<Long> seqs = new ArrayList<>();
    items.forEach(i -> seqs.add(i.path("seq").asLong()));
    List<Long> expected = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) expected.add(firstSeq + i);
    assertEquals(expected, seqs);
  }

  /** Polls the user's conversation list until the inbox holds {@code seq} of the conversation. */
  private static void awaitInboxLastSeq(User user, String conversation, long seq) {
    Polling.until(
        Duration.ofSeconds(30),
        () -> conversationEntry(user, conversation).path("lastSeq").asLong() >= seq,
        "inbox of " + user.username() + " reaches seq " + seq);
  }

  private static void awaitAcked(User user, String deviceId, long cursor) {
    Polling.until(
        Duration.ofSeconds(30),
        () -> api.device(user, deviceId).path("ackedCursor").asLong() >= cursor,
        "ack of " + user.username() + " is stored");
  }

  /** Waits until the conversation's receipts show the user's device holds it up to {@code seq}. */
  private static void awaitDelivered(User user, String conversation, long seq) {
    Polling.until(
        Duration.ofSeconds(30),
        () -> {
          JsonNode members =
              api.get("/api/v1/conversations/" + conversation + "/receipts", user.token())
                  .body()
                  .path("members");
          for (JsonNode member : members) {
            if (member.path("userId").asText().equals(user.userId())) {
              return member.path("deliveredSeq").asLong() >= seq;
            }
          }
          return false;
        },
        "ack of " + user.username() + " is taken");
  }

  private static List<String> bodiesIn(WsClient.Received received, String conversation) {
    return received.items().stream()
        .filter(item -> item.path("conversationId").asText().equals(conversation))
        .map(item -> item.path("body").asText())
        .toList();
  }

  private static JsonNode conversationEntry(User user, String conversation) {
    return api.conversationEntry(user, conversation);
  }
}
