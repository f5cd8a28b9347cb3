package messenger.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.cluster.typed.SelfUp;
import akka.cluster.typed.Subscribe;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import messenger.chat.ChatMessage;
import messenger.chat.ConversationLog;
import messenger.limits.SendAdmission;
import messenger.limits.SendLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A {@link Session} against a stand-in of its user's inbox (a sharded entity that hands every
 * command to the test) and of the conversations' logs, whose reads can be slowed down or made to
 * fail: what one connection emits while it catches up and live pushes arrive meanwhile.
 */
class SessionCatchUpTest {

  private static final int BATCH_SIZE = 10;

  /** Far beyond any test, so that nothing here is healed by the periodic re-attach. */
  private static final Duration HEARTBEAT = Duration.ofMinutes(5);

  private static final DeliverySettings SETTINGS =
      new DeliverySettings(
          Duration.ofMinutes(10),
          10,
          HEARTBEAT,
          BATCH_SIZE,
          512,
          1 << 20,
          Duration.ofSeconds(5),
          Duration.ZERO,
          Duration.ofMinutes(1));

  private static final Duration WAIT = Duration.ofSeconds(10);

  private static ActorTestKit testKit;

  /** The stand-in inbox of each user: what it is told goes to that user's probe. */
  private static final Map<String, ActorRef<UserInbox.Command>> inboxes = new ConcurrentHashMap<>();

  private static final AtomicInteger users = new AtomicInteger();

  private static final ScheduledExecutorService pushes =
      Executors.newSingleThreadScheduledExecutor();

  @BeforeAll
  static void startCluster() {
    testKit =
        ActorTestKit.create(
            "SessionCatchUpTest",
            ConfigFactory.parseString(
                """
                akka.actor.provider = cluster
                akka.remote.artery.canonical.hostname = "127.0.0.1"
                akka.remote.artery.canonical.port = 0
                akka.cluster.jmx.multi-mbeans-in-same-jvm = on
                """));
    ActorSystem<?> system = testKit.system();
    Cluster cluster = Cluster.get(system);
    TestProbe<SelfUp> up = testKit.createTestProbe();
    cluster.subscriptions().tell(Subscribe.create(up.getRef(), SelfUp.class));
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    up.expectMessageClass(SelfUp.class, Duration.ofSeconds(20));
    ClusterSharding.get(system)
        .init(
            Entity.of(
                UserInbox.ENTITY_KEY,
                entity ->
                    Behaviors.receive(UserInbox.Command.class)
                        .onAnyMessage(
                            command -> {
                              inboxes.get(entity.getEntityId()).tell(command);
                              return Behaviors.same();
                            })
                        .build()));
  }

  @AfterAll
  static void shutdown() {
    pushes.shutdownNow();
    testKit.shutdownTestKit();
  }

  /** Conversation logs holding seqs 1..head, whose reads can be delayed or made to fail. */
  private static final class TestLog implements ConversationLog {
    final Map<String, Long> heads = new ConcurrentHashMap<>();
    final AtomicInteger failuresLeft = new AtomicInteger();
    final AtomicInteger reads = new AtomicInteger();
    private final Random random;
    private final double failureRate;
    private final int maxDelayMs;

    TestLog(Random random, double failureRate, int maxDelayMs) {
      this.random = random;
      this.failureRate = failureRate;
      this.maxDelayMs = maxDelayMs;
    }

