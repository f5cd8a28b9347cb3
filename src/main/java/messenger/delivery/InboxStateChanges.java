package messenger.delivery;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import messenger.delivery.UserInbox.ConversationJoined;
import messenger.delivery.UserInbox.ConversationMuted;
import messenger.delivery.UserInbox.ConversationRead;
import messenger.delivery.UserInbox.DeviceAcked;
import messenger.delivery.UserInbox.MessageAppended;
import messenger.delivery.UserInbox.PushRegistered;
import messenger.delivery.UserInbox.PushUnregistered;
import messenger.delivery.UserInbox.State;
import messenger.delivery.UserInbox.UserRegistered;
import messenger.delivery.UserInbox.WentOffline;

/**
 * How each {@link UserInbox} event changes its {@link State}: pure functions, one per event, used
 * by the entity's event handler (and by tests and benchmarks that build states). Every event is
 * counted first, so the state knows the journal sequence number of each entry it holds, which is
 * how the replay checkpoints are placed.
 */
final class InboxStateChanges {

  private InboxStateChanges() {}

  static State registered(State s, UserRegistered e) {
    State c = counted(s);
    return withUser(c, e.username(), e.displayName(), c.lastSeen());
  }

  static State joined(State s, ConversationJoined e) {
    State c = counted(s);
    long fromSeq = Math.max(1, e.fromSeq());
    var convs = new HashMap<>(c.conversations());
    convs.merge(
        e.info().conversationId(),
        ConversationSummary.joined(e.info(), fromSeq),
        (known, fresh) -> known.rejoined(e.info(), fromSeq));
    return withMaps(c, c.devices(), convs, c.push());
  }

  /** The entry goes to the log; every {@link UserInbox#CHECKPOINT_EVERY} cursors a checkpoint. */
  static State appended(State s, MessageAppended e) {
    State c = counted(s);
    TreeMap<Long, Long> marks = c.checkpoints();
    if ((e.cursor() - 1) % UserInbox.CHECKPOINT_EVERY == 0) {
      marks = new TreeMap<>(c.checkpoints());
      marks.put(e.cursor(), c.eventCount());
    }
    State logged = withLog(c, e.cursor(), c.eventCount(), marks);
    return withConversation(
        logged,
        e.message().conversationId(),
        summary -> summary.append(e.userId(), e.cursor(), e.message()));
  }

  static State acked(State s, DeviceAcked e) {
    State c = withPositions(counted(s), e.deviceId(), e.positions());
    var devs = new HashMap<>(c.devices());
    devs.merge(e.deviceId(), e.cursor(), Math::max);
    var convs = new HashMap<>(c.conversations());
    // A conversation whose last entry the device now holds is delivered up to that entry.
    convs.replaceAll(
        (id, summary) ->
            summary.lastCursor() <= e.cursor()
                ? summary.deliveredUpTo(summary.lastSeq())
                : summary);
    return withMaps(c, devs, convs, c.push());
  }

  static State read(State s, ConversationRead e) {
    return withConversation(counted(s), e.conversationId(), summary -> summary.readUpTo(e.seq()));
  }

  static State muted(State s, ConversationMuted e) {
    return withConversation(counted(s), e.conversationId(), summary -> summary.muted(e.muted()));
  }

  static State pushRegistered(State s, PushRegistered e) {
    State c = counted(s);
    var endpoints = new HashMap<>(c.push());
    endpoints.put(e.deviceId(), e.registration());
    return withMaps(c, c.devices(), c.conversations(), endpoints);
  }

  static State pushUnregistered(State s, PushUnregistered e) {
    State c = counted(s);
    var endpoints = new HashMap<>(c.push());
    endpoints.remove(e.deviceId());
    return withMaps(c, c.devices(), c.conversations(), endpoints);
  }

  static State wentOffline(State s, WentOffline e) {
    State c = counted(s);
    return withUser(c, c.username(), c.displayName(), e.at());
  }

  /** The device's positions, moved forward to {@code moved} (a position never goes back). */
  private static State withPositions(State s, String deviceId, Map<String, Long> moved) {
    if (moved.isEmpty()) return s;
    var mine = new HashMap<>(s.positions().getOrDefault(deviceId, Map.of()));
    moved.forEach((conversation, seq) -> mine.merge(conversation, seq, Math::max));
    var all = new HashMap<>(s.positions());
    all.put(deviceId, Map.copyOf(mine));
    return new State(
        s.username(),
        s.displayName(),
        s.lastCursor(),
        s.eventCount(),
        s.checkpoints(),
        s.devices(),
        s.conversations(),
        s.push(),
        s.lastSeen(),
        Map.copyOf(all));
  }

  private static State counted(State s) {
    return withLog(s, s.lastCursor(), s.eventCount() + 1, s.checkpoints());
  }

  private static State withConversation(
      State s, String id, UnaryOperator<ConversationSummary> change) {
    var convs = new HashMap<>(s.conversations());
    convs.computeIfPresent(id, (key, summary) -> change.apply(summary));
    return withMaps(s, s.devices(), convs, s.push());
  }

  // The three groups of State's components, each replaced whole.

  private static State withUser(State s, String username, String displayName, Instant lastSeen) {
    return new State(
        username,
        displayName,
        s.lastCursor(),
        s.eventCount(),
        s.checkpoints(),
        s.devices(),
        s.conversations(),
        s.push(),
        lastSeen,
        s.positions());
  }

  private static State withLog(
      State s, long lastCursor, long eventCount, TreeMap<Long, Long> checkpoints) {
    return new State(
        s.username(),
        s.displayName(),
        lastCursor,
        eventCount,
        checkpoints,
        s.devices(),
        s.conversations(),
        s.push(),
        s.lastSeen(),
        s.positions());
  }

  private static State withMaps(
      State s,
      Map<String, Long> devices,
      Map<String, ConversationSummary> conversations,
      Map<String, PushRegistration> push) {
    return new State(
        s.username(),
        s.displayName(),
        s.lastCursor(),
        s.eventCount(),
        s.checkpoints(),
        devices,
        conversations,
        push,
        s.lastSeen(),
        s.positions());
  }
}
