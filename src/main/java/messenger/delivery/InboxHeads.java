package messenger.delivery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import messenger.chat.ChatMessage;
import messenger.chat.ConversationInfo;

/**
 * What an inbox knows of each of its conversations now: the summaries moved by every message that
 * reached it, in memory (docs/architecture.md, "Fan-out on read"). The inbox writes nothing per
 * message; its state holds the summaries as of the last {@link UserInbox.ConversationsNoted},
 * written coalesced, and these run ahead of it. Every change the inbox writes to a summary (a join,
 * a read marker, a mute, a delivery) is made here too, by the same function.
 *
 * <p>Lost with the actor on a crash, which is safe: the restarted inbox reads where each
 * conversation's log stands and catches its summaries up from there ({@link InboxStart}) before it
 * answers anyone. Runtime bookkeeping owned by one inbox actor; not thread-safe.
 */
final class InboxHeads {

  private final String userId;
  private final Map<String, ConversationSummary> summaries = new HashMap<>();

  /** The conversations moved since the last {@link #takeMoved}. */
  private final Set<String> moved = new LinkedHashSet<>();

  /** The users this user blocks: their messages do not count as unread. */
  private Set<String> blocked = Set.of();

  /** False from a restart until the summaries were caught up with the conversations' logs. */
  private boolean verified;

  InboxHeads(String userId) {
    this.userId = userId;
  }

  /** The users the user blocks now (as the inbox's state holds them). */
  void blocking(Set<String> blocked) {
    this.blocked = Set.copyOf(blocked);
  }

  /** The inbox recovered {@code durable}: its summaries as last written. */
  void recovered(Map<String, ConversationSummary> durable, boolean upToDate) {
    summaries.clear();
    summaries.putAll(durable);
    moved.clear();
    verified = upToDate;
  }

  /**
   * The summaries caught up with the logs ({@link InboxStart}); the inbox may answer now.
   *
   * @return what was applied, by conversation (only those where something was)
   */
  Map<String, List<ChatMessage>> caughtUp(Map<String, List<ChatMessage>> missed) {
    Map<String, List<ChatMessage>> applied = new HashMap<>();
    missed.forEach(
        (conversationId, messages) -> {
          List<ChatMessage> taken = append(conversationId, messages);
          if (!taken.isEmpty()) applied.put(conversationId, taken);
        });
    verified = true;
    return applied;
  }

  boolean verified() {
    return verified;
  }

  ConversationSummary get(String conversationId) {
    return summaries.get(conversationId);
  }

  Collection<ConversationSummary> all() {
    return summaries.values();
  }

  /** The conversations the user is a member of now. */
  List<ConversationInfo> memberOf() {
    List<ConversationInfo> infos = new ArrayList<>();
    for (ConversationSummary summary : summaries.values()) {
      if (!summary.left()) infos.add(summary.info());
    }
    return infos;
  }

  /**
   * The messages that follow on from the head, applied in order; after the user's removal only
   * their being added again is: nothing else after it is theirs. The conversation must be known.
   *
   * @return those applied (the others were redeliveries, beyond a gap or after the removal)
   */
  List<ChatMessage> append(String conversationId, List<ChatMessage> messages) {
    ConversationSummary summary = summaries.get(conversationId);
    List<ChatMessage> next = ConversationSummary.following(summary.lastSeq(), messages);
    int taken = 0;
    while (taken < next.size() && summary.takes(userId, next.get(taken))) {
      ChatMessage m = next.get(taken++);
      summary = summary.append(userId, m, blocked.contains(m.senderId()));
    }
    if (taken == 0) return List.of();
    summaries.put(conversationId, summary);
    moved.add(conversationId);
    return List.copyOf(next.subList(0, taken));
  }

  /** The inbox wrote the user's joining, as {@link InboxStateChanges#joined} does to the state. */
  void joined(ConversationInfo info, long fromSeq) {
    summaries.merge(
        info.conversationId(),
        ConversationSummary.joined(info, fromSeq),
        (known, fresh) -> known.rejoined(info, fromSeq));
  }

  /** A change the inbox wrote to the durable summary, made to the live one too. */
  void change(String conversationId, UnaryOperator<ConversationSummary> change) {
    summaries.computeIfPresent(conversationId, (id, summary) -> change.apply(summary));
  }

  boolean hasMoved() {
    return !moved.isEmpty();
  }

  /** The summaries moved since the last call, to be written; forgets which. */
  List<ConversationSummary> takeMoved() {
    List<ConversationSummary> taken = new ArrayList<>(moved.size());
    for (String id : moved) taken.add(summaries.get(id));
    moved.clear();
    return taken;
  }
}
