package messenger.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import messenger.MessengerNode;
import messenger.auth.AuthSettings;
import messenger.auth.TokenService;
import messenger.chat.ChatMessage;
import messenger.chat.Conversation;
import messenger.chat.ConversationInfo;
import messenger.chat.ConversationType;
import messenger.chat.InboxProgress;
import messenger.chat.MemberInboxes;
import messenger.chat.Notice;
import messenger.delivery.UserInbox;
import messenger.testing.Asks;
import messenger.testing.TestServer;
import messenger.testing.WsClient;

/**
 * Group fan-out, timed from the moment the sender's post is acknowledged (its {@code sent} frame
 * arrives) until (a) each member's inbox has durably taken the message, and (b) the connected
 * devices of a sample of members have received it. (a) is timed at the conversation's side: every
 * inbox's confirmation to the conversation passes a timing relay on its way, so "the whole group"
 * is the last member's confirmation, measured for every member rather than guessed from a sample.
 * For each group size: {@value #MESSAGES} messages one at a time (latency), then a burst of {@value
 * #MESSAGES} sent back to back (throughput).
 *
 * <p>In-process: one node on its own keyspace of the test Cassandra (started on 19042 if no test
 * JVM runs one), so that members can be created without HTTP registration, which would spend
 * minutes hashing passwords; the sample's tokens are signed with the node's own key. The sample is
 * spread evenly over the members' sorted ids, which is the order the fan-out takes them in. Build
 * with {@code ./mvnw -q -o package -DskipTests}, then run: {@code java -Xms256m -Xmx1g -cp
 * target/test-classes:target/classes:$(cat target/server.classpath)
 * messenger.bench.GroupFanoutDelivery 100 1000}
 */
public final class GroupFanoutDelivery {

  private static final int SAMPLE = 10;
  private static final int MESSAGES = 20;
  private static final int WARM_UP = 5;
  private static final int PARALLEL_ASKS = 64;
  private static final Duration ASK = Duration.ofSeconds(60);
  private static final Duration WAIT = Duration.ofSeconds(120);

  public static void main(String[] args) throws Exception {
    int[] sizes =
        args.length == 0
            ? new int[] {100, 1000}
            : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    Timing timing = new Timing();
    MessengerNode node =
        MessengerNode.start(
            TestServer.isolated("bench", Map.of()), real -> new TimedInboxes(real, timing));
    timing.system = node.system();
    try {
      TokenService tokens = TokenService.create(AuthSettings.create(node.system()));
      // A first, unreported round warms the JIT and Cassandra's write path up for all sizes.
      run(node, timing, tokens, sizes[0], false);
      for (int size : sizes) run(node, timing, tokens, size, true);
    } finally {
      node.stop();
      System.exit(0);
    }
  }

  private static void run(
      MessengerNode node, Timing timing, TokenService tokens, int size, boolean reported)
      throws Exception {
    ClusterSharding sharding = ClusterSharding.get(node.system());
    List<String> members = new ArrayList<>();
    for (int i = 0; i < size; i++) members.add("u-" + UUID.randomUUID());
    members.sort(null);
    Asks.each(
        members,
        PARALLEL_ASKS,
        ASK,
        id ->
            sharding
                .entityRefFor(UserInbox.ENTITY_KEY, id)
                .<akka.Done>askWithStatus(
                    replyTo -> new UserInbox.Register("m" + id.substring(2, 14), "Member", replyTo),
                    ASK));
    List<String> sample = new ArrayList<>();
    for (int i = 0; i < SAMPLE; i++)
      sample.add(members.get(i * size / SAMPLE + size / (2 * SAMPLE)));
    String sender = sample.get(0);

    String group = "g-" + UUID.randomUUID();
    Recorder inboxes = timing.expect(group, size);
    sharding
        .entityRefFor(Conversation.ENTITY_KEY, group)
        .<Conversation.Created>askWithStatus(
            replyTo ->
                new Conversation.Create(
                    ConversationType.GROUP, members, sender, "bench " + size, replyTo),
            ASK)
        .toCompletableFuture()
        .get(ASK.toSeconds(), TimeUnit.SECONDS);

    List<Device> devices = new ArrayList<>();
    for (String member : sample) {
      devices.add(
          new Device(
              group, WsClient.connect(node.httpPort(), tokens.issue(member).token(), "phone")));
    }
    WsClient out = WsClient.connect(node.httpPort(), tokens.issue(sender).token(), "bench-sender");
    out.discard("messages");

    long seq = 0;
    for (int i = 0; i < WARM_UP; i++) {
      Sent sent = send(out, group, "warm-" + size + "-" + i);
      awaitEverywhere(inboxes, devices, sent.seq());
      seq = sent.seq();
    }

    List<Sent> oneAtATime = new ArrayList<>();
    for (int i = 0; i < MESSAGES; i++) {
      Sent sent = send(out, group, "one-" + size + "-" + i);
      awaitEverywhere(inboxes, devices, sent.seq());
      oneAtATime.add(sent);
    }
    if (reported) report(size, "one at a time", oneAtATime, inboxes, devices);
    long requestsBefore = inboxes.requests.get();
    long offeredBefore = inboxes.offered.get();

    List<Sent> burst = new ArrayList<>();
    long[] sentAt = new long[MESSAGES];
    long burstStart = System.nanoTime();
    for (int i = 0; i < MESSAGES; i++) {
      sentAt[i] = System.nanoTime();
      out.send(
          Map.of(
              "type",
              "send",
              "conversationId",
              group,
              "clientMsgId",
              "burst-" + size + "-" + i,
              "body",
              "b"));
    }
    for (int i = 0; i < MESSAGES; i++) {
      JsonNode answer = out.answerTo("burst-" + size + "-" + i);
      if (!"sent".equals(answer.path("type").asText()))
        throw new IllegalStateException(answer.toString());
      burst.add(new Sent(sentAt[i], System.nanoTime(), answer.path("seq").asLong()));
    }
    long lastSeq = burst.get(MESSAGES - 1).seq();
    for (Sent sent : burst) awaitEverywhere(inboxes, devices, sent.seq());
    long burstNanos = inboxes.lastConfirmation(lastSeq) - burstStart;
    if (reported) {
      report(size, "burst of " + MESSAGES, burst, inboxes, devices);
      long requests = inboxes.requests.get() - requestsBefore;
      long offered = inboxes.offered.get() - offeredBefore;
      System.out.printf(
          "  burst: first send -> every inbox holds all %d: %.0f ms, %.0f msg/s, %.0f inbox appends/s;"
              + " %d append requests carried %d messages (%.1f each, %d member-messages needed);"
              + " messages seen twice by a device: %d%n",
          MESSAGES,
          burstNanos / 1e6,
          MESSAGES / (burstNanos / 1e9),
          MESSAGES * (double) size / (burstNanos / 1e9),
          requests,
          offered,
          offered / (double) requests,
          MESSAGES * (long) size,
          devices.stream().mapToInt(d -> d.duplicates.get()).sum());
    }

    devices.forEach(Device::close);
    out.close();
  }

