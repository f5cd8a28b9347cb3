package messenger.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import messenger.MessengerNode;
import messenger.testing.Api;
import messenger.testing.TestServer;
import messenger.testing.WsClient;

/**
 * One hot conversation: {@code senders} members of one group post into it at once over WebSockets,
 * each with up to {@code window} messages unacknowledged, while one more member reads on a
 * connected device. Reports the rate at which the conversation acknowledged posts (each one
 * persisted), the rate at which the reader received them, and send-to-receive latency.
 *
 * <p>In-process: one node on its own keyspace of the test Cassandra (started on 19042 unless {@code
 * -Dtest.cassandra.port} says otherwise). A round of {@code perSender / 10} messages each warms up
 * first and is not reported.
 *
 * <p>Run: {@code java -cp target/test-classes:target/classes:$(cat target/server.classpath)
 * messenger.bench.HotConversation <senders> <perSender> <window> [max-persist-batch]}; a
 * max-persist-batch of 1 turns group commit off, for comparison.
 */
public final class HotConversation {

  public static void main(String[] args) throws Exception {
    int senders = Integer.parseInt(args[0]);
    int perSender = Integer.parseInt(args[1]);
    int window = Integer.parseInt(args[2]);
    int maxPersistBatch = args.length > 3 ? Integer.parseInt(args[3]) : 100;
    MessengerNode node =
        MessengerNode.start(
            TestServer.isolated(
                "hot", Map.of("messenger.chat.max-persist-batch", maxPersistBatch)));
    try {
      Api api = new Api(node.httpPort());
      Api.User reader = api.newUser("reader");
      List<Api.User> members = new ArrayList<>();
      for (int i = 0; i < senders; i++) members.add(api.newUser("sender"));
      List<String> ids = new ArrayList<>(members.stream().map(Api.User::userId).toList());
      ids.add(reader.userId());
      String group =
          api.post(
                  "/api/v1/conversations",
                  Map.of("type", "group", "title", "hot", "members", ids),
                  members.get(0).token())
              .text("conversationId");
      List<WsClient> out = new ArrayList<>();
      for (Api.User member : members) {
        WsClient ws = WsClient.connect(api.port(), member.token(), "bench");
        ws.discard("messages");
        out.add(ws);
      }
      WsClient in = WsClient.connect(api.port(), reader.token(), "bench");

      round(out, in, group, "warm", Math.max(1, perSender / 10), window, maxPersistBatch);
      round(out, in, group, "run", perSender, window, maxPersistBatch);
      out.forEach(WsClient::close);
      in.close();
    } finally {
      node.stop();
      System.exit(0);
    }
  }

  private static void round(
      List<WsClient> out,
      WsClient in,
      String group,
      String label,
      int perSender,
      int window,
      int maxBatch)
      throws InterruptedException {
    int total = out.size() * perSender;
    long[] latencies = new long[total];
    long[] lastAck = new long[1];
    CountDownLatch acked = new CountDownLatch(out.size());
    long start = System.nanoTime();
    for (int s = 0; s < out.size(); s++) {
      WsClient ws = out.get(s);
      int sender = s;
      start(
          () -> {
            int answered = 0;
            for (int i = 0; i < perSender; i++) {
              ws.send(
                  Map.of(
                      "type",
                      "send",
                      "conversationId",
                      group,
                      "clientMsgId",
                      label + "-" + sender + "-" + i,
                      "body",
                      Long.toString(System.nanoTime())));
              if (i - answered >= window) {
                ws.next("sent");
                answered++;
              }
            }
            for (; answered < perSender; answered++) ws.next("sent");
            synchronized (lastAck) {
              lastAck[0] = Math.max(lastAck[0], System.nanoTime());
            }
            acked.countDown();
          });
    }
    int got = 0;
    while (got < total) {
      JsonNode frame = in.next("messages");
      long now = System.nanoTime();
      for (JsonNode item : frame.path("items")) {
        latencies[got++] = now - Long.parseLong(item.path("body").asText());
      }
      in.ack(frame.path("items").get(frame.path("items").size() - 1).path("cursor").asLong());
    }
    long delivered = System.nanoTime();
    if (!acked.await(1, TimeUnit.MINUTES)) throw new IllegalStateException("acks missing");
    if (label.equals("warm")) return;
    Arrays.sort(latencies);
    System.out.printf(
        "senders=%d perSender=%d window=%d batch<=%d messages=%d acked=%.0f msg/s delivered=%.0f msg/s"
            + " latency p50=%.1fms p99=%.1fms max=%.1fms%n",
        out.size(),
        perSender,
        window,
        maxBatch,
        total,
        total / ((lastAck[0] - start) / 1e9),
        total / ((delivered - start) / 1e9),
        latencies[total / 2] / 1e6,
        latencies[(int) (total * 0.99)] / 1e6,
        latencies[total - 1] / 1e6);
  }

  private static void start(Runnable task) {
    Thread thread = new Thread(task);
    thread.setDaemon(true);
    thread.start();
  }
}
