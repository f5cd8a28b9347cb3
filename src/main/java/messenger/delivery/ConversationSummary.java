package messenger.delivery;

import java.time.Instant;
import messenger.CborSerializable;
import messenger.chat.ChatMessage;
import messenger.chat.ConversationInfo;

/**
 * One conversation as its member's inbox sees it: where it stands and what was said last.
 *
 * @param unread messages from others since the user last caught up on this conversation: it drops
 *     to zero when a device acknowledges past the conversation's last entry or the user posts.
 */
public record ConversationSummary(
    ConversationInfo info, long lastSeq, long lastCursor, ConversationSummary.LastMessage last, int unread)
    implements CborSerializable {

  private static final int PREVIEW_CHARS = 100;

  public record LastMessage(long seq, String senderId, String preview, Instant timestamp)
      implements CborSerializable {}

  static ConversationSummary joined(ConversationInfo info) {
    return new ConversationSummary(info, 0, 0, null, 0);
  }

  ConversationSummary append(String userId, long cursor, ChatMessage m) {
    String body = m.body();
    String preview = body.length() <= PREVIEW_CHARS ? body : body.substring(0, PREVIEW_CHARS) + "…";
    boolean own = m.senderId().equals(userId);
    return new ConversationSummary(
        info,
        m.seq(),
        cursor,
        new LastMessage(m.seq(), m.senderId(), preview, m.timestamp()),
        own ? 0 : unread + 1);
  }

  ConversationSummary read() {
    return new ConversationSummary(info, lastSeq, lastCursor, last, 0);
  }

  Instant lastActivity() {
    return last == null ? info.createdAt() : last.timestamp();
  }
}
