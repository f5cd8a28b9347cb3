package messenger.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import messenger.chat.ChatMessage;
import messenger.chat.ConversationInfo;
import messenger.chat.ConversationType;
import messenger.chat.InboxProgress;
import org.junit.jupiter.api.Test;

class AppendBatchTest {

  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  private static final String USER = "u-1";

  private static UserInbox.State joinedTo(String... conversationIds) {
    UserInbox.State state = UserInbox.State.empty();
    for (String id : conversationIds) {
      var info = new ConversationInfo(id, ConversationType.DIRECT, List.of(USER, "bob"), T0);
      state = InboxStateChanges.joined(state, new UserInbox.ConversationJoined(USER, info, 1));
    }
    return state;
  }

  private static ChatMessage message(String conversationId, long seq) {
    return new ChatMessage(conversationId, seq, "m-" + seq, "bob", "body", T0);
  }

  private static UserInbox.Append append(String conversationId, long... seqs) {
    List<ChatMessage> messages =
        java.util.Arrays.stream(seqs).mapToObj(seq -> message(conversationId, seq)).toList();
    return new UserInbox.Append(conversationId, messages, null);
  }

  private static List<Long> lastSeqs(AppendBatch.Write write) {
    return write.answers().stream().map(a -> a.progress().lastSeq()).toList();
  }

  @Test
  void appendsOfSeveralConversationsGetDenseCursorsInArrivalOrder() {
    var batch = new AppendBatch();
    batch.add(append("c-1", 1, 2));
    batch.add(append("c-2", 1));
    batch.add(append("c-1", 3));
    assertEquals(4, batch.messages());

    var write = batch.take(USER, joinedTo("c-1", "c-2"));

    assertEquals(List.of(1L, 2L, 3L, 4L), write.events().stream().map(e -> e.cursor()).toList());
    assertEquals(
        List.of(1L, 2L, 3L, 4L), write.entries().stream().map(InboxEntry::cursor).toList());
    assertEquals(
        List.of("c-1", "c-2", "c-1"),
        write.deliveries().stream().map(d -> d.conversationId()).toList());
    assertEquals(List.of(2L, 1L, 3L), lastSeqs(write));
    assertTrue(batch.isEmpty());
    assertEquals(0, batch.messages());
  }

  @Test
  void cursorsContinueFromWhatTheInboxHolds() {
    UserInbox.State state = joinedTo("c-1");
    state =
        InboxStateChanges.appended(
            state, new UserInbox.MessageAppended(USER, 1, message("c-1", 1)));
    var batch = new AppendBatch();
    batch.add(append("c-1", 1, 2));

    var write = batch.take(USER, state);

    assertEquals(List.of(2L), write.events().stream().map(e -> e.cursor()).toList());
    assertEquals(2L, write.events().get(0).message().seq());
    assertEquals(List.of(2L), lastSeqs(write));
  }

  @Test
  void aRepeatOrAnOverlapInTheSameWriteAppendsOnlyWhatIsNewAndAGapNothing() {
    var batch = new AppendBatch();
    batch.add(append("c-1", 1, 2));
    batch.add(append("c-1", 1, 2));
    batch.add(append("c-1", 2, 3));
    batch.add(append("c-1", 5));

    var write = batch.take(USER, joinedTo("c-1"));

    assertEquals(List.of(1L, 2L, 3L), write.events().stream().map(e -> e.message().seq()).toList());
    assertEquals(List.of(2L, 2L, 3L, 3L), lastSeqs(write));
    assertEquals(2, write.deliveries().size(), "only appends that brought entries deliver");
  }

  @Test
  void anAppendForAConversationTheInboxDoesNotKnowIsAnsweredNotJoinedAndWritesNothing() {
    var batch = new AppendBatch();
    batch.add(append("c-9", 1));

    var write = batch.take(USER, joinedTo("c-1"));

    assertTrue(!write.hasEvents());
    assertEquals(List.of(InboxProgress.NOT_JOINED), lastSeqs(write));
  }
}
