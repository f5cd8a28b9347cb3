package messenger.chat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fan-out state machine of one conversation: per member, how far its inbox has durably taken
 * the conversation and whether a request to it is in flight. Runtime state only: after a restart
 * every member starts unknown and is probed, so nothing depends on having persisted it.
 *
 * <p>At most one request per member is in flight; messages persisted meanwhile go out together in
 * the next request, which batches naturally under load. Owned by one actor, hence not thread-safe.
 */
final class FanoutTracker {

  sealed interface Action permits Probe, Join, Append, Load {
    String member();
  }

  /** Ask the member's inbox how far it is. */
  record Probe(String member) implements Action {}

  /** Tell the member's inbox about the conversation. */
  record Join(String member) implements Action {}

  /** Send these consecutive messages. */
  record Append(String member, List<ChatMessage> messages) implements Action {}

  /** The messages are no longer in memory: read them from the log, then send them. */
  record Load(String member, long fromSeq, long toSeq) implements Action {}

  private static final long UNKNOWN = Long.MIN_VALUE;
  private static final long IDLE = -1;

  private static final class Member {
    long acked = UNKNOWN;
    long inFlightSinceNanos = IDLE;
  }

  private final Map<String, Member> members = new LinkedHashMap<>();
  private final TreeMap<Long, ChatMessage> recent = new TreeMap<>();
  private final int batchSize;
  private final int recentLimit;
  private final long retryAfterNanos;

  FanoutTracker(int batchSize, int recentLimit, long retryAfterNanos) {
    this.batchSize = batchSize;
    this.recentLimit = recentLimit;
    this.retryAfterNanos = retryAfterNanos;
  }

  /** Members of a conversation that was just created: none of their inboxes knows it yet. */
  void created(Collection<String> userIds) {
    for (String userId : userIds) {
      members.computeIfAbsent(userId, id -> new Member()).acked = InboxProgress.NOT_JOINED;
    }
  }

  /** Members after recovery: their progress is unknown until probed. */
  void recovered(Collection<String> userIds) {
    members.keySet().retainAll(userIds);
    for (String userId : userIds) members.computeIfAbsent(userId, id -> new Member());
  }

  void persisted(ChatMessage message) {
    recent.put(message.seq(), message);
    while (recent.size() > recentLimit) recent.pollFirstEntry();
  }

  void progress(String userId, long lastSeq) {
    Member member = members.get(userId);
    if (member == null) return;
    member.acked = Math.max(member.acked, lastSeq);
    member.inFlightSinceNanos = IDLE;
    dropMessagesEveryoneHas();
  }

  /** A load for this member failed; the next {@link #actions} tries again. */
  void loadFailed(String userId) {
    Member member = members.get(userId);
    if (member != null) member.inFlightSinceNanos = IDLE;
  }

  /** Forget requests older than the retry interval, so that the next actions resend them. */
  void expire(long nowNanos) {
    for (Member member : members.values()) {
      if (member.inFlightSinceNanos != IDLE
          && nowNanos - member.inFlightSinceNanos >= retryAfterNanos) {
        member.inFlightSinceNanos = IDLE;
      }
    }
  }

  /** What to send now to bring every idle member up to {@code lastSeq}; marks them in flight. */
  List<Action> actions(long lastSeq, long nowNanos) {
    List<Action> actions = new ArrayList<>();
    for (Map.Entry<String, Member> entry : members.entrySet()) {
      Member member = entry.getValue();
      if (member.inFlightSinceNanos != IDLE) continue;
      Action action = nextFor(entry.getKey(), member.acked, lastSeq);
      if (action != null) {
        member.inFlightSinceNanos = nowNanos;
        actions.add(action);
      }
    }
    return actions;
  }

  boolean caughtUp(long lastSeq) {
    for (Member member : members.values()) {
      if (member.acked != lastSeq) return false;
    }
    return true;
  }

  private Action nextFor(String userId, long acked, long lastSeq) {
    if (acked == UNKNOWN) return new Probe(userId);
    if (acked == InboxProgress.NOT_JOINED) return new Join(userId);
    if (acked >= lastSeq) return null;
    long from = acked + 1;
    long to = Math.min(acked + batchSize, lastSeq);
    if (recent.isEmpty() || recent.firstKey() > from) return new Load(userId, from, to);
    return new Append(userId, List.copyOf(recent.subMap(from, true, to, true).values()));
  }

  private void dropMessagesEveryoneHas() {
    long everyoneHas = Long.MAX_VALUE;
    for (Member member : members.values()) everyoneHas = Math.min(everyoneHas, member.acked);
    recent.headMap(everyoneHas, true).clear();
  }
}
