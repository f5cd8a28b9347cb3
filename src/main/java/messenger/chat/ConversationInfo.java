package messenger.chat;

import java.time.Instant;
import java.util.List;
import messenger.CborSerializable;

/**
 * What a member's inbox needs to know about a conversation to list it. For a direct conversation
 * {@code members} are the two users; for a group it is empty (a group's roster lives only in the
 * conversation, so that a user in many large groups does not hold every roster) and {@code title}
 * names it.
 */
public record ConversationInfo(
    String conversationId,
    ConversationType type,
    List<String> members,
    Instant createdAt,
    String title)
    implements CborSerializable {

  public ConversationInfo {
    members = members == null ? List.of() : List.copyOf(members);
  }

  public ConversationInfo(
      String conversationId, ConversationType type, List<String> members, Instant createdAt) {
    this(conversationId, type, members, createdAt, null);
  }

  public ConversationInfo withTitle(String newTitle) {
    return new ConversationInfo(conversationId, type, members, createdAt, newTitle);
  }
}
