package messenger.api.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import messenger.ErrorCode;
import messenger.chat.Attachment;
import messenger.chat.Notice;
import messenger.delivery.Outbound;
import messenger.delivery.SendPort;
import org.junit.jupiter.api.Test;

/** The wire shape of frames: typing, read, receipts, presence, errors; every session output. */
class FrameCodecTest {

  private final FrameCodec codec = new FrameCodec(65536);

  @Test
  void typingAndReadFramesDecodeAndABadSeqIsABadFrame() {
    assertEquals(
        new ClientFrame.Typing("g-1"),
        codec.decode("{\"type\":\"typing\",\"conversationId\":\"g-1\"}"));
    assertEquals(
        new ClientFrame.Read("g-1", 7),
        codec.decode("{\"type\":\"read\",\"conversationId\":\"g-1\",\"seq\":7}"));
    BadFrame bad =
        assertThrows(
            BadFrame.class,
            () -> codec.decode("{\"type\":\"read\",\"conversationId\":\"g-1\",\"seq\":-1}"));
    assertEquals(ErrorCode.BAD_FRAME, bad.code);
  }

  @Test
  void anAckCarriesACursorPositionsOrBoth() {
    assertEquals(new ClientFrame.Ack(7, Map.of()), codec.decode("{\"type\":\"ack\",\"cursor\":7}"));
    assertEquals(
        new ClientFrame.Ack(0, Map.of("g-1", 4L, "d-2", 0L)),
        codec.decode("{\"type\":\"ack\",\"positions\":{\"g-1\":4,\"d-2\":0}}"));
    assertEquals(
        new ClientFrame.Ack(7, Map.of("g-1", 4L)),
        codec.decode("{\"type\":\"ack\",\"cursor\":7,\"positions\":{\"g-1\":4}}"));
    assertThrows(BadFrame.class, () -> codec.decode("{\"type\":\"ack\"}"));
  }

  @Test
  void positionsThatAreNotConversationsToSeqsAreABadFrame() {
    String tooMany =
        IntStream.rangeClosed(0, FrameCodec.MAX_ACK_POSITIONS)
            .mapToObj(i -> "\"c" + i + "\":1")
            .collect(Collectors.joining(",", "{", "}"));
    for (String positions :
        List.of("[1]", "{\"g-1\":-1}", "{\"g-1\":1.5}", "{\"g-1\":\"4\"}", "{\"\":1}", tooMany)) {
      BadFrame bad =
          assertThrows(
              BadFrame.class,
              () -> codec.decode("{\"type\":\"ack\",\"positions\":" + positions + "}"),
              positions);
      assertEquals(ErrorCode.BAD_FRAME, bad.code);
    }
    assertEquals(
        "field `positions` must be an object of at most 1000 conversation ids (1-128 characters),"
            + " each to a non-negative seq",
        wording("{\"type\":\"ack\",\"positions\":[]}"));
  }

  @Test
  void noticesEncodeAsTheirFrames() {
    assertEquals(
        "{\"type\":\"typing\",\"conversationId\":\"g-1\",\"userId\":\"bob\"}",
        codec.encode("reader", new Outbound.Told(new Notice.Typing("g-1", "bob"))));
    assertEquals(
        "{\"type\":\"receipt\",\"conversationId\":\"g-1\",\"userId\":\"bob\",\"kind\":\"read\",\"seq\":3}",
        codec.encode(
            "reader", new Outbound.Told(new Notice.Receipt("g-1", "bob", Notice.Kind.READ, 3))));
    assertEquals(
        "{\"type\":\"presence\",\"userId\":\"bob\",\"online\":false,\"lastSeen\":\"2026-11-28T10:00:00Z\"}",
        codec.encode(
            "reader",
            new Outbound.Told(
                new Notice.Presence("bob", false, Instant.parse("2026-11-28T10:00:00Z")))));
  }

