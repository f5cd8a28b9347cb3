package messenger.delivery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import messenger.chat.Notice;
import messenger.delivery.UserInbox.DeviceAcked;
import messenger.delivery.UserInbox.State;

/**
 * Device acks an inbox has taken but not yet written: the coalescing that keeps an ack from costing
 * a journal write. A device acks every frame it is pushed; writing each one was two of a 1:1
 * message's seven writes. Instead the newest cursor per device, and the positions (the seq per
 * conversation) that moved, are held here and written as one {@link DeviceAcked} per device when a
 * flush is due (every {@code ack-flush-interval}, when a device goes, when the inbox passivates or
 * hands off).
 *
 * <p>Losing it (a crash before the flush) costs only redelivery: the device is sent again entries
 * it had acked and drops them by messageId. No message is lost, since an entry is in the journal
 * before any device is sent it.
 *
 * <p>Owned by one inbox actor and touched only from it. Delivered receipts are signalled when the
 * ack is taken, not when it is written; the live summary's delivered marker moves at once, so that
 * later acks before the flush do not signal it again.
 */
final class PendingAcks {

  /**
   * A device this many cursors ahead of what is written is flushed at once, whatever the interval:
   * it bounds what a crash makes a busy device receive again to ten frames of 100.
   */
  static final long FLUSH_AFTER_CURSORS = 1000;

  /** A device holding more moved positions than this is written at once. */
  static final int FLUSH_AFTER_POSITIONS = 1000;

  private final Map<String, Long> byDevice = new LinkedHashMap<>();
  private final Map<String, Map<String, Long>> positionsByDevice = new LinkedHashMap<>();

  boolean isEmpty() {
    return byDevice.isEmpty() && positionsByDevice.isEmpty();
  }

  /** The device's cursor, counting what is held here. */
  long cursor(State state, String deviceId) {
    return Math.max(state.ackedCursor(deviceId), byDevice.getOrDefault(deviceId, 0L));
  }

  /** Every device's cursor, counting what is held here. */
  Map<String, Long> cursors(State state) {
    Map<String, Long> all = new HashMap<>(state.devices());
    byDevice.forEach((device, cursor) -> all.merge(device, cursor, Math::max));
    return all;
  }

  /**
   * The device's position in a conversation, counting what is held here; null if it has none (it
   * never acknowledged an entry of it since positions were kept).
   */
  Long position(State state, String deviceId, String conversationId) {
    Long held = positionsByDevice.getOrDefault(deviceId, Map.of()).get(conversationId);
    Long written = state.position(deviceId, conversationId);
    if (held == null) return written;
    return written == null ? held : Math.max(held, written);
  }

  /**
   * Takes an ack. A position beyond a conversation's head counts as the head, and a conversation
   * the inbox does not know is left out. A position that moves past what any device of the user
   * held moves the conversation's delivered marker ({@code heads}) and gives a delivered receipt.
   *
   * @return the delivered receipts the ack implies, or null if it moves nothing (a repeated or
   *     older ack)
   */
  List<Notice.Receipt> take(
      String userId,
      State state,
      InboxHeads heads,
      String deviceId,
      long cursor,
      Map<String, Long> positions) {
    boolean moved = false;
    if (cursor > cursor(state, deviceId)) {
      byDevice.put(deviceId, cursor);
      moved = true;
    }
    List<Notice.Receipt> receipts = new ArrayList<>();
    for (var acked : positions.entrySet()) {
      String conversationId = acked.getKey();
      ConversationSummary summary = heads.get(conversationId);
      if (summary == null) continue;
      long seq = Math.min(acked.getValue(), summary.lastSeq());
      Long known = position(state, deviceId, conversationId);
      if (known != null && seq <= known) continue;
      positionsByDevice.computeIfAbsent(deviceId, d -> new HashMap<>()).put(conversationId, seq);
      moved = true;
      if (seq > summary.deliveredSeq()) {
        heads.change(conversationId, s -> s.deliveredUpTo(seq));
        receipts.add(new Notice.Receipt(conversationId, userId, Notice.Kind.DELIVERED, seq));
      }
    }
    return moved ? receipts : null;
  }

  /** Whether some device is so far ahead of what is written that it should be written now. */
  boolean due(State state) {
    for (var held : byDevice.entrySet()) {
      if (held.getValue() - state.ackedCursor(held.getKey()) >= FLUSH_AFTER_CURSORS) return true;
    }
    for (var held : positionsByDevice.values()) {
      if (held.size() >= FLUSH_AFTER_POSITIONS) return true;
    }
    return false;
  }

  /** The events that write what is held for every device, and forgets it. */
  List<DeviceAcked> drain(String userId, State state) {
    Set<String> devices = new LinkedHashSet<>(byDevice.keySet());
    devices.addAll(positionsByDevice.keySet());
    return drain(userId, state, devices);
  }

  /** The event that writes what is held for one device (none if nothing is), and forgets it. */
  List<DeviceAcked> drain(String userId, State state, String deviceId) {
    boolean held = byDevice.containsKey(deviceId) || positionsByDevice.containsKey(deviceId);
    return held ? drain(userId, state, List.of(deviceId)) : List.of();
  }

  private List<DeviceAcked> drain(String userId, State state, Iterable<String> devices) {
    List<DeviceAcked> events = new ArrayList<>();
    for (String device : devices) {
      events.add(
          new DeviceAcked(
              userId,
              device,
              cursor(state, device),
              positionsByDevice.getOrDefault(device, Map.of())));
    }
    events.forEach(
        e -> {
          byDevice.remove(e.deviceId());
          positionsByDevice.remove(e.deviceId());
        });
    return events;
  }
}
