package messenger.push;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import messenger.push.PushDispatcher.Notify;

/**
 * The dispatcher's bookkeeping, without actors or clocks: at most one notification per (user,
 * device, conversation), each queued, in flight or waiting to retry; a FIFO queue of keys ready to
 * send; a bound on sends in flight and on keys held. Not thread-safe (one actor owns it).
 *
 * <p>A newer notification for a held key replaces the stored one. If the key is in flight, the
 * newer one is sent once that send is delivered, so a device gets the latest content with one extra
 * push, however many notifications arrived meanwhile.
 */
final class PendingPushes {

  record Key(String userId, String deviceId, String conversationId) {
    static Key of(Notify n) {
      return new Key(n.userId(), n.deviceId(), n.notification().conversationId());
    }
  }

  /**
   * A send to make now; {@code attempt} counts from 1 and {@code sendId} tells its answer from a
   * stale one (see {@link #awaiting}).
   */
  record Dispatch(Key key, Notify request, int attempt, long sendId) {}

  enum Offered {
    QUEUED,
    /** Replaced the stored notification of a held key. */
    COLLAPSED,
    /** Queued, after the oldest queued key was dropped to make room. */
    DROPPED_OLDEST,
    /** Not held: every held key is in flight or waiting to retry. */
    REFUSED
  }

  private enum Phase {
    QUEUED,
    IN_FLIGHT,
    WAITING
  }

  private static final class Entry {
    Notify latest;
    Phase phase = Phase.QUEUED;

    /** Sends of {@code latest}'s key since the last delivery. */
    int attempts;

    /** A notification arrived while in flight. */
    boolean newer;

    long sendId;

    Entry(Notify latest) {
      this.latest = latest;
    }
  }

  private final int maxInFlight;
  private final int maxPending;
  private final int maxAttempts;
  private final Map<Key, Entry> entries = new HashMap<>();
  private final LinkedHashSet<Key> queue = new LinkedHashSet<>();
  private int inFlight;
  // Random start: answers to an earlier incarnation's sends (before a restart) do not match.
  private long nextSendId = ThreadLocalRandom.current().nextLong();

  PendingPushes(int maxInFlight, int maxPending, int maxAttempts) {
    this.maxInFlight = maxInFlight;
    this.maxPending = maxPending;
    this.maxAttempts = maxAttempts;
  }

  Offered offer(Notify notify) {
    Key key = Key.of(notify);
    Entry held = entries.get(key);
    if (held != null) {
      held.latest = notify;
      if (held.phase == Phase.IN_FLIGHT) held.newer = true;
      return Offered.COLLAPSED;
    }
    Offered result = Offered.QUEUED;
    if (entries.size() >= maxPending) {
      if (queue.isEmpty()) return Offered.REFUSED;
      Iterator<Key> oldest = queue.iterator();
      entries.remove(oldest.next());
      oldest.remove();
      result = Offered.DROPPED_OLDEST;
    }
    entries.put(key, new Entry(notify));
    queue.add(key);
    return result;
  }

  /** The next send, or null if none is queued or {@code max-in-flight} are out. */
  Dispatch next() {
    if (inFlight >= maxInFlight || queue.isEmpty()) return null;
    Iterator<Key> first = queue.iterator();
    Key key = first.next();
    first.remove();
    Entry entry = entries.get(key);
    entry.phase = Phase.IN_FLIGHT;
    entry.newer = false;
    entry.attempts++;
    entry.sendId = nextSendId++;
    inFlight++;
    return new Dispatch(key, entry.latest, entry.attempts, entry.sendId);
  }

  /** Whether {@code sendId} is the send in flight for {@code key}; answers to others are stale. */
  boolean awaiting(Key key, long sendId) {
    Entry entry = entries.get(key);
    return entry != null && entry.phase == Phase.IN_FLIGHT && entry.sendId == sendId;
  }

  /** The send was delivered: done, unless a newer notification came meanwhile. */
  void delivered(Key key) {
    Entry entry = landed(key);
    if (entry.newer) {
      entry.attempts = 0;
      requeue(key, entry);
    } else {
      entries.remove(key);
    }
  }

  /**
   * The send failed in a way worth retrying.
   *
   * @return the failed attempts so far, to wait for with {@link #retryDue} after a backoff; or 0 if
   *     that was the last attempt allowed, and the key is dropped
   */
  int failed(Key key) {
    Entry entry = landed(key);
    if (entry.attempts >= maxAttempts) {
      entries.remove(key);
      return 0;
    }
    entry.phase = Phase.WAITING;
    return entry.attempts;
  }

  void retryDue(Key key) {
    Entry entry = entries.get(key);
    if (entry != null && entry.phase == Phase.WAITING) requeue(key, entry);
  }

  /** The send was refused for good: drop the key and whatever arrived meanwhile. */
  void discard(Key key) {
    landed(key);
    entries.remove(key);
  }

  /**
   * The endpoint sent to is gone: drop the key, unless a notification arrived meanwhile with
   * another endpoint (the device subscribed again), which is then sent.
   */
  void gone(Key key, String endpoint) {
    Entry entry = landed(key);
    if (entry.newer && !entry.latest.subscription().endpoint().equals(endpoint)) {
      entry.attempts = 0;
      requeue(key, entry);
    } else {
      entries.remove(key);
    }
  }

  int held() {
    return entries.size();
  }

  int inFlight() {
    return inFlight;
  }

  private Entry landed(Key key) {
    Entry entry = entries.get(key);
    if (entry == null || entry.phase != Phase.IN_FLIGHT) {
      throw new IllegalStateException("no send in flight for " + key);
    }
    inFlight--;
    return entry;
  }

  private void requeue(Key key, Entry entry) {
    entry.phase = Phase.QUEUED;
    queue.add(key);
  }
}