  @Test
  void aBatchOfReceiptsEncodesAsOneReceiptsFrame() {
    List<Notice.Receipt> many =
        IntStream.rangeClosed(1, 20)
            .mapToObj(i -> new Notice.Receipt("g-1", "u" + i, Notice.Kind.DELIVERED, i))
            .toList();

    String frame = codec.encode("reader", new Outbound.Told(new Notice.Receipts(many)));

    assertEquals(
        true,
        frame.startsWith(
            "{\"type\":\"receipts\",\"items\":[{\"type\":\"receipt\",\"conversationId\":\"g-1\",\"userId\":\"u1\""),
        frame);
    assertEquals(20, frame.split("\"kind\":\"delivered\"").length - 1);
  }

  @Test
  void everyKindOfSessionOutputEncodesAsItsOwnFrame() {
    Map<Class<?>, Object> samples =
        Map.of(
            Outbound.Messages.class, new Outbound.Messages(List.of(), true),
            Outbound.Sent.class, new Outbound.Sent("m-1", "id", "c-1", 1, Instant.EPOCH),
            Outbound.SendRefused.class,
                new Outbound.SendRefused(ErrorCode.NOT_MEMBER, "m-1", "c-1", null),
            Outbound.Failure.class, new Outbound.Failure(ErrorCode.REPLACED, null, null),
            Outbound.Pong.class, Outbound.Pong.INSTANCE,
            Outbound.Ping.class, Outbound.Ping.INSTANCE,
            Outbound.Told.class, new Outbound.Told(new Notice.Typing("c-1", "bob")));
    Map<Class<?>, String> types =
        Map.of(
            Outbound.Messages.class, "messages",
            Outbound.Sent.class, "sent",
            Outbound.SendRefused.class, "error",
            Outbound.Failure.class, "error",
            Outbound.Pong.class, "pong",
            Outbound.Ping.class, "ping",
            Outbound.Told.class, "typing");
    assertEquals(permitted(Outbound.class), samples.keySet(), "a sample of every Outbound");
    samples.forEach(
        (type, out) ->
            assertTrue(
                codec
                    .encode("reader", (Outbound) out)
                    .startsWith("{\"type\":\"" + types.get(type) + "\""),
                type.getSimpleName()));
  }

  @Test
  void everyKindOfNoticeEncodesAsItsOwnFrame() {
    Map<Class<?>, Notice> samples =
        Map.of(
            Notice.Typing.class, new Notice.Typing("c-1", "bob"),
            Notice.Receipt.class, new Notice.Receipt("c-1", "bob", Notice.Kind.READ, 1),
            Notice.Receipts.class, new Notice.Receipts(List.of()),
            Notice.Presence.class, new Notice.Presence("bob", true, null));
    Map<Class<?>, String> types =
        Map.of(
            Notice.Typing.class, "typing",
            Notice.Receipt.class, "receipt",
            Notice.Receipts.class, "receipts",
            Notice.Presence.class, "presence");
    assertEquals(permitted(Notice.class), samples.keySet(), "a sample of every Notice");
    samples.forEach(
        (type, notice) ->
            assertTrue(
                codec
                    .encode("reader", new Outbound.Told(notice))
                    .startsWith("{\"type\":\"" + types.get(type) + "\""),
                type.getSimpleName()));
  }

  @Test
  void aRefusedSendIsAnErrorFrameNamingTheConversationAndAnsweringTheClientMsgId() {
    assertEquals(
        "{\"type\":\"error\",\"code\":\"not_member\",\"message\":\"you are not a member of"
            + " conversation g-9\",\"ref\":\"m-1\"}",
        codec.encode("reader", new Outbound.SendRefused(ErrorCode.NOT_MEMBER, "m-1", "g-9", null)));
    assertEquals(
        "{\"type\":\"error\",\"code\":\"replaced\",\"message\":\"this device connected again"
            + " elsewhere\",\"ref\":null}",
        codec.encode("reader", new Outbound.Failure(ErrorCode.REPLACED, null, null)));
  }

