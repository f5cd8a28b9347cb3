package messenger.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import messenger.chat.ChatMessage;
import messenger.chat.ConversationInfo;
import messenger.chat.ConversationType;
import org.junit.jupiter.api.Test;

/** What of a delivery a conversation's inbox summary takes: the run that follows on from it. */
class ConversationSummaryTest {

  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  /** Joined from seq 4 on: the inbox holds everything up to 3. */
  private static final ConversationSummary HOLDS_THREE =
      ConversationSummary.joined(
          new ConversationInfo("c-1", ConversationType.DIRECT, List.of("me", "bob"), T0), 4);

  private static List<ChatMessage> seqs(long... seqs) {
    return LongStream.of(seqs)
        .mapToObj(seq -> new ChatMessage("c-1", seq, "m-" + seq, "bob", "b", T0))
        .toList();
  }

  private static List<Long> seqsOf(List<ChatMessage> messages) {
    return messages.stream().map(ChatMessage::seq).toList();
  }

  @Test
  void redeliveriesAreDroppedAndTheNewPartKept() {
    assertEquals(
        List.of(4L, 5L),
        seqsOf(ConversationSummary.following(HOLDS_THREE.lastSeq(), seqs(2, 3, 4, 5))));
  }

  @Test
  void aGapEndsTheRun() {
    assertEquals(
        List.of(4L), seqsOf(ConversationSummary.following(HOLDS_THREE.lastSeq(), seqs(4, 6, 7))));
    assertEquals(
        List.of(), seqsOf(ConversationSummary.following(HOLDS_THREE.lastSeq(), seqs(5, 6))));
  }

  @Test
  void whatIsHeldAlreadyIsNothingNew() {
    assertEquals(
        List.of(), seqsOf(ConversationSummary.following(HOLDS_THREE.lastSeq(), seqs(1, 2, 3))));
  }
}