  /** A message as the sender saw it: when it went, when it was acknowledged, its seq. */
  private record Sent(long sentNanos, long ackNanos, long seq) {}

  private static Sent send(WsClient out, String group, String clientMsgId) {
    long sent = System.nanoTime();
    out.send(
        Map.of(
            "type",
            "send",
            "conversationId",
            group,
            "clientMsgId",
            clientMsgId,
            "body",
            clientMsgId));
    JsonNode answer = out.answerTo(clientMsgId);
    if (!"sent".equals(answer.path("type").asText()))
      throw new IllegalStateException(answer.toString());
    return new Sent(sent, System.nanoTime(), answer.path("seq").asLong());
  }

  private static void awaitEverywhere(Recorder inboxes, List<Device> devices, long seq)
      throws InterruptedException {
    inboxes.awaitAll(seq, WAIT);
    for (Device device : devices) device.await(seq, WAIT);
  }

  private static void report(
      int size, String mode, List<Sent> sent, Recorder inboxes, List<Device> devices) {
    List<Long> acks = new ArrayList<>();
    List<Long> members = new ArrayList<>();
    List<Long> wholeGroup = new ArrayList<>();
    List<Long> phones = new ArrayList<>();
    for (Sent s : sent) {
      acks.add(s.ackNanos() - s.sentNanos());
      List<Long> confirmations = inboxes.confirmations(s.seq());
      confirmations.forEach(t -> members.add(t - s.ackNanos()));
      wholeGroup.add(
          confirmations.stream().mapToLong(Long::longValue).max().orElseThrow() - s.ackNanos());
      devices.forEach(d -> phones.add(d.arrival(s.seq()) - s.ackNanos()));
    }
    System.out.printf(
        "members=%d %s: send->ack %s | ack->a member's inbox %s | ack->the whole group %s"
            + " | ack->a sample device %s%n",
        size, mode, stats(acks), stats(members), stats(wholeGroup), stats(phones));
  }

  /** p50/p90/p99 (nearest rank) and max in milliseconds, with the number of samples. */
  private static String stats(List<Long> nanos) {
    long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    return String.format(
        "p50=%.0f p90=%.0f p99=%.0f max=%.0f ms (n=%d)",
        rank(sorted, 0.50),
        rank(sorted, 0.90),
        rank(sorted, 0.99),
        sorted[sorted.length - 1] / 1e6,
        sorted.length);
  }

  private static double rank(long[] sorted, double p) {
    return sorted[(int) Math.ceil(p * sorted.length) - 1] / 1e6;
  }

  // ---- timing the inboxes' confirmations ----

  /** One recorder per conversation under test; the relays that feed them. */
  private static final class Timing {
    volatile ActorSystem<?> system;
    private final Map<String, Recorder> recorders = new ConcurrentHashMap<>();
    private final Map<ActorRef<InboxProgress>, ActorRef<InboxProgress>> relays =
        new ConcurrentHashMap<>();
    private final AtomicInteger relayCount = new AtomicInteger();

