package messenger.chat;

import java.time.Instant;
import java.util.List;
import messenger.CborSerializable;

/** What a member needs to know about a conversation to list it. */
public record ConversationInfo(
    String conversationId, ConversationType type, List<String> members, Instant createdAt)
    implements CborSerializable {

  public ConversationInfo {
    members = List.copyOf(members);
  }

  public boolean isMember(String userId) {
    return members.contains(userId);
  }
}
