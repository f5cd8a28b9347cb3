package messenger.bench;

import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.pattern.StatusReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import messenger.MessengerNode;
import messenger.delivery.UserInbox;
import messenger.testing.Api;
import messenger.testing.TestServer;
import messenger.testing.WsClient;

/**
 * Fan-out latency to groups of {@code sizes} members: a message is posted over a WebSocket and
 * timed until ten connected devices have it. The ten are the members the fan-out serves last (it
 * takes members in id order, round robin, and their ids sort after everyone else's), so the figure
 * is the time for the whole group. Messages go one at a time (latency) and then as a burst.
 *
 * <p>In-process, on its own node and keyspace on the test Cassandra (members beyond the ten are
 * registered directly, not over HTTP, which would spend minutes hashing passwords). Run after
 * {@code ./mvnw -q -o package -DskipTests}: {@code java -cp
 * target/test-classes:target/classes:$(cat target/server.classpath)
 * messenger.bench.GroupFanoutLatency 100 1000}
 */
public final class GroupFanoutLatency {

  private static final int SAMPLE = 10;
  private static final int MESSAGES = 20;

  public static void main(String[] args) throws Exception {
    MessengerNode node = MessengerNode.start(TestServer.isolated("bench", Map.of()));
    try {
      Api api = new Api(node.httpPort());
      for (String arg : args) run(node, api, Integer.parseInt(arg));
    } finally {
      node.stop();
      System.exit(0);
    }
  }

  private static void run(MessengerNode node, Api api, int size) throws Exception {
    List<Api.User> sample = new ArrayList<>();
    for (int i = 0; i < SAMPLE; i++) sample.add(api.newUser("sample"));
    Api.User sender = sample.get(0);
    List<String> members = new ArrayList<>(registerSilentMembers(node, size - SAMPLE));
    sample.forEach(u -> members.add(u.userId()));
    var created =
        api.post(
            "/api/v1/conversations",
            Map.of("type", "group", "title", "bench " + size, "members", members),
            sender.token());
    String group = created.text("conversationId");
    List<WsClient> devices = new ArrayList<>();
    for (Api.User u : sample) devices.add(WsClient.connect(api.port(), u.token(), "bench"));
    WsClient out = devices.get(0);

    // Warm-up, then one at a time.
    for (int i = 0; i < 5; i++) timeOne(out, devices, group, "warm-" + i);
    long[] one = new long[MESSAGES];
    for (int i = 0; i < MESSAGES; i++) one[i] = timeOne(out, devices, group, "one-" + i);

    long start = System.nanoTime();
    for (int i = 0; i < MESSAGES; i++) {
      out.send(
          Map.of(
              "type", "send", "conversationId", group, "clientMsgId", "burst-" + i, "body", "b"));
    }
    for (WsClient device : devices) device.messages(MESSAGES);
    long burst = System.nanoTime() - start;

    Arrays.sort(one);
    System.out.printf(
        "members=%d one-at-a-time: p50=%.1fms p90=%.1fms max=%.1fms; burst of %d to all: %.1fms (%.0f msg/s, %.0f inbox appends/s)%n",
        size,
        one[MESSAGES / 2] / 1e6,
        one[(int) (MESSAGES * 0.9)] / 1e6,
        one[MESSAGES - 1] / 1e6,
        MESSAGES,
        burst / 1e6,
        MESSAGES / (burst / 1e9),
        MESSAGES * (double) size / (burst / 1e9));
    devices.forEach(WsClient::close);
  }

  /** Sends one message and waits until every sample device has it; nanoseconds. */
  private static long timeOne(WsClient out, List<WsClient> devices, String group, String id) {
    long start = System.nanoTime();
    out.send(Map.of("type", "send", "conversationId", group, "clientMsgId", id, "body", id));
    for (WsClient device : devices) device.messages(1);
    return System.nanoTime() - start;
  }

  /** Ids sort before the sample's UUIDv7 ids ("019…"), so the fan-out serves these first. */
  private static List<String> registerSilentMembers(MessengerNode node, int count)
      throws Exception {
    ClusterSharding sharding = ClusterSharding.get(node.system());
    List<String> ids = new ArrayList<>();
    List<CompletableFuture<StatusReply<akka.Done>>> registered = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = "0000-" + UUID.randomUUID();
      ids.add(id);
      registered.add(
          sharding
              .entityRefFor(UserInbox.ENTITY_KEY, id)
              .<StatusReply<akka.Done>>ask(
                  replyTo -> new UserInbox.Register("m" + id.substring(5, 17), "m", replyTo),
                  Duration.ofSeconds(60))
              .toCompletableFuture());
    }
    for (var r : registered) r.get(90, TimeUnit.SECONDS);
    return ids;
  }
}
