package messenger.api.ws;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import messenger.chat.ChatMessage;
import messenger.delivery.InboxEntry;
import messenger.delivery.Outbound;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The WebSocket frame codec, per frame: what every send costs on the way in, and what every
 * acknowledgement and every pushed message costs on the way out.
 *
 * <p>In {@code messenger.api.ws} because {@link FrameCodec} is package-private.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class FrameCodecBenchmark {

  /** The size of a short chat message; the codec's cost grows with the body. */
  static final String BODY =
      "Running ten minutes late, the train stopped outside the station again. "
          + "Order for me if the waiter comes, the usual please!";

  static final String CONVERSATION_ID = "d-4b1c9a52-6f0e-5a3d-9c41-2f7d8e1b6a90";
  static final String SENDER_ID = "01938a6e-2f4b-7c1d-8e5a-3b9f0c2d4e61";
  static final String MESSAGE_ID = "01938a6e-9d02-7f3a-b4c5-6e7f8091a2b3";

  // The limit the server is configured with (messenger.http.max-body-bytes).
  private final FrameCodec codec = new FrameCodec(65536);

  private final String sendFrame =
      "{\"type\":\"send\",\"clientMsgId\":\"c-7f3a9e\",\"conversationId\":\""
          + CONVERSATION_ID
          + "\",\"body\":\""
          + BODY
          + "\"}";

  /** Cut off mid-value: the JSON parser fails, the usual kind of bad frame. */
  private final String malformedFrame =
      "{\"type\":\"send\",\"clientMsgId\":\"c-7f3a9e\",\"conversationId\":\"" + CONVERSATION_ID;

  private final Instant timestamp = Instant.parse("2026-11-28T10:15:30.123Z");

  private final Outbound.Sent sent =
      new Outbound.Sent("c-7f3a9e", MESSAGE_ID, CONVERSATION_ID, 42, timestamp);

  /** One live message pushed to a device: the frame every delivered message becomes. */
  private final Outbound.Messages oneMessage =
      new Outbound.Messages(
          List.of(
              new InboxEntry(
                  1234,
                  new ChatMessage(CONVERSATION_ID, 42, MESSAGE_ID, SENDER_ID, BODY, timestamp))),
          true);

  @Benchmark
  public ClientFrame decodeSend() {
    return codec.decode(sendFrame);
  }

  /** The error path; the handler answers with the encoded error, measured here too. */
  @Benchmark
  public String decodeMalformedAndAnswer() {
    try {
      codec.decode(malformedFrame);
      throw new IllegalStateException("the malformed frame was accepted");
    } catch (BadFrame bad) {
      return codec.encodeError(bad.code, bad.getMessage(), bad.ref);
    }
  }

  @Benchmark
  public String encodeSent() {
    return codec.encode(sent);
  }

  @Benchmark
  public String encodeOneMessage() {
    return codec.encode(oneMessage);
  }
}
