package messenger.delivery;

import java.time.Instant;
import messenger.CborSerializable;
import messenger.chat.ChatMessage;
import messenger.chat.ConversationInfo;
import messenger.chat.SystemChange;

/**
 * One conversation as its member's inbox sees it: where it stands and what was said last.
 *
 * @param unread messages from others since the user last caught up on this conversation: it drops
 *     to zero when a device acknowledges past the conversation's last entry or the user posts.
 *     Membership and title changes do not count.
 * @param left the user was removed from the group or left it (the inbox keeps what it received)
 * @param muted the user asked for no push notifications from this conversation
 */
public record ConversationSummary(
    ConversationInfo info,
    long lastSeq,
    long lastCursor,
    ConversationSummary.LastMessage last,
    int unread,
    boolean left,
    boolean muted)
    implements CborSerializable {

  private static final int PREVIEW_CHARS = 100;

  public record LastMessage(long seq, String senderId, String preview, Instant timestamp)
      implements CborSerializable {}

  /** A conversation the inbox holds from {@code fromSeq} on. */
  static ConversationSummary joined(ConversationInfo info, long fromSeq) {
    return new ConversationSummary(info, Math.max(0, fromSeq - 1), 0, null, 0, false, false);
  }

  /** Joined again after leaving: from {@code fromSeq} on, as a member again. */
  ConversationSummary rejoined(ConversationInfo newInfo, long fromSeq) {
    return new ConversationSummary(
        newInfo, Math.max(lastSeq, fromSeq - 1), lastCursor, last, unread, false, muted);
  }

  ConversationSummary append(String userId, long cursor, ChatMessage m) {
    if (m.isSystem()) {
      SystemChange change = m.change();
      ConversationInfo nextInfo =
          change.kind() == SystemChange.Kind.RENAMED ? info.withTitle(change.title()) : info;
      boolean nowLeft = change.removes(userId) || (left && !isAddOf(change, userId));
      return new ConversationSummary(nextInfo, m.seq(), cursor, last, unread, nowLeft, muted);
    }
    String body = m.body();
    String preview = body.length() <= PREVIEW_CHARS ? body : body.substring(0, PREVIEW_CHARS) + "…";
    boolean own = m.senderId().equals(userId);
    return new ConversationSummary(
        info,
        m.seq(),
        cursor,
        new LastMessage(m.seq(), m.senderId(), preview, m.timestamp()),
        own ? 0 : unread + 1,
        left,
        muted);
  }

  ConversationSummary read() {
    return new ConversationSummary(info, lastSeq, lastCursor, last, 0, left, muted);
  }

  ConversationSummary muted(boolean mute) {
    return new ConversationSummary(info, lastSeq, lastCursor, last, unread, left, mute);
  }

  Instant lastActivity() {
    return last == null ? info.createdAt() : last.timestamp();
  }

  private static boolean isAddOf(SystemChange change, String userId) {
    return change.kind() == SystemChange.Kind.MEMBER_ADDED && userId.equals(change.userId());
  }
}
