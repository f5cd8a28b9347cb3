package messenger.chat;

import java.time.Instant;
import messenger.CborSerializable;

/**
 * One entry of a conversation's log as the conversation ordered it: the unit of fan-out, inbox and
 * history. A user's message has a body and no {@code change}; a membership or title change of a
 * group has a {@code change} and an empty body.
 */
public record ChatMessage(
    String conversationId,
    long seq,
    String messageId,
    String senderId,
    String body,
    Instant timestamp,
    SystemChange change)
    implements CborSerializable {

  public ChatMessage(
      String conversationId,
      long seq,
      String messageId,
      String senderId,
      String body,
      Instant timestamp) {
    this(conversationId, seq, messageId, senderId, body, timestamp, null);
  }

  public boolean isSystem() {
    return change != null;
  }
}
