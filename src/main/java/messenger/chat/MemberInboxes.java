package messenger.chat;

import akka.actor.typed.ActorRef;
import java.util.List;

/**
 * Where a conversation fans its messages out to: each member's inbox. Every call is answered with
 * an {@link InboxProgress} to {@code replyTo} (possibly never, if a message is lost: the caller
 * retries). Implementations must be idempotent per (conversation, seq) on the receiving side.
 */
public interface MemberInboxes {

  /**
   * Tell the member about the conversation, which its inbox holds from {@code fromSeq} on (a member
   * added later does not get what was said before); answered with progress {@code fromSeq - 1} or
   * more.
   */
  void join(String userId, ConversationInfo info, long fromSeq, ActorRef<InboxProgress> replyTo);

  /**
   * Offer consecutive messages; the inbox keeps those that follow its last seq and answers with its
   * progress. An empty list is a probe.
   */
  void append(
      String userId,
      String conversationId,
      List<ChatMessage> messages,
      ActorRef<InboxProgress> replyTo);

  /** Pass a notice on to the member's online devices; fire and forget, nothing is stored. */
  void relay(String userId, Notice notice);
}
