package messenger.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * What the devices received against what the senders had acknowledged: every acknowledged message
 * on every device of every member, once after de-duplication by messageId, and each conversation's
 * seqs arriving in order without a gap.
 */
final class Deliveries {
  private Deliveries() {}

  /**
   * Polls until every member device holds every acknowledged message of its conversations, then
   * checks the order and that no message was stored twice.
   *
   * @param members the devices of each conversation's members
   */
  static void assertEveryAckedMessageReachedEveryDeviceOnceInOrder(
      Map<String, List<ChatDevice>> members, List<ChatDevice.Acked> acked, Duration timeout) {
    Map<String, Set<String>> wanted = new HashMap<>();
    Map<String, Map<Long, String>> idBySeq = new HashMap<>();
    for (ChatDevice.Acked a : acked) {
      wanted.computeIfAbsent(a.conversationId(), c -> new HashSet<>()).add(a.messageId());
      String other =
          idBySeq
              .computeIfAbsent(a.conversationId(), c -> new HashMap<>())
              .put(a.seq(), a.messageId());
      if (other != null && !other.equals(a.messageId())) {
        throw new AssertionError(
            "seq " + a.seq() + " of " + a.conversationId() + " acknowledged as two messages");
      }
    }

    long deadline = System.nanoTime() + timeout.toNanos();
    while (!missing(members, wanted).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "acknowledged messages missing after "
                + timeout
                + " (device: how many): "
                + missing(members, wanted));
      }
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    }

    for (var conversation : members.entrySet()) {
      Map<Long, String> ids = idBySeq.getOrDefault(conversation.getKey(), Map.of());
      long last = ids.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
      // Every send was acknowledged before the load stopped, so the acknowledged seqs are all there
      // are.
      if (ids.size() != last) {
        throw new AssertionError(
            conversation.getKey()
                + ": "
                + ids.size()
                + " messages acknowledged but the last seq is "
                + last);
      }
      List<Long> expected = LongStream.rangeClosed(1, last).boxed().toList();
      for (ChatDevice device : conversation.getValue()) {
        List<Long> order = device.seqsInArrivalOrder(conversation.getKey());
        if (!order.equals(expected)) {
          throw new AssertionError(
              device.name()
                  + " got "
                  + conversation.getKey()
                  + " out of order or with gaps: "
                  + order);
        }
        if (!device.messageIdsBySeq(conversation.getKey()).equals(ids)) {
          throw new AssertionError(
              device.name() + " holds other messageIds than were acknowledged");
        }
        if (!device.anomalies().isEmpty())
          throw new AssertionError(device.name() + ": " + device.anomalies());
      }
    }
  }

  private static Map<String, Integer> missing(
      Map<String, List<ChatDevice>> members, Map<String, Set<String>> wanted) {
    Map<String, Integer> missing = new HashMap<>();
    for (var conversation : members.entrySet()) {
      Set<String> ids = wanted.getOrDefault(conversation.getKey(), Set.of());
      for (ChatDevice device : conversation.getValue()) {
        if (!device.holdsAll(ids)) {
          int count = (int) ids.stream().filter(id -> !device.holdsAll(Set.of(id))).count();
          missing.merge(device.name(), count, Integer::sum);
        }
      }
    }
    return missing;
  }

  /** The devices among {@code devices} in each of these conversations, by conversation. */
  static Map<String, List<ChatDevice>> byConversation(
      Map<String, List<String>> memberNames, List<ChatDevice> devices) {
    Map<String, List<ChatDevice>> result = new HashMap<>();
    memberNames.forEach(
        (conversation, users) ->
            result.put(
                conversation,
                devices.stream()
                    .filter(d -> users.contains(d.user().userId()))
                    .collect(Collectors.toCollection(ArrayList::new))));
    return result;
  }
}
