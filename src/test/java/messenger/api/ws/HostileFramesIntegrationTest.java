package messenger.api.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import messenger.MessengerNode;
import messenger.testing.Api;
import messenger.testing.TestServer;
import messenger.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 10,000 random and mutated frames through one connection: each one the parser refuses is answered
 * with an error frame and a stable code, the connection keeps working, the node stays ready, and
 * the messages stored before are intact.
 */
@Timeout(300)
class HostileFramesIntegrationTest {

  private static final int FRAMES = 10_000;
  private static final Set<String> FRAME_CODES = Set.of("bad_frame", "unknown_type", "too_large");

  @Test
  void tenThousandHostileFramesGetErrorCodesAndHarmNothing() throws Exception {
    MessengerNode node = MessengerNode.start(TestServer.isolated("hostile", Map.of()));
    try {
      Api api = new Api(node.httpPort());
      Api.User alice = api.newUser("alice");
      Api.User bob = api.newUser("bob");
      String conversation = api.direct(alice, bob);
      WsClient ws = WsClient.connect(api.port(), alice.token(), "fuzz");
      List<String> before = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        before.add(
            ws.sendMessage(conversation, "before-" + i, "kept " + i).path("messageId").asText());
      }

      // The server's own parser says which frames it must refuse; the rest may be acted on.
      FrameCodec codec = new FrameCodec(65536);
      Random random = new Random(20261128);
      int refusals = 0;
      for (int i = 0; i < FRAMES; i++) {
        String frame = hostileFrame(random, conversation, i);
        try {
          codec.decode(frame);
        } catch (BadFrame expected) {
          refusals++;
        }
        ws.sendRaw(frame);
      }
      ws.send(
          Map.of(
              "type",
              "send",
              "conversationId",
              conversation,
              "clientMsgId",
              "after",
              "body",
              "still here"));
      List<JsonNode> answers =
          ws.framesUntil(
              f -> "after".equals(f.path("clientMsgId").asText(null)), Duration.ofMinutes(2));

      long frameErrors =
          answers.stream()
              .filter(f -> f.path("type").asText().equals("error"))
              .filter(f -> FRAME_CODES.contains(f.path("code").asText()))
              .count();
      assertEquals(refusals, frameErrors, "one error frame per refused frame");
      assertTrue(refusals > FRAMES / 2, "the generator mostly makes bad frames: " + refusals);
      assertEquals(
          "sent",
          answers.get(answers.size() - 1).path("type").asText(),
          "the connection still sends");
      assertTrue(ws.isOpen());
      assertEquals(200, api.get("/health/ready", null).status(), "the node is still ready");

      // What was stored before is intact: the first five messages are still seq 1-5, in order.
      JsonNode history =
          api.get("/api/v1/conversations/" + conversation + "/messages?limit=100", bob.token())
              .body();
      List<String> oldestFirst = new ArrayList<>();
      for (JsonNode message : history.path("messages"))
        oldestFirst.add(0, message.path("messageId").asText());
      assertEquals(before, oldestFirst.subList(0, 5), history::toString);
    } finally {
      node.stop();
    }
  }

  /** Random text, or a valid frame with a few characters inserted, deleted or replaced. */
  private static String hostileFrame(Random random, String conversation, int i) {
    if (random.nextInt(4) == 0) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(80);
      for (int c = 0; c < length; c++) text.append(PIECES[random.nextInt(PIECES.length)]);
      return text.toString();
    }
    String[] valid = {
      "{\"type\":\"send\",\"conversationId\":\""
          + conversation
          + "\",\"clientMsgId\":\"f"
          + i
          + "\",\"body\":\"fuzz\"}",
      "{\"type\":\"ack\",\"cursor\":1}",
      "{\"type\":\"typing\",\"conversationId\":\"" + conversation + "\"}",
      "{\"type\":\"read\",\"conversationId\":\"" + conversation + "\",\"seq\":1}",
      "{\"type\":\"sync\",\"after\":0}",
      "{\"type\":\"pong\"}"
    };
    StringBuilder text = new StringBuilder(valid[random.nextInt(valid.length)]);
    int edits = 1 + random.nextInt(4);
    for (int e = 0; e < edits; e++) {
      int at = random.nextInt(text.length());
      String piece = PIECES[random.nextInt(PIECES.length)];
      switch (random.nextInt(3)) {
        case 0 -> text.insert(at, piece);
        case 1 -> text.deleteCharAt(at);
        default -> text.replace(at, at + 1, piece);
      }
      if (text.length() == 0) text.append(piece);
    }
    return text.toString();
  }

  /**
   * What JSON cares about, and Unicode that must be refused or survive. Surrogates only as JSON
   * escapes: a WebSocket text frame must be UTF-8, so the client library refuses raw ones.
   */
  private static final String[] PIECES = {
    "{",
    "}",
    "[",
    "]",
    "\"",
    ":",
    ",",
    "\\",
    " ",
    "0",
    "9",
    "-",
    ".",
    "e",
    "true",
    "null",
    "\\u0000",
    "\\ud800",
    "\\udc00",
    "\u202e",
    "\u0301",
    "\\ud83d\\ude00",
    "type",
    "send",
    "body",
    "\\n"
  };
}
