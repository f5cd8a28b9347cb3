package messenger.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a conversation passes on to its members' online devices and never stores: typing, receipts
 * and presence. Typing is throttled here, per member, to one notice per {@code typing-interval}
 * (ChatSettings.typingInterval, the one setting for typing). Receipts are gathered and passed on
 * together at the conversation's tick, so a busy group sends one batch per tick, and in a large
 * group each member only their own. Presence goes out in groups of at most {@code
 * presence-max-group} members only: in a large group every member coming and going would become a
 * storm (docs/architecture.md).
 *
 * <p>Runtime state only, lost with the actor: at worst one extra typing notice goes out or a tick's
 * receipts are lost, which best-effort notices allow. Owned by one actor, hence not thread-safe.
 * Time is passed in (System.nanoTime) so that tests need not wait.
 */
final class NoticeRelay {

  private final String conversationId;
  private final MemberInboxes inboxes;
  private final long typingIntervalNanos;
  private final int presenceMaxGroup;

  /**
   * When each member last had a typing notice passed on. An entry older than the interval throttles
   * nothing, so each typing notice first forgets those: the map holds only members who typed within
   * the last interval, never more than the roster.
   */
  private final Map<String, Long> lastTyping = new HashMap<>();

  /** Receipts to pass on at the next {@link #flush}. */
  private final List<Notice.Receipt> pendingReceipts = new ArrayList<>();

  NoticeRelay(
      String conversationId, MemberInboxes inboxes, Duration typingInterval, int presenceMaxGroup) {
    this.conversationId = conversationId;
    this.inboxes = inboxes;
    this.typingIntervalNanos = typingInterval.toNanos();
    this.presenceMaxGroup = presenceMaxGroup;
  }

  /** Member {@code userId} is typing: the others are told, unless they were within the interval. */
  void typing(Roster roster, String userId, long nowNanos) {
    lastTyping.values().removeIf(last -> nowNanos - last >= typingIntervalNanos);
    if (lastTyping.putIfAbsent(userId, nowNanos) != null) return;
    relayToOthers(roster, userId, new Notice.Typing(conversationId, userId));
  }

  /** Keeps a member's receipt for the next flush; a non-member's is dropped. */
  void receipt(Roster roster, Notice.Receipt receipt) {
    if (roster.contains(receipt.userId())) pendingReceipts.add(receipt);
  }

  /** Tells the other members that a member came or went, in small groups only. */
  void presence(Roster roster, Notice.Presence presence) {
    if (!roster.contains(presence.userId()) || roster.size() > presenceMaxGroup) return;
    relayToOthers(roster, presence.userId(), presence);
  }

  /**
   * Passes the gathered receipts on to every member, their own too: devices sync read state. In a
   * group larger than {@code presence-max-group} each member is passed on only their own receipts:
   * every member's receipts to every member is a storm that grows with the square of the group (at
   * 1,000 members and 2 posts/s, two million receipts a second to encode); the others' are there on
   * request ({@code GET …/receipts}).
   */
  void flush(Roster roster) {
    if (pendingReceipts.isEmpty()) return;
    List<Notice.Receipt> receipts = List.copyOf(pendingReceipts);
    pendingReceipts.clear();
    if (roster.size() <= presenceMaxGroup) {
      var batch = new Notice.Receipts(receipts);
      for (String member : roster.members().keySet()) inboxes.relay(member, batch);
      return;
    }
    Map<String, List<Notice.Receipt>> own = new HashMap<>();
    for (Notice.Receipt r : receipts)
      own.computeIfAbsent(r.userId(), u -> new ArrayList<>()).add(r);
    own.forEach(
        (member, theirs) -> inboxes.relay(member, new Notice.Receipts(List.copyOf(theirs))));
  }

  /** How many members' typing is remembered: what the test of the bound reads. */
  int typistsRemembered() {
    return lastTyping.size();
  }

  private void relayToOthers(Roster roster, String userId, Notice notice) {
    for (String member : roster.members().keySet()) {
      if (!member.equals(userId)) inboxes.relay(member, notice);
    }
  }
}
