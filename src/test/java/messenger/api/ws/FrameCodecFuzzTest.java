package messenger.api.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.Set;
import messenger.ErrorCode;
import messenger.UnicodeRules;
import messenger.api.http.Json;
import org.junit.jupiter.api.Test;

/**
 * Whatever a client sends, the frame parser either understands it or refuses it with one of its
 * stable codes; it never throws anything else (which would end the connection's stream). Inputs
 * come from fixed seeds, so a failure names a reproducible case.
 */
class FrameCodecFuzzTest {

  private static final Set<ErrorCode> FRAME_CODES =
      Set.of(ErrorCode.BAD_FRAME, ErrorCode.UNKNOWN_TYPE, ErrorCode.TOO_LARGE);
  private static final int MAX_BODY = 4096;
  private static final int TRIES = 5000;

  private final FrameCodec codec = new FrameCodec(MAX_BODY);

  @Test
  void anyTextDecodesOrIsRefusedWithAStableCode() {
    Random random = new Random(1);
    for (int i = 0; i < TRIES; i++) decodesOrRefuses(anyText(random, 300));
  }

  @Test
  void mutatedValidFramesDecodeOrAreRefusedWithAStableCode() {
    Random random = new Random(2);
    for (int i = 0; i < TRIES; i++) {
      decodesOrRefuses(mutate(VALID[random.nextInt(VALID.length)], 1 + random.nextInt(6), random));
    }
  }

  @Test
  void aSendWithAnyBodyDecodesToExactlyThatBodyUnlessTheUnicodeRulesRefuseIt() {
    Random random = new Random(3);
    int refused = 0;
    for (int i = 0; i < TRIES; i++) {
      String body = anyText(random, 500);
      if (body.isEmpty()) continue;
      String frame = send(body);
      if (UnicodeRules.problem(body) != null) {
        BadFrame refusal = refusal(frame);
        assertEquals(ErrorCode.BAD_FRAME, refusal.code);
        assertEquals("c1", refusal.ref, "the refusal names the send");
        refused++;
      } else {
        assertEquals(new ClientFrame.Send("c1", "g-1", body), codec.decode(frame), frame);
      }
    }
    assertTrue(refused > 0 && refused < TRIES, "the generator makes both kinds: " + refused);
  }

  @Test
  void unicodeEdgeCasesAreHandledDeliberately() {
    // An escaped lone surrogate and NUL are refused ...
    assertEquals(ErrorCode.BAD_FRAME, refusal(sendRaw("x\\ud800y")).code);
    assertEquals(ErrorCode.BAD_FRAME, refusal(sendRaw("x\\udc00")).code);
    assertEquals(ErrorCode.BAD_FRAME, refusal(sendRaw("a\\u0000b")).code);
    // ... as is one hidden in another field.
    assertEquals(
        ErrorCode.BAD_FRAME, refusal("{\"type\":\"typing\",\"conversationId\":\"\\ud83d\"}").code);
    // A right-to-left override, an emoji with its pair, and 2,000 combining marks are text.
    for (String body :
        new String[] {"\u202Egnp.exe", "\uD83D\uDE00 ok", "a" + "\u0301".repeat(2000)}) {
      assertEquals(new ClientFrame.Send("c1", "g-1", body), codec.decode(send(body)));
    }
    // 20,000 combining marks are 40,000 bytes of UTF-8: over this codec's 4,096, so too large.
    assertEquals(ErrorCode.TOO_LARGE, refusal(send("a" + "\u0301".repeat(20_000))).code);
  }

  private static final String[] VALID = {
    send("hello"),
    "{\"type\":\"ack\",\"cursor\":12}",
    "{\"type\":\"sync\",\"after\":0}",
    "{\"type\":\"ping\"}",
    "{\"type\":\"pong\"}",
    "{\"type\":\"typing\",\"conversationId\":\"g-1\"}",
    "{\"type\":\"read\",\"conversationId\":\"g-1\",\"seq\":3}"
  };

  /** Characters JSON cares about, and Unicode that must be refused or survive. */
  private static final String ALPHABET =
      "{}[]\":,\\ 0123456789-.eEtrufalsn\u0000\ud800\udc00\u202e\u0301\uffff";

  /** Mostly the alphabet above, sometimes any char at all (surrogates included). */
  private static String anyText(Random random, int maxLength) {
    int length = random.nextInt(maxLength + 1);
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append(
          random.nextInt(4) == 0
              ? (char) random.nextInt(Character.MAX_VALUE + 1)
              : ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return text.toString();
  }

  /** Inserts, deletes or replaces characters. */
  private static String mutate(String frame, int edits, Random random) {
    StringBuilder text = new StringBuilder(frame);
    for (int i = 0; i < edits; i++) {
      int at = text.length() == 0 ? 0 : random.nextInt(text.length());
      char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
      int kind = random.nextInt(3);
      if (kind == 0 || text.length() == 0) text.insert(at, c);
      else if (kind == 1) text.deleteCharAt(at);
      else text.setCharAt(at, c);
    }
    return text.toString();
  }

  private void decodesOrRefuses(String text) {
    try {
      assertNotNull(codec.decode(text), text);
    } catch (BadFrame refused) {
      assertTrue(FRAME_CODES.contains(refused.code), () -> refused.code + " for " + text);
    }
  }

  private BadFrame refusal(String frame) {
    try {
      ClientFrame decoded = codec.decode(frame);
      throw new AssertionError("accepted " + decoded);
    } catch (BadFrame refused) {
      return refused;
    }
  }

  private static String send(String body) {
    return "{\"type\":\"send\",\"conversationId\":\"g-1\",\"clientMsgId\":\"c1\",\"body\":"
        + Json.write(body)
        + "}";
  }

  /** A send whose body goes into the JSON as written, escapes included. */
  private static String sendRaw(String escapedBody) {
    return "{\"type\":\"send\",\"conversationId\":\"g-1\",\"clientMsgId\":\"c1\",\"body\":\""
        + escapedBody
        + "\"}";
  }
}
