package messenger.delivery;

import java.time.Instant;
import java.util.List;
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
 * What a user's inbox does to its in-memory state for one appended message: exactly its event
 * handler for {@link UserInbox.MessageAppended}, {@code InboxStateChanges.appended(state, event)},
 * without an actor or a journal. The state is immutable, so every append copies the map of the
 * user's conversations and, for a message from someone else, the conversation's set of unread seqs:
 * both sizes are parameters.
 *
 * <p>Every run applies the event to the same state (the result is thrown away), so each operation
 * is one append to an inbox of the given shape. A 1:1 message is appended twice: to the sender's
 * inbox ({@link #appendOwn}) and to the recipient's ({@link #appendFromOther}).
 *
 * <p>In {@code messenger.delivery} because the state's handlers are package-private.
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

  /**
   * How many unread messages the conversation being appended to already holds (at most 1,000 are
   * kept).
   */
  @Param({"0", "1000"})
  public int unread;

  private UserInbox.State state;
  private UserInbox.MessageAppended fromOther;
  private UserInbox.MessageAppended own;

  @Setup(Level.Trial)
  public void buildInbox() {
    UserInbox.State s =
        UserInbox.State.empty()
            .counted()
            .registered(new UserInbox.UserRegistered(ME, "alice", "Alice", CREATED));
    for (int i = 0; i < conversations; i++) {
      var info =
          new ConversationInfo(
              conversationId(i), ConversationType.DIRECT, List.of(ME, other(i)), CREATED);
      s = InboxStateChanges.joined(s, new UserInbox.ConversationJoined(ME, info, 1));
    }
    // Every other conversation has a last message, as in a used inbox.
    for (int i = 1; i < conversations; i++) s = append(s, i, 1, other(i));
    for (int seq = 1; seq <= unread; seq++) s = append(s, 0, seq, other(0));
    // Every 64th cursor also copies the checkpoint map; measure the common case.
    if (s.lastCursor() % UserInbox.CHECKPOINT_EVERY == 0) s = append(s, 1, 2, ME);
    state = s;

    long seq = s.conversations().get(conversationId(0)).lastSeq() + 1;
    fromOther = appended(s.lastCursor() + 1, 0, seq, other(0));
    own = appended(s.lastCursor() + 1, 0, seq, ME);
    if (InboxStateChanges.appended(state, fromOther).conversations().get(conversationId(0)).unread()
        != unread + 1) {
      throw new IllegalStateException("the inbox was not built as intended");
    }
  }

  @Benchmark
  public UserInbox.State appendFromOther() {
    return InboxStateChanges.appended(state, fromOther);
  }

  @Benchmark
  public UserInbox.State appendOwn() {
    return InboxStateChanges.appended(state, own);
  }

  private static UserInbox.State append(
      UserInbox.State s, int conversation, long seq, String senderId) {
    return InboxStateChanges.appended(s, appended(s.lastCursor() + 1, conversation, seq, senderId));
  }

  private static UserInbox.MessageAppended appended(
      long cursor, int conversation, long seq, String senderId) {
    var message =
        new ChatMessage(
            conversationId(conversation),
            seq,
            "01938a6e-9d02-7f3a-b4c5-" + String.format("%012x", cursor),
            senderId,
            BODY,
            CREATED.plusSeconds(cursor));
    return new UserInbox.MessageAppended(ME, cursor, message);
  }

  private static String conversationId(int i) {
    return "d-4b1c9a52-6f0e-5a3d-9c41-" + String.format("%012x", i);
  }

  private static String other(int i) {
    return "01938a6e-0000-7000-8000-" + String.format("%012x", i);
  }
}
