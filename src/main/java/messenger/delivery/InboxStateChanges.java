package messenger.delivery;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import messenger.delivery.UserInbox.BlockingChanged;
import messenger.delivery.UserInbox.ConversationJoined;
import messenger.delivery.UserInbox.ConversationMuted;
import messenger.delivery.UserInbox.ConversationRead;
import messenger.delivery.UserInbox.ConversationsNoted;
import messenger.delivery.UserInbox.DeviceAcked;
import messenger.delivery.UserInbox.DeviceForgotten;
import messenger.delivery.UserInbox.DeviceLeft;
import messenger.delivery.UserInbox.DeviceSignedIn;
import messenger.delivery.UserInbox.DisplayNameChanged;
import messenger.delivery.UserInbox.MessageAppended;
import messenger.delivery.UserInbox.PushRegistered;
import messenger.delivery.UserInbox.PushUnregistered;
import messenger.delivery.UserInbox.State;
import messenger.delivery.UserInbox.UserClosed;
import messenger.delivery.UserInbox.UserRegistered;
import messenger.delivery.UserInbox.WentOffline;

/**
 * How each {@link UserInbox} event changes its {@link State}: pure functions, one per event, used
 * by the entity's event handler (and by tests that build states).
 */
final class InboxStateChanges {

  private InboxStateChanges() {}

  static State registered(State s, UserRegistered e) {
    return withUser(s, e.username(), e.displayName(), s.lastSeen());
  }

  static State joined(State s, ConversationJoined e) {
    long fromSeq = Math.max(1, e.fromSeq());
    var convs = new HashMap<>(s.conversations());
    convs.merge(
        e.info().conversationId(),
        ConversationSummary.joined(e.info(), fromSeq),
        (known, fresh) -> known.rejoined(e.info(), fromSeq));
    return withMaps(s, s.devices(), convs, s.push());
  }

  /** An entry of the inbox journal of before fan-out on read. */
  static State appended(State s, MessageAppended e) {
    State logged = withLastCursor(s, e.cursor());
    return withConversation(
        logged,
        e.message().conversationId(),
        summary -> summary.appendedAt(e.userId(), e.cursor(), e.message()));
  }

  static State acked(State s, DeviceAcked e) {
    State c = withPositions(s, e.deviceId(), e.positions());
    var devs = new HashMap<>(c.devices());
    devs.merge(e.deviceId(), e.cursor(), Math::max);
    var convs = new HashMap<>(c.conversations());
    e.positions().forEach((id, seq) -> convs.computeIfPresent(id, (k, v) -> v.deliveredUpTo(seq)));
    if (e.positions().isEmpty()) {
      // Acks from before positions: a conversation whose last entry the device holds.
      convs.replaceAll(
          (id, summary) ->
              summary.lastCursor() > 0 && summary.lastCursor() <= e.cursor()
                  ? summary.deliveredUpTo(summary.cursorSeq())
                  : summary);
    }
    return withMaps(c, devs, convs, c.push());
  }

  static State read(State s, ConversationRead e) {
    return withConversation(s, e.conversationId(), summary -> summary.readUpTo(e.seq()));
  }

  static State muted(State s, ConversationMuted e) {
    return withConversation(s, e.conversationId(), summary -> summary.muted(e.muted()));
  }

  /** The summaries as the inbox had them in memory when it wrote them. */
  static State noted(State s, ConversationsNoted e) {
    var convs = new HashMap<>(s.conversations());
    for (ConversationSummary summary : e.summaries()) {
      convs.put(summary.info().conversationId(), summary);
    }
    return withMaps(s, s.devices(), convs, s.push());
  }

  static State pushRegistered(State s, PushRegistered e) {
    var endpoints = new HashMap<>(s.push());
    endpoints.put(e.deviceId(), e.registration());
    return withMaps(s, s.devices(), s.conversations(), endpoints);
  }

  static State pushUnregistered(State s, PushUnregistered e) {
    var endpoints = new HashMap<>(s.push());
    endpoints.remove(e.deviceId());
    return withMaps(s, s.devices(), s.conversations(), endpoints);
  }

  static State wentOffline(State s, WentOffline e) {
    return withUser(s, s.username(), s.displayName(), e.at());
  }