    @Override
    public CompletionStage<List<ChatMessage>> read(
        String conversationId, long fromSeq, long toSeq) {
      reads.incrementAndGet();
      boolean fails;
      int delayMs;
      synchronized (random) {
        fails =
            failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0
                || random.nextDouble() < failureRate;
        delayMs = maxDelayMs == 0 ? 0 : random.nextInt(maxDelayMs + 1);
      }
      long to = Math.min(toSeq, heads.getOrDefault(conversationId, 0L));
      List<ChatMessage> messages =
          LongStream.rangeClosed(fromSeq, to)
              .mapToObj(seq -> message(conversationId, seq))
              .toList();
      var delayed = CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS);
      return fails
          ? CompletableFuture.supplyAsync(
              () -> {
                throw new IllegalStateException("journal read timed out");
              },
              delayed)
          : CompletableFuture.supplyAsync(() -> messages, delayed);
    }
  }

  /** Takes every frame and keeps the message frames, in order. */
  private static final class TestOutbox implements Outbox {
    final LinkedBlockingQueue<Outbound.Messages> messages = new LinkedBlockingQueue<>();

    @Override
    public boolean offer(Outbound out) {
      if (out instanceof Outbound.Messages m) messages.add(m);
      return true;
    }

    @Override
    public boolean hasRoom() {
      return true;
    }

    @Override
    public boolean isClosed() {
      return false;
    }

    @Override
    public void whenRoom(Runnable callback) {
      callback.run();
    }

    @Override
    public void close() {}

    @Override
    public void abort() {}

    /** The entries of the message frames until {@code count} have come. */
    List<InboxEntry> entries(int count) throws InterruptedException {
      List<InboxEntry> entries = new ArrayList<>();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (entries.size() < count) {
        Outbound.Messages frame = messages.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (frame == null) {
          fail("only " + entries.size() + " of " + count + " entries within " + WAIT);
        }
        entries.addAll(frame.items());
      }
      return entries;
    }
  }

  /** One connection of a fresh user, and the stand-in of that user's inbox. */
  private record Connection(
      TestProbe<UserInbox.Command> inbox, TestOutbox outbox, ActorRef<Session.Command> session) {
    UserInbox.Connect attach() {
      return inbox.expectMessageClass(UserInbox.Connect.class, WAIT);
    }
  }

  private static Connection connect(TestLog log) {
    String userId = "user-" + users.incrementAndGet();
    TestProbe<UserInbox.Command> inbox = testKit.createTestProbe();
    inboxes.put(userId, inbox.getRef());
    var outbox = new TestOutbox();
    var deps =
        new SessionDeps(
            ClusterSharding.get(testKit.system()),
            log,
            SETTINGS,
            DeliveryEvents.NONE,
            new SendPort(
                (conversationId, post, timeout) ->
                    CompletableFuture.failedFuture(new IllegalStateException("no sends here")),
                new SendAdmission(10, Duration.ofSeconds(1)),
                new SendLimits(new SendLimits.Settings(100, 100, 100, 100)),
                Duration.ofSeconds(5)),
            (user, credential) -> CompletableFuture.completedFuture(true));
    ActorRef<Session.Command> session =
        testKit.spawn(
            Session.create(
                userId, "phone", new Credential(null, 0, null), null, outbox, deps, () -> {}));
    return new Connection(inbox, outbox, session);
  }

  private static ChatMessage message(String conversationId, long seq) {
    return new ChatMessage(conversationId, seq, "m" + seq, "alice", "body " + seq, Instant.EPOCH);
  }

  private static ConnectReply.Connected upTo(String conversationId, long upTo) {
    return new ConnectReply.Connected(0, Map.of(conversationId, new ConnectReply.Visible(0, upTo)));
  }

  private static List<Long> seqs(List<InboxEntry> entries) {
    return entries.stream().map(e -> e.message().seq()).toList();
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  @Test
  void aCatchUpWhoseReadFailedIsTriedAgainSoonWithoutAPushOrAReattach() throws Exception {
    var log = new TestLog(new Random(1), 0, 0);
    log.heads.put("c1", 25L);
    log.failuresLeft.set(2);
    Connection connection = connect(log);

    connection.attach().replyTo().tell(upTo("c1", 25));

    assertEquals(range(1, 25), seqs(connection.outbox().entries(25)));
  }

  /**
   * Seeded interleavings of a catch-up with live pushes that run ahead of it, reads that are slow
   * and sometimes fail, and late answers to attaches: every seq arrives once, in order, with rising
   * cursors.
   */
  @Test
  void livePushesDuringASlowAndFailingCatchUpArriveOnceInOrderAfterIt() throws Exception {
    for (int seed = 1; seed <= 40; seed++) {
      var random = new Random(seed);
      var log = new TestLog(new Random(seed * 31L), 0.1, 15);
      long offline = 1 + random.nextInt(60);
      long total = offline + 1 + random.nextInt(80);
      log.heads.put("c1", total);
      Connection connection = connect(log);
      UserInbox.Connect connect = connection.attach();
      connect.replyTo().tell(upTo("c1", offline));

      // The pushes go out in order from one thread, each a few milliseconds after the last.
      long after = offline;
      long atMs = 0;
      while (after < total) {
        long to = Math.min(total, after + 1 + random.nextInt(BATCH_SIZE));
        List<ChatMessage> batch =
            LongStream.rangeClosed(after + 1, to).mapToObj(seq -> message("c1", seq)).toList();
        var push = new DeviceMessage.Deliver("c1", after, batch);
        boolean reattached = random.nextInt(8) == 0;
        long upTo = to;
        pushes.schedule(
            () -> {
              connect.device().tell(push);
              if (reattached) connect.replyTo().tell(upTo("c1", upTo));
            },
            atMs,
            TimeUnit.MILLISECONDS);
        atMs += random.nextInt(4);
        after = to;
      }

      List<InboxEntry> entries = connection.outbox().entries((int) total);
      assertEquals(range(1, total), seqs(entries), "seed " + seed);
      for (int i = 1; i < entries.size(); i++) {
        assertEquals(entries.get(i - 1).cursor() + 1, entries.get(i).cursor(), "seed " + seed);
      }
      testKit.stop(connection.session());
    }
  }
}
