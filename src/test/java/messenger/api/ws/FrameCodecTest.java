package messenger.api.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import messenger.ErrorCode;
import messenger.chat.Notice;
import messenger.delivery.Session;
import org.junit.jupiter.api.Test;

/** The wire shape of the frames added with groups: typing, read, receipts, presence. */
class FrameCodecTest {

  private final FrameCodec codec = new FrameCodec(65536);

  @Test
  void typingAndReadFramesDecodeAndABadSeqIsABadFrame() {
    assertEquals(new ClientFrame.Typing("g-1"), codec.decode("{\"type\":\"typing\",\"conversationId\":\"g-1\"}"));
    assertEquals(
        new ClientFrame.Read("g-1", 7), codec.decode("{\"type\":\"read\",\"conversationId\":\"g-1\",\"seq\":7}"));
    BadFrame bad = assertThrows(BadFrame.class, () -> codec.decode("{\"type\":\"read\",\"conversationId\":\"g-1\",\"seq\":-1}"));
    assertEquals(ErrorCode.BAD_FRAME, bad.code);
  }

  @Test
  void noticesEncodeAsTheirFrames() {
    assertEquals(
        "{\"type\":\"typing\",\"conversationId\":\"g-1\",\"userId\":\"bob\"}",
        codec.encode(new Session.Told(new Notice.Typing("g-1", "bob"))));
    assertEquals(
        "{\"type\":\"receipt\",\"conversationId\":\"g-1\",\"userId\":\"bob\",\"kind\":\"read\",\"seq\":3}",
        codec.encode(new Session.Told(new Notice.Receipt("g-1", "bob", Notice.Kind.READ, 3))));
    assertEquals(
        "{\"type\":\"presence\",\"userId\":\"bob\",\"online\":false,\"lastSeen\":\"2026-11-28T10:00:00Z\"}",
        codec.encode(new Session.Told(new Notice.Presence("bob", false, Instant.parse("2026-11-28T10:00:00Z")))));
  }

  @Test
  void aBatchOfReceiptsEncodesAsOneReceiptsFrame() {
    List<Notice.Receipt> many =
        IntStream.rangeClosed(1, 20)
            .mapToObj(i -> new Notice.Receipt("g-1", "u" + i, Notice.Kind.DELIVERED, i))
            .toList();

    String frame = codec.encode(new Session.Told(new Notice.Receipts(many)));

    assertEquals(true, frame.startsWith("{\"type\":\"receipts\",\"items\":[{\"type\":\"receipt\",\"conversationId\":\"g-1\",\"userId\":\"u1\""), frame);
    assertEquals(20, frame.split("\"kind\":\"delivered\"").length - 1);
  }
}
