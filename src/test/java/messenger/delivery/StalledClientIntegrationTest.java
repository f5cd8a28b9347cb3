package messenger.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import messenger.MessengerNode;
import messenger.chat.Conversation;
import messenger.chat.ConversationType;
import messenger.testing.Api;
import messenger.testing.Api.User;
import messenger.testing.Polling;
import messenger.testing.TestServer;
import messenger.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client that stops reading must not make the server hold what it cannot write. 50,000 messages
 * of 1 KB (about 55 MB of frames) go to a user whose device has stopped reading: the server's heap
 * must stay within a small bound, the stalled connection must go, and the device must get every
 * message, once and in order, when it comes back.
 *
 * <p>The messages are posted to a conversation directly (no sender's connection, so the flood takes
 * seconds, {@value #IN_FLIGHT} posts in flight); from the conversation on, the path is the real
 * one: its log, the fan-out to the inbox, the session, the outgoing buffer, the WebSocket, and the
 * catch-up reads of the log.
 */
@Timeout(300)
class StalledClientIntegrationTest {

  private static final int MESSAGES = 50_000;
  private static final int IN_FLIGHT = 256;
  private static final String BODY = "x".repeat(1024);
  private static final String SENDER = "sender-" + UUID.randomUUID();

  /**
   * The outgoing buffer allows 1 MiB per connection. Measured growth on a 2-core sandbox: ~1.5 MiB
   * for the live flood, ~7 MiB for the stalled catch-up (the journal query's pages included);
   * bounded by frame count alone, the live flood grew the heap by 54 MiB.
   */
  private static final long HEAP_BOUND = 16L << 20;

  @Test
  void fiftyThousandMessagesToAStalledClientKeepTheHeapBoundedAndAllArriveAfterReconnect()
      throws Exception {
    MessengerNode node = TestServer.shared();
    Api api = new Api(node.httpPort());
    User bob = api.newUser("bob");
    ClusterSharding sharding = ClusterSharding.get(node.system());
    String conversationId = create(sharding, bob.userId());

    WsClient stalled = WsClient.connect(api.port(), bob.token(), "phone");
    Polling.until(
        Duration.ofSeconds(10),
        () -> api.device(bob, "phone").path("online").asBoolean(),
        "online");
    stalled.stallReading();
    long baseline = usedHeapAfterGc();
    long peak = baseline;

    for (int from = 1; from <= MESSAGES; from += 10_000) {
      post(sharding, conversationId, from, from + 9_999);
      peak = Math.max(peak, usedHeapAfterGc());
    }
    Polling.until(
        Duration.ofSeconds(30),
        () -> !api.device(bob, "phone").path("online").asBoolean(),
        "the server drops the stalled connection");
    peak = Math.max(peak, usedHeapAfterGc());

    assertTrue(
        peak - baseline < HEAP_BOUND,
        "heap grew by "
            + ((peak - baseline) >> 20)
            + " MiB while a stalled client was sent "
            + MESSAGES);
    stalled.close();

    try (WsClient phone = WsClient.connect(api.port(), bob.token(), "phone")) {
      WsClient.Received all = phone.messages(MESSAGES);
      assertSeqsOneTo(MESSAGES, all);
      assertTrue(all.batchSizes().stream().allMatch(size -> size <= 100), "frames of at most 100");
    }
  }

  @Test
  void aCatchUpToAClientThatStopsReadingWaitsWithBoundedMemoryAndResumes() throws Exception {
    MessengerNode node = TestServer.shared();
    Api api = new Api(node.httpPort());
    User bob = api.newUser("bob");
    ClusterSharding sharding = ClusterSharding.get(node.system());
    String conversationId = create(sharding, bob.userId());
    int count = 20_000; // ~22 MB of frames, more than the bound
    post(sharding, conversationId, 1, count);
    Polling.until(
        Duration.ofSeconds(30),
        () -> api.conversationEntry(bob, conversationId).path("lastSeq").asLong() == count,
        "the inbox has heard of every message");
    long baseline = usedHeapAfterGc();

    try (WsClient tablet = WsClient.connect(api.port(), bob.token(), "tablet")) {
      tablet.stallReading();
      // The catch-up has ~22 MB to send; a few seconds is long enough to have buffered it all.
      Polling.until(
          Duration.ofSeconds(10),
          () -> api.device(bob, "tablet").path("online").asBoolean(),
          "tablet online");
      long waiting = usedHeapAfterGc();
      long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      while (System.nanoTime() < deadline) waiting = Math.max(waiting, usedHeapAfterGc());
      assertTrue(
          waiting - baseline < HEAP_BOUND,
          "heap grew by " + ((waiting - baseline) >> 20) + " MiB during a stalled catch-up");

      tablet.resumeReading();
      assertSeqsOneTo(count, tablet.messages(count));
      assertTrue(tablet.noFrame("messages", Duration.ofMillis(300)), "nothing twice");
    }
  }

  /** A direct conversation of the user with a sender who never connects. */
  private static String create(ClusterSharding sharding, String userId) throws Exception {
    List<String> members = List.of(userId, SENDER);
    String id = Conversation.directId(userId, SENDER);
    sharding
        .entityRefFor(Conversation.ENTITY_KEY, id)
        .<Conversation.Created>askWithStatus(
            replyTo -> new Conversation.Create(ConversationType.DIRECT, members, SENDER, replyTo),
            Duration.ofSeconds(10))
        .toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
    return id;
  }

  /** Posts messages {@code from} to {@code to} from the sender, in order, many in flight. */
  private static void post(ClusterSharding sharding, String conversationId, int from, int to)
      throws Exception {
    EntityRef<Conversation.Command> conversation =
        sharding.entityRefFor(Conversation.ENTITY_KEY, conversationId);
    Deque<CompletableFuture<Conversation.Posted>> inFlight = new ArrayDeque<>();
    for (int n = from; n <= to; n++) {
      if (inFlight.size() >= IN_FLIGHT) inFlight.removeFirst().get(60, TimeUnit.SECONDS);
      String clientMsgId = "m-" + n;
      inFlight.addLast(
          conversation
              .<Conversation.Posted>askWithStatus(
                  replyTo -> new Conversation.Post(SENDER, clientMsgId, BODY, replyTo),
                  Duration.ofSeconds(30))
              .toCompletableFuture());
    }
    for (var posted : inFlight) posted.get(60, TimeUnit.SECONDS);
  }

  private static void assertSeqsOneTo(int count, WsClient.Received received) {
    assertEquals(count, received.items().size());
    for (int i = 0; i < count; i++) {
      long seq = received.items().get(i).path("seq").asLong();
      if (seq != i + 1) throw new AssertionError("item " + i + " has seq " + seq);
    }
  }

  private static long usedHeapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    memory.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }
}