  @Test
  void anOverloadedSendIsAnErrorFrameWithTheWaitInMillisecondsAndOtherErrorsHaveNoWait()
      throws Exception {
    var frame =
        messenger.api.http.Json.tree(
            codec.encode(
                "reader",
                new Outbound.SendRefused(
                    ErrorCode.OVERLOADED, "m-1", "d-1", messenger.ErrorDetail.retryAfter(1234))));
    assertEquals("error", frame.path("type").asText());
    assertEquals("overloaded", frame.path("code").asText());
    assertEquals("m-1", frame.path("ref").asText());
    assertEquals(1234, frame.path("retryAfterMs").asLong());
    assertEquals(
        "the server is at capacity; retry with the same clientMsgId in 1234 ms",
        frame.path("message").asText());
    assertTrue(
        !codec
            .encode("reader", new Outbound.SendRefused(ErrorCode.NOT_MEMBER, "m-1", "g-9", null))
            .contains("retryAfterMs"));
  }

  @Test
  void badFramesNameTheFieldOrRuleInTheWiresWords() {
    assertEquals("unknown frame type \"nope\"", wording("{\"type\":\"nope\"}"));
    assertEquals("frame must be a JSON object", wording("[1]"));
    assertEquals("frame is not valid JSON", wording("{"));
    assertEquals("field `type` must be a string", wording("{\"type\":1}"));
    assertEquals(
        "field `cursor` must be a non-negative integer",
        wording("{\"type\":\"ack\",\"cursor\":-1}"));
    assertEquals(
        "`body` is larger than 8 bytes (UTF-8)",
        wording(
            new FrameCodec(8),
            "{\"type\":\"send\",\"clientMsgId\":\"m\",\"conversationId\":\"c\",\"body\":\"123456789\"}"));
  }

  @Test
  void aSendMayCarryAttachmentsAndThenNeedsNoBodyButAMalformedListIsABadFrame() {
    String file =
        "{\"id\":\"up-1\",\"mime\":\"image/png\",\"size\":5,\"name\":\"a.png\","
            + "\"width\":2,\"height\":3}";
    var expected = new Attachment("up-1", "image/png", 5, "a.png", 2, 3, null);

    assertEquals(
        new ClientFrame.Send("m", "c", SendPort.Content.message("", List.of(expected))),
        codec.decode(
            "{\"type\":\"send\",\"clientMsgId\":\"m\",\"conversationId\":\"c\","
                + "\"attachments\":["
                + file
                + "]}"));
    assertEquals(
        new ClientFrame.Send("m", "c", SendPort.Content.message("look", List.of(expected))),
        codec.decode(
            "{\"type\":\"send\",\"clientMsgId\":\"m\",\"conversationId\":\"c\","
                + "\"body\":\"look\",\"attachments\":["
                + file
                + "]}"));
    BadFrame notAList =
        assertThrows(
            BadFrame.class,
            () ->
                codec.decode(
                    "{\"type\":\"send\",\"clientMsgId\":\"m\",\"conversationId\":\"c\","
                        + "\"attachments\":{\"id\":1}}"));
    assertEquals("m", notAList.ref);
    assertThrows(
        BadFrame.class,
        () ->
            codec.decode(
                "{\"type\":\"send\",\"clientMsgId\":\"m\",\"conversationId\":\"c\","
                    + "\"attachments\":[]}"),
        "no files and no body");
  }

  private String wording(String frame) {
    return wording(codec, frame);
  }

  private static String wording(FrameCodec codec, String frame) {
    BadFrame bad = assertThrows(BadFrame.class, () -> codec.decode(frame));
    return messenger.api.ErrorText.of(bad.code, bad.detail);
  }

  private static Set<Class<?>> permitted(Class<?> sealed) {
    return Arrays.stream(sealed.getPermittedSubclasses()).collect(Collectors.toSet());
  }
}
