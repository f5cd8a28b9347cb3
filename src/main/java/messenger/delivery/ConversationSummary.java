package messenger.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import messenger.CborSerializable;
import messenger.chat.ChatMessage;
import messenger.chat.ConversationInfo;
import messenger.chat.SystemChange;

/**
 * One conversation as its member's inbox sees it: where it stands and what was said last.
 *
 * @param unread messages from others after the user's read marker ({@code readSeq}, set by a
 *     device's {@code read} frame, or by the user posting). Membership and title changes do not
 *     count.
 * @param unreadSeqs the seqs of the newest unread messages, at most {@link #UNREAD_KEPT}, so that a
 *     read marker in the middle can be counted exactly
 * @param deliveredSeq the last entry a device of the user has acknowledged
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
    boolean muted,
    long readSeq,
    long deliveredSeq,
    TreeSet<Long> unreadSeqs)
    implements CborSerializable {

  private static final int PREVIEW_CHARS = 100;
  static final int UNREAD_KEPT = 1000;

  public ConversationSummary {
    unreadSeqs = unreadSeqs == null ? new TreeSet<>() : unreadSeqs;
  }

  public record LastMessage(long seq, String senderId, String preview, Instant timestamp)
      implements CborSerializable {}

  /** A conversation the inbox holds from {@code fromSeq} on. */
  static ConversationSummary joined(ConversationInfo info, long fromSeq) {
    long before = Math.max(0, fromSeq - 1);
    return new ConversationSummary(info, before, 0, null, 0, false, false, before, before, null);
  }

  /** Joined again after leaving: from {@code fromSeq} on, as a member again. */
  ConversationSummary rejoined(ConversationInfo newInfo, long fromSeq) {
    long before = Math.max(lastSeq, fromSeq - 1);
    return new ConversationSummary(
        newInfo, before, lastCursor, last, 0, false, muted, before, before, null);
  }

  ConversationSummary append(String userId, long cursor, ChatMessage m) {
    if (m.isSystem()) {
      SystemChange change = m.change();
      ConversationInfo nextInfo =
          change.kind() == SystemChange.Kind.RENAMED ? info.withTitle(change.title()) : info;
      boolean nowLeft = change.removes(userId) || (left && !isAddOf(change, userId));
      return new ConversationSummary(
          nextInfo,
          m.seq(),
          cursor,
          last,
          unread,
          nowLeft,
          muted,
          readSeq,
          deliveredSeq,
          unreadSeqs);
    }
    String body = m.body();
    String preview = body.length() <= PREVIEW_CHARS ? body : body.substring(0, PREVIEW_CHARS) + "…";
    var lastMessage = new LastMessage(m.seq(), m.senderId(), preview, m.timestamp());
    if (m.senderId().equals(userId)) {
      // Posting shows the user has seen the conversation up to here.
      return new ConversationSummary(
          info, m.seq(), cursor, lastMessage, 0, left, muted, m.seq(), deliveredSeq, null);
    }
    TreeSet<Long> seqs = new TreeSet<>(unreadSeqs);
    seqs.add(m.seq());
    if (seqs.size() > UNREAD_KEPT) seqs.pollFirst();
    return new ConversationSummary(
        info, m.seq(), cursor, lastMessage, unread + 1, left, muted, readSeq, deliveredSeq, seqs);
  }

  /**
   * The messages of a delivery that follow on from what the inbox holds: redeliveries are dropped
   * and a gap ends the run, so that the conversation resends from the inbox's progress ({@code
   * lastSeq}: the last seq the inbox holds of the conversation, counting what a write in the making
   * adds).
   */
  static List<ChatMessage> following(long lastSeq, List<ChatMessage> messages) {
    List<ChatMessage> next = new ArrayList<>();
    long expected = lastSeq + 1;
    for (ChatMessage message : messages) {
      if (message.seq() < expected) continue;
      if (message.seq() > expected) break;
      next.add(message);
      expected++;
    }
    return next;
  }

  /** The user has read up to {@code seq} (on any device). */
  ConversationSummary readUpTo(long seq) {
    if (seq <= readSeq) return this;
    // Unread messages older than the kept seqs are older than any kept one: read with it.
    int older = unread - unreadSeqs.size();
    if (unreadSeqs.isEmpty() || seq >= unreadSeqs.first()) older = 0;
    TreeSet<Long> seqs = new TreeSet<>(unreadSeqs.tailSet(seq, false));
    return new ConversationSummary(
        info,
        lastSeq,
        lastCursor,
        last,
        older + seqs.size(),
        left,
        muted,
        seq,
        Math.max(deliveredSeq, seq),
        seqs);
  }

  /** A device holds every entry up to {@code seq}. */
  ConversationSummary deliveredUpTo(long seq) {
    if (seq <= deliveredSeq) return this;
    return new ConversationSummary(
        info, lastSeq, lastCursor, last, unread, left, muted, readSeq, seq, unreadSeqs);
  }

  ConversationSummary muted(boolean mute) {
    return new ConversationSummary(
        info, lastSeq, lastCursor, last, unread, left, mute, readSeq, deliveredSeq, unreadSeqs);
  }

  Instant lastActivity() {
    return last == null ? info.createdAt() : last.timestamp();
  }

  private static boolean isAddOf(SystemChange change, String userId) {
    return change.kind() == SystemChange.Kind.MEMBER_ADDED && userId.equals(change.userId());
  }
}
