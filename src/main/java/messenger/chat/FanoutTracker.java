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
 * <p>At most one request per member is in flight, and at most {@code maxInFlight} in all (members
 * take turns, round robin), so a message to a large group never floods the cluster; messages
 * persisted meanwhile go out together in the next request, which batches naturally under load. A
 * member added later starts at the seq of its "added" entry; a removed member gets everything up to
 * its "removed" entry and is then forgotten. Owned by one actor, hence not thread-safe.
 */
final class FanoutTracker {

  sealed interface Action permits Probe, Join, Append, Load {
    String member();

    void carryOut(Carrier carrier);
  }

  /**
   * Whoever sends what {@link #actions} asks for, one method per action, so that a new action does
   * not compile until it is carried out rather than being dropped.
   */
  interface Carrier {
    void probe(Probe probe);

    void join(Join join);

    void append(Append append);

    void load(Load load);
  }

  /** Ask the member's inbox how far it is. */
  record Probe(String member) implements Action {
    @Override
    public void carryOut(Carrier carrier) {
      carrier.probe(this);
    }
  }

  /** Tell the member's inbox about the conversation, which it holds from {@code fromSeq} on. */
  record Join(String member, long fromSeq) implements Action {
    @Override
    public void carryOut(Carrier carrier) {
      carrier.join(this);
    }
  }

  /** Send these consecutive messages. */
  record Append(String member, List<ChatMessage> messages) implements Action {
    @Override
    public void carryOut(Carrier carrier) {
      carrier.append(this);
    }
  }

  /** The messages are no longer in memory: read them from the log, then send them. */
  record Load(String member, long fromSeq, long toSeq) implements Action {
    @Override
    public void carryOut(Carrier carrier) {
      carrier.load(this);
    }
  }

  private static final long UNKNOWN = Long.MIN_VALUE;
  private static final long IDLE = -1;

  private static final class Member {
    long acked = UNKNOWN;
    long inFlightSinceNanos = IDLE;

    /** The first seq the member's inbox holds. */
    long joinedSeq = 1;

    /** The last seq the member gets: its removal entry, or none. */
    long untilSeq = Long.MAX_VALUE;

    /** How long its request may go unanswered before it is sent again; doubles while unanswered. */
    long retryNanos;

    Member(long joinedSeq, long retryNanos) {
      this.joinedSeq = joinedSeq;
      this.retryNanos = retryNanos;
    }
  }

  private final Map<String, Member> members = new LinkedHashMap<>();
  private final TreeMap<Long, ChatMessage> recent = new TreeMap<>();
  private final int batchSize;
  private final int recentLimit;
  private final long retryAfterNanos;
  private final long maxRetryAfterNanos;
  private final int maxInFlight;
  private int inFlight;

  /** Where the next round of {@link #actions} starts, so that every member gets its turn. */
  private int nextTurn;

  FanoutTracker(int batchSize, int recentLimit, long retryAfterNanos, int maxInFlight) {
    this.batchSize = batchSize;
    this.recentLimit = recentLimit;
    this.retryAfterNanos = retryAfterNanos;
    this.maxRetryAfterNanos = retryAfterNanos * MAX_BACKOFF;
    this.maxInFlight = maxInFlight;
  }

  /**
   * A busy inbox may take longer than the retry interval to answer while the request is still
   * queued there; resending at a fixed interval would queue copies behind it and make it busier
   * still. So a member's interval doubles each time it expires, up to this many times the base.
   */
  private static final long MAX_BACKOFF = 16;

  /** Members of a conversation that was just created: none of their inboxes knows it yet. */
  void created(Collection<String> userIds) {
    for (String userId : userIds) {
      members.computeIfAbsent(userId, id -> new Member(1, retryAfterNanos)).acked =
          InboxProgress.NOT_JOINED;
    }
  }

  /** A member added by the entry {@code seq}: its inbox holds the conversation from there. */
  void added(String userId, long seq) {
    Member member = new Member(seq, retryAfterNanos);
    member.acked = InboxProgress.NOT_JOINED;
    Member previous = members.put(userId, member);
    if (previous != null && previous.inFlightSinceNanos != IDLE) inFlight--;
  }

