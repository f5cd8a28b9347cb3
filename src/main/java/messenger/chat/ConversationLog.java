package messenger.chat;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Reads a conversation's messages back from its event log by replay, for history pages and for
 * fan-out to members that fell behind what a conversation keeps in memory.
 */
public interface ConversationLog {

  /** Messages with {@code fromSeq <= seq <= toSeq}, in seq order. */
  CompletionStage<List<ChatMessage>> read(String conversationId, long fromSeq, long toSeq);
}
