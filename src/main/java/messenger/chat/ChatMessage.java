package messenger.chat;

import java.time.Instant;
import java.util.List;
import messenger.CborSerializable;

/**
 * One entry of a conversation's log as the conversation ordered it: the unit of fan-out, inbox and
 * history. A user's message has a body and no {@code change}; a membership or title change of a
 * group has a {@code change} and an empty body. A message's {@code attachments} are references to
 * files in the object store, never the bytes; entries written before attachments existed read as
 * none.
 */
public record ChatMessage(
    String conversationId,
    long seq,
    String messageId,
    String senderId,
    String body,
    Instant timestamp,
    SystemChange change,
    List<Attachment> attachments)
    implements CborSerializable {

  public ChatMessage {
    attachments = attachments == null ? List.of() : List.copyOf(attachments);
  }

  public ChatMessage(
      String conversationId,
      long seq,
      String messageId,
      String senderId,
      String body,
      Instant timestamp,
      SystemChange change) {
    this(conversationId, seq, messageId, senderId, body, timestamp, change, List.of());
  }

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
