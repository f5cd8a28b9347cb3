package messenger.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import messenger.testing.Api;
import messenger.testing.WsClient;

/**
 * A rough 1:1 throughput probe against a running server, until the Gatling simulations exist:
 * {@code pairs} senders each send {@code perPair} messages over WebSockets (up to {@code window}
 * unacknowledged at a time) to their own recipient, who is connected. It reports messages/s from
 * the first send to the last delivery, and send-to-receive latency percentiles.
 *
 * <p>Run: {@code java -cp target/test-classes:target/classes:$(cat target/server.classpath)
 * messenger.bench.RoughLoad <port>[,<port>...] <pairs> <perPair> <window>}; with several ports (the
 * nodes of a cluster) pair p sends through the p-th node and receives through the next one.
 */
public final class RoughLoad {

  public static void main(String[] args) throws Exception {
    List<Integer> ports = Arrays.stream(args[0].split(",")).map(Integer::parseInt).toList();
    int pairs = Integer.parseInt(args[1]);
    int perPair = Integer.parseInt(args[2]);
    int window = Integer.parseInt(args[3]);

    List<WsClient> senders = new ArrayList<>();
    List<WsClient> receivers = new ArrayList<>();
    List<String> conversations = new ArrayList<>();
    for (int p = 0; p < pairs; p++) {
      // Over several nodes, each pair's sender and receiver are on neighbouring nodes, so every
      // message crosses the cluster, and the pairs spread evenly.
      int senderPort = ports.get(p % ports.size());
      int receiverPort = ports.get((p + 1) % ports.size());
      Api api = new Api(senderPort);
      Api.User from = api.newUser("load-a");
      Api.User to = api.newUser("load-b");
      conversations.add(api.direct(from, to));
      WsClient sender = WsClient.connect(senderPort, from.token(), "load");
      sender.discard("messages");
      senders.add(sender);
      receivers.add(WsClient.connect(receiverPort, to.token(), "load"));
    }
    long[] latencies = new long[pairs * perPair];
    AtomicLong received = new AtomicLong();
    CountDownLatch done = new CountDownLatch(pairs * 2);
    long start = System.nanoTime();
    for (int p = 0; p < pairs; p++) {
      int pair = p;
      start(
          () -> {
            WsClient ws = senders.get(pair);
            int acked = 0;
            for (int i = 0; i < perPair; i++) {
              ws.send(
                  Map.of(
                      "type",
                      "send",
                      "conversationId",
                      conversations.get(pair),
                      "clientMsgId",
                      "m" + i,
                      "body",
                      Long.toString(System.nanoTime())));
              if (i - acked >= window) {
                ws.next("sent");
                acked++;
              }
            }
            while (acked < perPair) {
              ws.next("sent");
              acked++;
            }
            done.countDown();
          });
      start(
          () -> {
            WsClient ws = receivers.get(pair);
            int got = 0;
            while (got < perPair) {
              JsonNode frame = ws.next("messages");
              long now = System.nanoTime();
              for (JsonNode item : frame.path("items")) {
                latencies[(int) received.getAndIncrement()] =
                    now - Long.parseLong(item.path("body").asText());
                got++;
              }
              ws.ack(
                  frame.path("items").get(frame.path("items").size() - 1).path("cursor").asLong());
            }
            done.countDown();
          });
    }
    if (!done.await(10, TimeUnit.MINUTES)) throw new IllegalStateException("load did not finish");
    double seconds = (System.nanoTime() - start) / 1e9;
    Arrays.sort(latencies);
    int n = latencies.length;
    System.out.printf(
        "pairs=%d perPair=%d window=%d messages=%d seconds=%.2f rate=%.0f msg/s latency p50=%.1fms p99=%.1fms max=%.1fms%n",
        pairs,
        perPair,
        window,
        n,
        seconds,
        n / seconds,
        latencies[n / 2] / 1e6,
        latencies[(int) (n * 0.99)] / 1e6,
        latencies[n - 1] / 1e6);
    senders.forEach(WsClient::close);
    receivers.forEach(WsClient::close);
  }

  private static void start(Runnable task) {
    Thread thread = new Thread(task);
    thread.setDaemon(true);
    thread.start();
  }
}
