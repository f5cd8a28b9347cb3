package messenger.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import messenger.testing.Api;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scale-out and failover on a real three-node cluster over a three-node Cassandra ring, every node
 * its own JVM ({@link ClusterHarness}), shared by the tests of this class; each test makes its own
 * users and conversations and leaves all nodes running. Six users, two per node, each with a phone
 * (sending) and a laptop on different nodes, talk in three direct conversations across nodes and a
 * group of all six, while the tests kill, stop and restart nodes. The numbers each test measures go
 * to the output and to {@code target/cluster-it/numbers.txt} (docs/benchmarks.md quotes them).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class FailoverClusterIT {

  /** Each phone sends at most one message per interval: six phones make a steady ~30 messages/s. */
  private static final Duration SEND_INTERVAL = Duration.ofMillis(200);

  private static final Duration DELIVERY_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration RECONNECT_BOUND = Duration.ofSeconds(10);

  private static ClusterHarness cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    long started = System.nanoTime();
    cluster = ClusterHarness.start();
    record(
        "cluster",
        "3 Cassandra nodes and 3 server nodes ready after %d s",
        seconds(System.nanoTime() - started));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) cluster.close();
  }

  @AfterEach
  void bringBackEveryNode() throws Exception {
    cluster.heal();
  }

  @Test
  void usersOnDifferentNodesTalkDirectlyAndInAGroupAndEveryDeviceGetsEveryMessageOnceInSeqOrder() {
    try (Chat chat = Chat.create("talk");
        ChatLoad load = new ChatLoad(chat.senders(), SEND_INTERVAL)) {
      load.start();
      load.awaitEverySenderAcked(10, 0, Duration.ofMinutes(2));
      load.stop();

      Deliveries.assertEveryAckedMessageReachedEveryDeviceOnceInOrder(
          chat.members(), load.acked(), DELIVERY_TIMEOUT);
      for (ChatDevice device : chat.devices()) {
        assertEquals(0, device.duplicates(), device.name() + " was sent a message twice");
        assertEquals(1, device.connections().size(), device.name() + " lost its connection");
      }
      record(
          "talk",
          "%d messages acknowledged, each on all its members' devices once",
          load.acked().size());
    }
  }

  @Test
  void
      killingAServerNodeUnderLoadLosesNoAcknowledgedMessageAndItsClientsReconnectElsewhereWithin10s() {
    int victim = 1;
    int victimPort = cluster.port(victim);
    try (Chat chat = Chat.create("kill");
        ChatLoad load = new ChatLoad(chat.senders(), SEND_INTERVAL)) {
      load.start();
      load.awaitEverySenderAcked(5, 0, Duration.ofMinutes(2));
      List<ChatDevice> onVictim =
          chat.devices().stream()
              .filter(d -> d.connectedPort().equals(Optional.of(victimPort)))
              .toList();
      assertFalse(onVictim.isEmpty(), "some devices are on the node to kill");

      long killedAt = System.nanoTime();
      cluster.kill(victim);
      load.awaitEverySenderAcked(10, killedAt, Duration.ofMinutes(3));
      load.stop();
      Deliveries.assertEveryAckedMessageReachedEveryDeviceOnceInOrder(
          chat.members(), load.acked(), DELIVERY_TIMEOUT);

      Map<String, Long> reconnectMillis = new LinkedHashMap<>();
      for (ChatDevice device : onVictim) {
        long reconnected =
            device.connections().stream()
                .filter(c -> c.openedAt() > killedAt && c.port() != victimPort)
                .mapToLong(ChatDevice.Connection::openedAt)
                .min()
                .orElseThrow(() -> new AssertionError(device.name() + " never reconnected"));
        reconnectMillis.put(device.name(), millis(reconnected - killedAt));
      }
      reconnectMillis.forEach(
          (device, ms) ->
              assertTrue(
                  ms <= RECONNECT_BOUND.toMillis(),
                  device + " reconnected to another node only after " + ms + " ms"));

      record(
          "kill -9",
          "%d devices of the killed node reconnected elsewhere after %s ms; longest wait for an ack per sender"
              + " after the kill (ms, sorted) %s; %d messages acknowledged, 0 lost; %d redeliveries dropped by"
              + " messageId",
          onVictim.size(),
          reconnectMillis.values(),
          ackGaps(load, killedAt, Long.MAX_VALUE),
          load.acked().size(),
          chat.devices().stream().mapToInt(ChatDevice::duplicates).sum());
    }
  }

  @Test
  void
      stoppingOneCassandraNodeOfThreeUnderLoadKeepsSendsAcknowledgedAndTheNodeRejoinsAndGetsItsHints() {
    int down = 2;
    try (Chat chat = Chat.create("cass");
        ChatLoad load = new ChatLoad(chat.senders(), SEND_INTERVAL)) {
      load.start();
      load.awaitEverySenderAcked(5, 0, Duration.ofMinutes(2));

      long stoppedAt = System.nanoTime();
      cluster.ring().stop(down);
      long stopMillis = millis(System.nanoTime() - stoppedAt);
      load.awaitEverySenderAcked(10, stoppedAt, Duration.ofMinutes(2));
      long hintFiles = awaitHintFiles(down, Duration.ofMinutes(1));

      long restartedAt = System.nanoTime();
      restartCassandra(down);
      long rejoinMillis = millis(System.nanoTime() - restartedAt);
      long rejoinedAt = System.nanoTime();
      load.awaitEverySenderAcked(5, rejoinedAt, Duration.ofMinutes(2));
      load.stop();
      Deliveries.assertEveryAckedMessageReachedEveryDeviceOnceInOrder(
          chat.members(), load.acked(), DELIVERY_TIMEOUT);
      long drainedMillis = millis(awaitHintsDelivered(down, Duration.ofMinutes(3)) - rejoinedAt);

      long ackedWhileDown =
          load.acked().stream()
              .filter(a -> a.ackedAt() > stoppedAt && a.ackedAt() < restartedAt)
              .count();
      record(
          "cassandra node down",
          "stop took %d ms; %d messages acknowledged while 1 of 3 was down, max ack gap %d ms; %d hint files"
              + " kept for it; rejoined %d ms after restart, hints delivered %d ms after rejoining; %d messages"
              + " acknowledged in all, 0 lost",
          stopMillis,
          ackedWhileDown,
          maxAckGap(load, stoppedAt, restartedAt),
          hintFiles,
          rejoinMillis,
          drainedMillis,
          load.acked().size());
    }
  }

  @Test
  void rollingRestartOfEveryServerNodeUnderLoadLosesNothing() throws IOException {
    try (Chat chat = Chat.create("roll");
        ChatLoad load = new ChatLoad(chat.senders(), SEND_INTERVAL)) {
      load.start();
      load.awaitEverySenderAcked(5, 0, Duration.ofMinutes(2));
      long rollStarted = System.nanoTime();
      List<String> steps = new ArrayList<>();
      for (int node = 0; node < ClusterHarness.NODES; node++) {
        long t0 = System.nanoTime();
        cluster.stop(node);
        long t1 = System.nanoTime();
        cluster.start(node);
        long t2 = System.nanoTime();
        load.awaitEverySenderAcked(3, t2, Duration.ofMinutes(2));
        steps.add(
            "node %d: drained and exited in %d ms, ready again %d ms later"
                .formatted(node + 1, millis(t1 - t0), millis(t2 - t1)));
      }
      long rollEnded = System.nanoTime();
      load.stop();
      Deliveries.assertEveryAckedMessageReachedEveryDeviceOnceInOrder(
          chat.members(), load.acked(), DELIVERY_TIMEOUT);
      record(
          "rolling restart",
          "%s; whole roll %d s; max ack gap %d ms; %d messages acknowledged, 0 lost; %d redeliveries dropped by messageId",
          String.join("; ", steps),
          seconds(rollEnded - rollStarted),
          maxAckGap(load, rollStarted, rollEnded),
          load.acked().size(),
          chat.devices().stream().mapToInt(ChatDevice::duplicates).sum());
    }
  }

  // ---- the chat every test runs ----

  /**
   * Six users, user j registered on node j % 3; user j's phone starts on node j % 3 and sends, its
   * laptop starts on the next node and only receives. Conversations: users 0-1, 2-3, 4-5 directly
   * (each pair on two nodes) and a group of all six.
   */
  private record Chat(
      List<ChatDevice> devices,
      Map<String, List<ChatDevice>> members,
      List<ChatLoad.Sender> senders)
      implements AutoCloseable {

    static Chat create(String prefix) {
      List<Integer> ports = cluster.ports();
      List<Api.User> users = new ArrayList<>();
      for (int j = 0; j < 6; j++) users.add(new Api(ports.get(j % 3)).newUser(prefix + j));
      Map<String, List<String>> memberIds = new LinkedHashMap<>();
      List<String> directs = new ArrayList<>();
      for (int j = 0; j < 6; j += 2) {
        String direct = new Api(ports.get(j % 3)).direct(users.get(j), users.get(j + 1));
        directs.add(direct);
        memberIds.put(direct, List.of(users.get(j).userId(), users.get(j + 1).userId()));
      }
      Api.Response group =
          new Api(ports.get(0))
              .post(
                  "/api/v1/conversations",
                  Map.of(
                      "type",
                      "group",
                      "title",
                      prefix + " group",
                      "members",
                      users.stream().skip(1).map(Api.User::userId).toList()),
                  users.get(0).token());
      assertEquals(201, group.status(), group.toString());
      String groupId = group.text("conversationId");
      memberIds.put(groupId, users.stream().map(Api.User::userId).toList());

      List<ChatDevice> devices = new ArrayList<>();
      List<ChatLoad.Sender> senders = new ArrayList<>();
      for (int j = 0; j < 6; j++) {
        ChatDevice phone = new ChatDevice("phone" + j, users.get(j), ports, j % 3);
        devices.add(phone);
        devices.add(new ChatDevice("laptop" + j, users.get(j), ports, (j + 1) % 3));
        senders.add(new ChatLoad.Sender(phone, List.of(directs.get(j / 2), groupId)));
      }
      devices.forEach(d -> d.awaitConnected(Duration.ofSeconds(30)));
      return new Chat(devices, Deliveries.byConversation(memberIds, devices), senders);
    }

    @Override
    public void close() {
      devices.forEach(ChatDevice::close);
    }
  }

  // ---- Cassandra ----

  private static void restartCassandra(int node) {
    try {
      cluster.ring().restart(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * Polls until the other nodes keep hints (the writes the down node missed) in files under their
   * {@code hints/} folders; returns how many. Cassandra 5.0's {@code system_views.pending_hints}
   * lists only files closed for dispatch, which happens when the target is back, so the files are
   * what shows hints being kept.
   */
  private static long awaitHintFiles(int down, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long files = hintFiles(down);
      if (files > 0) return files;
      if (System.nanoTime() > deadline)
        throw new AssertionError("no hints kept for node " + (down + 1) + " within " + timeout);
      LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
    }
  }

  /**
   * Polls until the other nodes have delivered their hints (and deleted the files); when
   * (System.nanoTime).
   */
  private static long awaitHintsDelivered(int down, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (hintFiles(down) > 0) {
      if (System.nanoTime() > deadline)
        throw new AssertionError("hints not delivered within " + timeout);
      LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
    }
    return System.nanoTime();
  }

  /**
   * Hint files on the nodes other than {@code down}: only it is ever down, so they are all for it.
   */
  private static long hintFiles(int down) {
    long files = 0;
    for (int node = 0; node < ClusterHarness.NODES; node++) {
      if (node == down) continue;
      Path hints = cluster.ring().nodeDir(node).resolve("hints");
      if (!Files.isDirectory(hints)) continue;
      try (var listing = Files.list(hints)) {
        files += listing.filter(f -> f.getFileName().toString().endsWith(".hints")).count();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return files;
  }

  // ---- numbers ----

  /**
   * Per sender, the longest it waited for an acknowledgement within the window (from {@code from},
   * or between two acknowledgements), in ms, sorted: how long sending stalled for each.
   */
  private static List<Long> ackGaps(ChatLoad load, long from, long to) {
    List<Long> gaps = new ArrayList<>();
    for (ChatLoad.Sender sender : load.senders()) {
      List<Long> times =
          load.acked().stream()
              .filter(a -> a.clientMsgId().startsWith(sender.device().name() + "-"))
              .map(ChatDevice.Acked::ackedAt)
              .filter(t -> t > from)
              .sorted()
              .collect(Collectors.toList());
      long previous = from;
      long max = 0;
      for (long t : times) {
        if (previous >= to) break;
        max = Math.max(max, t - previous);
        previous = t;
      }
      gaps.add(millis(max));
    }
    return gaps.stream().sorted().toList();
  }

  private static long maxAckGap(ChatLoad load, long from, long to) {
    List<Long> gaps = ackGaps(load, from, to);
    return gaps.get(gaps.size() - 1);
  }

  private static void record(String what, String format, Object... args) {
    String line = what + ": " + format.formatted(args);
    System.out.println("[cluster numbers] " + line);
    try {
      Path file = Path.of("target", "cluster-it", "numbers.txt");
      Files.createDirectories(file.getParent());
      Files.writeString(file, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  private static long seconds(long nanos) {
    return TimeUnit.NANOSECONDS.toSeconds(nanos);
  }
}