  /** A member removed by the entry {@code seq}: it gets that entry, then nothing more. */
  void removed(String userId, long seq) {
    Member member = members.get(userId);
    if (member != null) member.untilSeq = seq;
  }

  /**
   * Members after recovery, with the seq each joined at: their progress is unknown until probed. (A
   * member removed just before a crash may miss its own removal entry.)
   */
  void recovered(Map<String, Long> joinedSeqs) {
    members.keySet().retainAll(joinedSeqs.keySet());
    inFlight = 0;
    for (Member member : members.values()) member.inFlightSinceNanos = IDLE;
    joinedSeqs.forEach(
        (userId, seq) -> members.computeIfAbsent(userId, id -> new Member(seq, retryAfterNanos)));
  }

  void persisted(ChatMessage message) {
    recent.put(message.seq(), message);
    while (recent.size() > recentLimit) recent.pollFirstEntry();
  }

  void progress(String userId, long lastSeq) {
    Member member = members.get(userId);
    if (member == null) return;
    member.acked = Math.max(member.acked, lastSeq);
    member.retryNanos = retryAfterNanos;
    settle(member);
    if (member.acked >= member.untilSeq) members.remove(userId);
    dropMessagesEveryoneHas();
  }

  /** A load for this member failed; the next {@link #actions} tries again. */
  void loadFailed(String userId) {
    Member member = members.get(userId);
    if (member != null) settle(member);
  }

  /**
   * Forget requests older than their member's retry interval, so that the next actions resend them,
   * and back that member's interval off.
   */
  void expire(long nowNanos) {
    for (Member member : members.values()) {
      if (member.inFlightSinceNanos != IDLE
          && nowNanos - member.inFlightSinceNanos >= member.retryNanos) {
        settle(member);
        member.retryNanos = Math.min(member.retryNanos * 2, maxRetryAfterNanos);
      }
    }
  }

  /**
   * What to send now to bring idle members up to {@code lastSeq}, at most up to the in-flight
   * bound; marks them in flight.
   */
  List<Action> actions(long lastSeq, long nowNanos) {
    List<Action> actions = new ArrayList<>();
    if (inFlight >= maxInFlight || members.isEmpty()) return actions;
    List<Map.Entry<String, Member>> entries = new ArrayList<>(members.entrySet());
    int count = entries.size();
    int start = Math.floorMod(nextTurn, count);
    for (int i = 0; i < count && inFlight < maxInFlight; i++) {
      Map.Entry<String, Member> entry = entries.get((start + i) % count);
      Member member = entry.getValue();
      if (member.inFlightSinceNanos != IDLE) continue;
      Action action = nextFor(entry.getKey(), member, lastSeq);
      if (action != null) {
        member.inFlightSinceNanos = nowNanos;
        inFlight++;
        actions.add(action);
        nextTurn = start + i + 1;
      }
    }
    return actions;
  }

  boolean caughtUp(long lastSeq) {
    for (Member member : members.values()) {
      if (member.acked != Math.min(lastSeq, member.untilSeq)) return false;
    }
    return true;
  }

  int inFlight() {
    return inFlight;
  }

  private void settle(Member member) {
    if (member.inFlightSinceNanos != IDLE) inFlight--;
    member.inFlightSinceNanos = IDLE;
  }

  private Action nextFor(String userId, Member member, long lastSeq) {
    long acked = member.acked;
    if (acked == UNKNOWN) return new Probe(userId);
    if (acked == InboxProgress.NOT_JOINED) return new Join(userId, member.joinedSeq);
    lastSeq = Math.min(lastSeq, member.untilSeq);
    if (acked >= lastSeq) return null;
    long from = acked + 1;
    long to = Math.min(acked + batchSize, lastSeq);
    if (recent.isEmpty() || recent.firstKey() > from) return new Load(userId, from, to);
    return new Append(userId, List.copyOf(recent.subMap(from, true, to, true).values()));
  }

  private void dropMessagesEveryoneHas() {
    long everyoneHas = Long.MAX_VALUE;
    for (Member member : members.values()) {
      // A member that has not joined yet needs nothing before its first seq.
      long has = member.acked == InboxProgress.NOT_JOINED ? member.joinedSeq - 1 : member.acked;
      everyoneHas = Math.min(everyoneHas, has);
    }
    recent.headMap(everyoneHas, true).clear();
  }
}
