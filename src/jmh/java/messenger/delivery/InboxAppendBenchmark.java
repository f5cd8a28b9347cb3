package messenger.delivery;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import messenger.chat.ChatMessage;
import messenger.chat.ConversationInfo;
import messenger.chat.ConversationType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a user's inbox does for one message it hears of: {@link InboxHeads#append}, the in-memory
 * move of the conversation's summary (nothing is written), without an actor. A group post to N
 * members costs this N times. The user's number of conversations and the unread backlog of the one
 * appended to are parameters.
 *
 * <p>Every run appends the next seq to a fresh copy of the same heads, so each operation is one
 * append to an inbox of the given shape. {@link #appendOwn} is the sender's own inbox.
 *
 * <p>In {@code messenger.delivery} because the inbox's classes are package-private.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class InboxAppendBenchmark {

  private static final String ME = "01938a6e-2f4b-7c1d-8e5a-3b9f0c2d4e61";
  private static final String BODY =
      "Running ten minutes late, the train stopped outside the station again. "
          + "Order for me if the waiter comes, the usual please!";
  private static final Instant CREATED = Instant.parse("2026-11-01T09:00:00Z");

  /** How many conversations the user has. */
  @Param({"10", "1000"})
  public int conversations;

  /** How many unread messages the conversation being appended to already holds. */
  @Param({"0", "1000"})
  public int unread;

  private Map<String, ConversationSummary> built;
  private InboxHeads heads;
  private List<ChatMessage> fromOther;
  private List<ChatMessage> own;

  @Setup(Level.Trial)
  public void buildInbox() {
    Map<String, ConversationSummary> summaries = new HashMap<>();
    for (int i = 0; i < conversations; i++) {
      var info =
          new ConversationInfo(
              conversationId(i), ConversationType.DIRECT, List.of(ME, other(i)), CREATED);
      var summary = ConversationSummary.joined(info, 1);
      // Every other conversation has a last message, as in a used inbox.
      if (i > 0) summary = summary.append(ME, message(i, 1, other(i)));
      summaries.put(conversationId(i), summary);
    }
    var first = summaries.get(conversationId(0));
    for (int seq = 1; seq <= unread; seq++) first = first.append(ME, message(0, seq, other(0)));
    summaries.put(conversationId(0), first);
    built = Map.copyOf(summaries);
    fromOther = List.of(message(0, unread + 1, other(0)));
    own = List.of(message(0, unread + 1, ME));
  }

  @Setup(Level.Invocation)
  public void freshHeads() {
    heads = new InboxHeads(ME);
    heads.recovered(built, true);
  }

  @Benchmark
  public List<ChatMessage> appendFromOther() {
    return heads.append(conversationId(0), fromOther);
  }

  @Benchmark
  public List<ChatMessage> appendOwn() {
    return heads.append(conversationId(0), own);
  }

  private static ChatMessage message(int conversation, long seq, String senderId) {
    return new ChatMessage(
        conversationId(conversation),
        seq,
        "01938a6e-9d02-7f3a-b4c5-" + String.format("%012x", seq),
        senderId,
        BODY,
        CREATED.plusSeconds(seq));
  }

  private static String conversationId(int i) {
    return "d-4b1c9a52-6f0e-5a3d-9c41-" + String.format("%012x", i);
  }

  private static String other(int i) {
    return "01938a6e-0000-7000-8000-" + String.format("%012x", i);
  }
}