    Recorder expect(String conversationId, int members) {
      Recorder recorder = new Recorder(members);
      recorders.put(conversationId, recorder);
      return recorder;
    }

    /** A relay in front of a conversation's progress adapter that notes every confirmation. */
    ActorRef<InboxProgress> relayTo(ActorRef<InboxProgress> conversation) {
      return relays.computeIfAbsent(
          conversation,
          target ->
              system.systemActorOf(
                  relay(target), "fanout-timing-" + relayCount.incrementAndGet(), Props.empty()));
    }

    private Behavior<InboxProgress> relay(ActorRef<InboxProgress> target) {
      return Behaviors.receiveMessage(
          progress -> {
            Recorder recorder = recorders.get(progress.conversationId());
            if (recorder != null)
              recorder.progress(progress.userId(), progress.lastSeq(), System.nanoTime());
            target.tell(progress);
            return Behaviors.same();
          });
    }
  }

  /** The real inboxes, with each confirmation passing a timing relay on its way back. */
  private static final class TimedInboxes implements MemberInboxes {
    private final MemberInboxes real;
    private final Timing timing;

    TimedInboxes(MemberInboxes real, Timing timing) {
      this.real = real;
      this.timing = timing;
    }

    @Override
    public void join(
        String userId, ConversationInfo info, long fromSeq, ActorRef<InboxProgress> replyTo) {
      real.join(userId, info, fromSeq, timing.relayTo(replyTo));
    }

    @Override
    public void append(
        String userId,
        String conversationId,
        List<ChatMessage> messages,
        ActorRef<InboxProgress> replyTo) {
      Recorder recorder = timing.recorders.get(conversationId);
      if (recorder != null && !messages.isEmpty()) {
        recorder.requests.incrementAndGet();
        recorder.offered.addAndGet(messages.size());
      }
      real.append(userId, conversationId, messages, timing.relayTo(replyTo));
    }

    @Override
    public void relay(String userId, Notice notice) {
      real.relay(userId, notice);
    }
  }

  /** When each member's inbox first confirmed each seq of one conversation. */
  private static final class Recorder {
    private final int members;
    private final Map<String, Long> held = new ConcurrentHashMap<>();
    private final Map<Long, List<Long>> confirmed = new ConcurrentHashMap<>();

    /** Non-empty append requests to the members' inboxes, and the messages they carried. */
    final AtomicLong requests = new AtomicLong();

    final AtomicLong offered = new AtomicLong();

    Recorder(int members) {
      this.members = members;
    }

    synchronized void progress(String userId, long lastSeq, long nowNanos) {
      long before = held.getOrDefault(userId, 0L);
      if (lastSeq <= before) return;
      held.put(userId, lastSeq);
      for (long seq = before + 1; seq <= lastSeq; seq++) {
        confirmed.computeIfAbsent(seq, s -> new ArrayList<>()).add(nowNanos);
      }
      notifyAll();
    }

    synchronized void awaitAll(long seq, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (confirmed.getOrDefault(seq, List.of()).size() < members) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException(
              "seq "
                  + seq
                  + ": "
                  + confirmed.getOrDefault(seq, List.of()).size()
                  + " of "
                  + members
                  + " inboxes");
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }

    synchronized List<Long> confirmations(long seq) {
      return List.copyOf(confirmed.get(seq));
    }

    synchronized long lastConfirmation(long seq) {
      return confirmed.get(seq).stream().mapToLong(Long::longValue).max().orElseThrow();
    }
  }

  // ---- a sample member's device ----

  /** A connected device that notes when each seq of the group arrives, and acknowledges it. */
  private static final class Device {
    private final String group;
    private final WsClient ws;
    private final Map<Long, Long> arrivals = new ConcurrentHashMap<>();
    private final AtomicInteger duplicates = new AtomicInteger();
    private volatile boolean open = true;

    Device(String group, WsClient ws) {
      this.group = group;
      this.ws = ws;
      ws.discard("receipts");
      Thread reader = new Thread(this::read, "bench-device");
      reader.setDaemon(true);
      reader.start();
    }

    private void read() {
      while (open) {
        JsonNode frame;
        try {
          frame = ws.next("messages");
        } catch (AssertionError quiet) {
          continue; // nothing for a while: keep listening
        }
        long now = System.nanoTime();
        long cursor = 0;
        for (JsonNode item : frame.path("items")) {
          cursor = Math.max(cursor, item.path("cursor").asLong());
          if (!group.equals(item.path("conversationId").asText())) continue;
          if (arrivals.putIfAbsent(item.path("seq").asLong(), now) != null)
            duplicates.incrementAndGet();
        }
        synchronized (this) {
          notifyAll();
        }
        if (cursor > 0) ws.ack(cursor);
      }
    }

    synchronized void await(long seq, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!arrivals.containsKey(seq)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) throw new IllegalStateException("a device did not get seq " + seq);
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }

    long arrival(long seq) {
      return arrivals.get(seq);
    }

    void close() {
      open = false;
      ws.close();
    }
  }
}
