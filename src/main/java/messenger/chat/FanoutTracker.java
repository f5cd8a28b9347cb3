package messenger.chat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 *
 * <p>It is asked for actions after every answer, so an answer costs O(1) amortised (O(log n) for
 * what everyone has) and a round only the members that can act: a queue holds the idle members that
 * may be behind, in the order they became so, and only a new last seq puts every idle member back
 * in it. Scanning every member per answer made a post to n members cost O(n²).
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
    final String userId;
    long acked = UNKNOWN;
    long inFlightSinceNanos = IDLE;

    /** The first seq the member's inbox holds. */
    final long joinedSeq;

    /** The last seq the member gets: its removal entry, or none. */
    long untilSeq = Long.MAX_VALUE;

    /** How long its request may go unanswered before it is sent again; doubles while unanswered. */
    long retryNanos;

    /** Whether it waits in {@code turns}. */
    boolean queued;

    Member(String userId, long joinedSeq, long retryNanos) {
      this.userId = userId;
      this.joinedSeq = joinedSeq;
      this.retryNanos = retryNanos;
    }

    boolean idle() {
      return inFlightSinceNanos == IDLE;
    }

    /** What it holds for sure: a member that has not joined yet needs nothing before its seq. */
    long has() {
      return acked == InboxProgress.NOT_JOINED ? joinedSeq - 1 : acked;
    }
  }

  private final Map<String, Member> members = new LinkedHashMap<>();

  /**
   * Idle members that may have something to be sent, oldest turn first. A member leaves it when it
   * is sent something or found to need nothing; entries of members since forgotten or replaced are
   * skipped.
   */
  private final ArrayDeque<Member> turns = new ArrayDeque<>();

  /** The members with a request in flight, oldest first: all that {@link #expire} looks at. */
  private final Set<Member> outstanding = new LinkedHashSet<>();

  /** How many members hold up to each seq ({@link Member#has}): its first key everyone has. */
  private final TreeMap<Long, Integer> holding = new TreeMap<>();

  private final TreeMap<Long, ChatMessage> recent = new TreeMap<>();
  private final int batchSize;
  private final int recentLimit;
  private final long retryAfterNanos;
  private final long maxRetryAfterNanos;
  private final int maxInFlight;

  /** The last seq every idle member was put in {@code turns} for. */
  private long turnsUpTo = Long.MIN_VALUE;

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
      Member member = members.get(userId);
      if (member == null) {
        member = new Member(userId, 1, retryAfterNanos);
        members.put(userId, member);
      } else {
        uncount(member);
      }
      member.acked = InboxProgress.NOT_JOINED;
      count(member);
      queue(member);
    }
  }

  /** A member added by the entry {@code seq}: its inbox holds the conversation from there. */
  void added(String userId, long seq) {
    Member member = new Member(userId, seq, retryAfterNanos);
    member.acked = InboxProgress.NOT_JOINED;
    Member previous = members.put(userId, member);
    if (previous != null) {
      outstanding.remove(previous);
      uncount(previous);
    }
    count(member);
    queue(member);
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
    joinedSeqs.forEach(
        (userId, seq) ->
            members.computeIfAbsent(userId, id -> new Member(id, seq, retryAfterNanos)));
    outstanding.clear();
    turns.clear();
    holding.clear();
    for (Member member : members.values()) {
      member.inFlightSinceNanos = IDLE;
      member.queued = false;
      count(member);
      queue(member);
    }
  }

  void persisted(ChatMessage message) {
    recent.put(message.seq(), message);
    while (recent.size() > recentLimit) recent.pollFirstEntry();
  }

  void progress(String userId, long lastSeq) {
    Member member = members.get(userId);
    if (member == null) return;
    uncount(member);
    member.acked = Math.max(member.acked, lastSeq);
    member.retryNanos = retryAfterNanos;
    settle(member);
    if (member.acked >= member.untilSeq) {
      members.remove(userId);
    } else {
      count(member);
    }
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
    for (Member member : List.copyOf(outstanding)) {
      if (nowNanos - member.inFlightSinceNanos >= member.retryNanos) {
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
    if (lastSeq > turnsUpTo) {
      // Members that needed nothing left the queue; a new seq may give each of them something.
      for (Member member : members.values()) queue(member);
      turnsUpTo = lastSeq;
    }
    List<Action> actions = new ArrayList<>();
    while (outstanding.size() < maxInFlight && !turns.isEmpty()) {
      Member member = turns.poll();
      member.queued = false;
      if (members.get(member.userId) != member || !member.idle()) continue;
      Action action = nextFor(member, lastSeq);
      if (action == null) continue;
      member.inFlightSinceNanos = nowNanos;
      outstanding.add(member);
      actions.add(action);
    }
    return actions;
  }

  /** Looks at every member: for the tick, not for each answer. */
  boolean caughtUp(long lastSeq) {
    for (Member member : members.values()) {
      if (member.acked != Math.min(lastSeq, member.untilSeq)) return false;
    }
    return true;
  }

  int inFlight() {
    return outstanding.size();
  }

  /** The member's request is over (answered, expired or failed): it waits for its next turn. */
  private void settle(Member member) {
    member.inFlightSinceNanos = IDLE;
    outstanding.remove(member);
    queue(member);
  }

  private void queue(Member member) {
    if (member.queued || !member.idle()) return;
    member.queued = true;
    turns.add(member);
  }

  private void count(Member member) {
    holding.merge(member.has(), 1, Integer::sum);
  }

  private void uncount(Member member) {
    holding.computeIfPresent(member.has(), (has, n) -> n == 1 ? null : n - 1);
  }

  private Action nextFor(Member member, long lastSeq) {
    String userId = member.userId;
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
    long everyoneHas = holding.isEmpty() ? Long.MAX_VALUE : holding.firstKey();
    recent.headMap(everyoneHas, true).clear();
  }
}