  static State blockingChanged(State s, BlockingChanged e) {
    var blocked = new java.util.TreeSet<>(s.blocked());
    if (e.blocked()) blocked.add(e.otherId());
    else blocked.remove(e.otherId());
    return new State(
        s.username(),
        s.displayName(),
        s.lastCursor(),
        s.devices(),
        s.conversations(),
        s.push(),
        s.lastSeen(),
        s.positions(),
        s.deviceRecords(),
        s.closed(),
        Set.copyOf(blocked));
  }

  static State displayNameChanged(State s, DisplayNameChanged e) {
    return withUser(s, s.username(), e.displayName(), s.lastSeen());
  }

  /**
   * Everything personal goes: the profile (the name becomes {@link UserInbox#CLOSED_NAME}), every
   * device's cursor, positions, push endpoint and record. The conversations stay, for the groups to
   * be left and for the others' history.
   */
  static State closed(State s, UserClosed e) {
    return new State(
        "",
        UserInbox.CLOSED_NAME,
        s.lastCursor(),
        Map.of(),
        s.conversations(),
        Map.of(),
        s.lastSeen(),
        Map.of(),
        Map.of(),
        true,
        java.util.Set.of());
  }

  static State deviceSignedIn(State s, DeviceSignedIn e) {
    DeviceRecord record =
        s.deviceRecord(e.deviceId()).signedIn(e.client(), e.tokenId(), e.tokenExpiresAt(), e.at());
    return withDeviceRecord(s, e.deviceId(), record);
  }

  static State deviceLeft(State s, DeviceLeft e) {
    return withDeviceRecord(s, e.deviceId(), s.deviceRecord(e.deviceId()).left(e.at()));
  }

  /** Everything kept of the device goes: cursor, positions, push endpoint and record. */
  static State deviceForgotten(State s, DeviceForgotten e) {
    var devs = new HashMap<>(s.devices());
    devs.remove(e.deviceId());
    var endpoints = new HashMap<>(s.push());
    endpoints.remove(e.deviceId());
    var positions = new HashMap<>(s.positions());
    positions.remove(e.deviceId());
    var records = new HashMap<>(s.deviceRecords());
    records.remove(e.deviceId());
    return new State(
        s.username(),
        s.displayName(),
        s.lastCursor(),
        Map.copyOf(devs),
        s.conversations(),
        Map.copyOf(endpoints),
        s.lastSeen(),
        Map.copyOf(positions),
        Map.copyOf(records),
        s.closed(),
        s.blocked());
  }

  private static State withDeviceRecord(State s, String deviceId, DeviceRecord record) {
    var records = new HashMap<>(s.deviceRecords());
    records.put(deviceId, record);
    return new State(
        s.username(),
        s.displayName(),
        s.lastCursor(),
        s.devices(),
        s.conversations(),
        s.push(),
        s.lastSeen(),
        s.positions(),
        Map.copyOf(records),
        s.closed(),
        s.blocked());
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
        s.devices(),
        s.conversations(),
        s.push(),
        s.lastSeen(),
        Map.copyOf(all),
        s.deviceRecords(),
        s.closed(),
        s.blocked());
  }

  private static State withConversation(
      State s, String id, UnaryOperator<ConversationSummary> change) {
    var convs = new HashMap<>(s.conversations());
    convs.computeIfPresent(id, (key, summary) -> change.apply(summary));
    return withMaps(s, s.devices(), convs, s.push());
  }

  // The groups of State's components, each replaced whole.

  private static State withUser(State s, String username, String displayName, Instant lastSeen) {
    return new State(
        username,
        displayName,
        s.lastCursor(),
        s.devices(),
        s.conversations(),
        s.push(),
        lastSeen,
        s.positions(),
        s.deviceRecords(),
        s.closed(),
        s.blocked());
  }

  private static State withLastCursor(State s, long lastCursor) {
    return new State(
        s.username(),
        s.displayName(),
        lastCursor,
        s.devices(),
        s.conversations(),
        s.push(),
        s.lastSeen(),
        s.positions(),
        s.deviceRecords(),
        s.closed(),
        s.blocked());
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
        devices,
        conversations,
        push,
        s.lastSeen(),
        s.positions(),
        s.deviceRecords(),
        s.closed(),
        s.blocked());
  }
}
