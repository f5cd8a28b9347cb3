package messenger.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import messenger.CborSerializable;
import messenger.chat.Amendment;
import messenger.chat.ChatMessage;
import messenger.chat.ConversationInfo;
import messenger.chat.SystemChange;

/**
 * One conversation as its member's inbox sees it: where it stands and what was said last. The
 * conversation's log holds the messages; this is the inbox's view of it, moved in memory by every
 * message that reaches the inbox ({@link InboxHeads}) and written coalesced.
 *
 * @param lastSeq the last seq the inbox has heard of (its head)
 * @param lastCursor the inbox cursor of the conversation's last entry, from before the inbox
 *     stopped storing entries (0 for none); with {@code cursorSeq}, how a device that acknowledged
 *     by cursor only is known to hold the conversation
 * @param unread messages from others after the user's read marker ({@code readSeq}, set by a
 *     device's {@code read} frame, or by the user posting). Membership and title changes,
 *     amendments (edits, deletions, reactions) and messages from users this user blocks do not
 *     count.
 * @param deliveredSeq the last entry a device of the user has acknowledged
 * @param left the user was removed from the group or left it: the inbox gets nothing after the
 *     removal entry, nor does any device
 * @param muted the user asked for no push notifications from this conversation
 * @param joinedFrom the first seq the user may see (0 in summaries from before it was kept: not
 *     known)
 * @param cursorSeq the seq of the entry at {@code lastCursor}
 * @param systemSeqs the seqs of membership and title changes, amendments and messages from blocked
 *     users after the read marker, at most {@link #SYSTEM_KEPT}, so that a read marker in the
 *     middle is counted exactly
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
    long joinedFrom,
    long cursorSeq,
    TreeSet<Long> systemSeqs)
    implements CborSerializable {

  private static final int PREVIEW_CHARS = 100;

  /** The preview of a message deleted for everyone: none of its text. */
  static final String DELETED = "Message deleted";

  static final int SYSTEM_KEPT = 1000;

  public ConversationSummary {
    systemSeqs = systemSeqs == null ? new TreeSet<>() : systemSeqs;
    // Summaries written while the inbox stored entries moved lastSeq with lastCursor.
    if (cursorSeq == 0 && lastCursor > 0) cursorSeq = lastSeq;
  }

  public record LastMessage(long seq, String senderId, String preview, Instant timestamp)
      implements CborSerializable {}

  /** A conversation the inbox holds from {@code fromSeq} on. */
  static ConversationSummary joined(ConversationInfo info, long fromSeq) {
    long before = Math.max(0, fromSeq - 1);
    return new ConversationSummary(
        info, before, 0, null, 0, false, false, before, before, before + 1, 0, null);
  }

  /** Joined again after leaving: from {@code fromSeq} on, as a member again. */
  ConversationSummary rejoined(ConversationInfo newInfo, long fromSeq) {
    long before = Math.max(lastSeq, fromSeq - 1);
    return new ConversationSummary(
        newInfo,
        before,
        lastCursor,
        last,
        0,
        false,
        muted,
        before,
        before,
        before + 1,
        cursorSeq,
        null);
  }

  /**
   * The next message of the conversation ({@code m.seq() == lastSeq + 1}) has reached the inbox.
   */
  ConversationSummary append(String userId, ChatMessage m) {
    return append(userId, m, false);
  }

  /**
   * As {@link #append(String, ChatMessage)}; a message {@code fromBlocked} (its sender is blocked
   * by the user) counts as no news: neither unread nor the last message shown.
   */
  ConversationSummary append(String userId, ChatMessage m, boolean fromBlocked) {
    // A read marker can be written ahead of the summary (it is written at once, the summary at the
    // flush): a restarted inbox then catches up messages the user has read already.
    boolean read = m.seq() <= readSeq;
    if (m.isSystem()) {
      SystemChange change = m.change();
      ConversationInfo nextInfo =
          change.kind() == SystemChange.Kind.RENAMED ? info.withTitle(change.title()) : info;
      boolean nowLeft = change.removes(userId) || (left && !isAddOf(change, userId));
      TreeSet<Long> seqs = new TreeSet<>(systemSeqs);
      if (!read) seqs.add(m.seq());
      if (seqs.size() > SYSTEM_KEPT) seqs.pollFirst();
      return with(nextInfo, m.seq(), last, unread, nowLeft, readSeq, seqs);
    }
    if (fromBlocked && !m.isAmendmentEntry()) {
      TreeSet<Long> seqs = new TreeSet<>(systemSeqs);
      if (!read) seqs.add(m.seq());
      if (seqs.size() > SYSTEM_KEPT) seqs.pollFirst();
      return with(info, m.seq(), last, unread, left, readSeq, seqs);
    }
    if (m.isAmendmentEntry()) {
      TreeSet<Long> seqs = new TreeSet<>(systemSeqs);
      if (!read) seqs.add(m.seq());
      if (seqs.size() > SYSTEM_KEPT) seqs.pollFirst();
      return with(info, m.seq(), amendedLast(m.amendment()), unread, left, readSeq, seqs);
    }
    var lastMessage =
        new LastMessage(m.seq(), m.senderId(), preview(m.previewText()), m.timestamp());
    if (m.senderId().equals(userId)) {
      // Posting shows the user has seen the conversation up to here.
      return with(info, m.seq(), lastMessage, 0, left, m.seq(), new TreeSet<>());
    }
    return with(info, m.seq(), lastMessage, read ? unread : unread + 1, left, readSeq, systemSeqs);
  }

  /**
   * The last message as an amendment leaves it: an edit of it shows the new text, a deletion of it
   * no text of it at all; reactions and changes to older messages leave it as it was.
   */
  private LastMessage amendedLast(Amendment amendment) {
    if (last == null || amendment.targetSeq() != last.seq()) return last;
    return switch (amendment.kind()) {
      case EDIT ->
          new LastMessage(last.seq(), last.senderId(), preview(amendment.body()), last.timestamp());
      case DELETE -> new LastMessage(last.seq(), last.senderId(), DELETED, last.timestamp());
      case REACTION -> last;
    };
  }

  private static String preview(String body) {
    return body.length() <= PREVIEW_CHARS ? body : body.substring(0, PREVIEW_CHARS) + "…";
  }

  /** Whether {@code m} is the user's: anything while a member, only being added again after. */
  boolean takes(String userId, ChatMessage m) {
    return !left || (m.isSystem() && isAddOf(m.change(), userId));
  }

  /** Each of {@code messages} applied in order, whoever sent it (tests build summaries so). */
  ConversationSummary appendAll(String userId, List<ChatMessage> messages) {
    ConversationSummary summary = this;
    for (ChatMessage message : messages) summary = summary.append(userId, message);
    return summary;
  }

  /**
   * The messages of a delivery that follow on from what the inbox holds: redeliveries are dropped
   * and a gap ends the run, so that the conversation resends from the inbox's progress ({@code
   * lastSeq}: the last seq the inbox has heard of).
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
    long upTo = Math.min(seq, lastSeq);
    TreeSet<Long> seqs = new TreeSet<>(systemSeqs.tailSet(upTo, false));
    // Between the marker and the head: messages from others and the changes kept in seqs.
    int stillUnread = (int) Math.max(0, Math.min(unread, lastSeq - upTo - seqs.size()));
    return new ConversationSummary(
        info,
        lastSeq,
        lastCursor,
        last,
        stillUnread,
        left,
        muted,
        seq,
        Math.max(deliveredSeq, seq),
        joinedFrom,
        cursorSeq,
        seqs);
  }

  /** A device holds every entry up to {@code seq}. */
  ConversationSummary deliveredUpTo(long seq) {
    if (seq <= deliveredSeq) return this;
    return new ConversationSummary(
        info,
        lastSeq,
        lastCursor,
        last,
        unread,
        left,
        muted,
        readSeq,
        seq,
        joinedFrom,
        cursorSeq,
        systemSeqs);
  }

  ConversationSummary muted(boolean mute) {
    return new ConversationSummary(
        info,
        lastSeq,
        lastCursor,
        last,
        unread,
        left,
        mute,
        readSeq,
        deliveredSeq,
        joinedFrom,
        cursorSeq,
        systemSeqs);
  }

  /** The entry with {@code cursor} in the inbox journal of before (a replayed old event). */
  ConversationSummary appendedAt(String userId, long cursor, ChatMessage m) {
    ConversationSummary moved = append(userId, m);
    return new ConversationSummary(
        moved.info,
        moved.lastSeq,
        cursor,
        moved.last,
        moved.unread,
        moved.left,
        moved.muted,
        moved.readSeq,
        moved.deliveredSeq,
        moved.joinedFrom,
        m.seq(),
        moved.systemSeqs);
  }

  /**
   * Where a device stands in this conversation that has not acknowledged a position in it: what it
   * is known to hold by its cursor, or else nothing after the join point. A summary from before the
   * join point was kept says only that a device of the user holds up to {@code deliveredSeq}.
   */
  long positionWithout(long deviceCursor) {
    if (lastCursor > 0 && deviceCursor >= lastCursor) return cursorSeq;
    return joinedFrom > 0 ? joinedFrom - 1 : deliveredSeq;
  }

  /** The first seq the device should not be sent again, given its position. */
  long visibleAfter(long position) {
    long floor = joinedFrom > 0 ? joinedFrom - 1 : deliveredSeq;
    return Math.min(lastSeq, Math.max(position, floor));
  }

  Instant lastActivity() {
    return last == null ? info.createdAt() : last.timestamp();
  }

  private ConversationSummary with(
      ConversationInfo newInfo,
      long seq,
      LastMessage newLast,
      int newUnread,
      boolean nowLeft,
      long newReadSeq,
      TreeSet<Long> seqs) {
    return new ConversationSummary(
        newInfo,
        seq,
        lastCursor,
        newLast,
        newUnread,
        nowLeft,
        muted,
        newReadSeq,
        deliveredSeq,
        joinedFrom,
        cursorSeq,
        seqs);
  }

  private static boolean isAddOf(SystemChange change, String userId) {
    return change.kind() == SystemChange.Kind.MEMBER_ADDED && userId.equals(change.userId());
  }
}
