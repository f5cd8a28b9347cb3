package messenger.delivery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import messenger.chat.Notice;
import messenger.delivery.UserInbox.DeviceAcked;
import messenger.delivery.UserInbox.State;

/**
 * Device acks an inbox has taken but not yet written: the coalescing that keeps an ack from costing
 * a journal write. A device acks every frame it is pushed; writing each one was two of a 1:1
 * message's seven writes. Instead the newest cursor per device is held here and written as one
 * {@link DeviceAcked} per device when a flush is due (every {@code ack-flush-interval}, when a
 * device goes, when the inbox passivates or hands off).
 *
 * <p>Losing it (a crash before the flush) costs only redelivery: the device is sent again entries
 * it had acked and drops them by cursor. No message is lost, since an entry is in the journal
 * before any device is sent it.
 *
 * <p>Owned by one inbox actor and touched only from it. Delivered receipts are signalled when the
 * ack is taken, not when it is written; {@link #deliveredReceipts} remembers what it signalled so
 * that later acks before the flush do not signal it again.
 */
final class PendingAcks {

  /**
   * A device this many cursors ahead of what is written is flushed at once, whatever the interval:
   * it bounds what a crash makes a busy device receive again to ten frames of 100.
   */
  static final long FLUSH_AFTER_CURSORS = 1000;

  private final Map<String, Long> byDevice = new LinkedHashMap<>();
  private final Map<String, Long> signalledSeq = new HashMap<>();

  boolean isEmpty() {
    return byDevice.isEmpty();
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
   * Takes an ack; says whether it moves the device's cursor (a repeated or older ack does not). A
   * cursor beyond the inbox's last entry counts as the last entry.
   */
  boolean take(State state, String deviceId, long cursor) {
    long capped = Math.min(cursor, state.lastCursor());
    if (capped <= cursor(state, deviceId)) return false;
    byDevice.put(deviceId, capped);
    return true;
  }

  /**
   * The delivered receipts an ack up to {@code cursor} implies and that have not been signalled: a
   * conversation whose last entry some device of the user now holds is delivered up to it.
   */
  List<Notice.Receipt> deliveredReceipts(String userId, State state, long cursor) {
    List<Notice.Receipt> receipts = new ArrayList<>();
    state
        .conversations()
        .forEach(
            (id, summary) -> {
              long seq = summary.lastSeq();
              long known = Math.max(summary.deliveredSeq(), signalledSeq.getOrDefault(id, 0L));
              if (summary.lastCursor() <= cursor && seq > known) {
                signalledSeq.put(id, seq);
                receipts.add(new Notice.Receipt(id, userId, Notice.Kind.DELIVERED, seq));
              }
            });
    return receipts;
  }

  /** Whether some device is so far ahead of what is written that it should be written now. */
  boolean due(State state) {
    for (var held : byDevice.entrySet()) {
      if (held.getValue() - state.ackedCursor(held.getKey()) >= FLUSH_AFTER_CURSORS) return true;
    }
    return false;
  }

  /** The events that write what is held for every device, and forgets it. */
  List<DeviceAcked> drain(String userId) {
    return drain(userId, byDevice.keySet());
  }

  /** The event that writes what is held for one device (none if nothing is), and forgets it. */
  List<DeviceAcked> drain(String userId, String deviceId) {
    return byDevice.containsKey(deviceId) ? drain(userId, List.of(deviceId)) : List.of();
  }

  private List<DeviceAcked> drain(String userId, Iterable<String> devices) {
    List<DeviceAcked> events = new ArrayList<>();
    for (String device : devices) events.add(new DeviceAcked(userId, device, byDevice.get(device)));
    events.forEach(e -> byDevice.remove(e.deviceId()));
    // Once written, the state's deliveredSeq covers what was signalled.
    if (byDevice.isEmpty()) signalledSeq.clear();
    return events;
  }
}
