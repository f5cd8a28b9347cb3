package messenger.chat;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The last seq of conversations, read from storage without waking the conversations: an inbox that
 * lost what it heard in memory (its node restarted) learns where each of its conversations stands
 * with one small read each, instead of starting every conversation it is a member of.
 */
public interface ConversationHeads {

  /**
   * @param known for each conversation, a seq it is known to have reached (0 for "created"): the
   *     read starts there, so it stays one query however long the log
   * @return each conversation's last seq, never below what was known
   */
  CompletionStage<Map<String, Long>> lastSeqs(Map<String, Long> known);
}
