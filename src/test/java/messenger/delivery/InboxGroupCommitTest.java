package messenger.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.persistence.testkit.JournalOperation;
import akka.persistence.testkit.ProcessingPolicy;
import akka.persistence.testkit.ProcessingResult;
import akka.persistence.testkit.ProcessingSuccess;
import akka.persistence.testkit.WriteEvents;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.LongStream;
import messenger.chat.ChatMessage;
import messenger.chat.ConversationInfo;
import messenger.chat.ConversationType;
import messenger.chat.InboxProgress;
import messenger.chat.Notice;
import messenger.testing.EntityTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Inbox group commit: appends from many conversations that arrive while the inbox's journal write
 * is in flight go together in its next write, each conversation answered after the write holding
 * its entries, with dense cursors and nothing twice; held device acks ride along.
 */
class InboxGroupCommitTest {

  private static final ActorTestKit testKit = ActorTestKit.create(EntityTests.config());
  private static final PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());

  private static final int MAX_BATCH = 10;
  private static final DeliverySettings SETTINGS =
      new DeliverySettings(
          Duration.ofSeconds(30),
          3,
          Duration.ofSeconds(15),
          100,
          512,
          1 << 20,
          Duration.ofSeconds(5),
          Duration.ofSeconds(1),
          Duration.ofMinutes(1),
          MAX_BATCH);
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  /** Passes every write and records the events of each one, per persistence id. */
  private static final class Writes implements ProcessingPolicy<JournalOperation> {
    final Map<String, ConcurrentLinkedQueue<List<Object>>> byId = new ConcurrentHashMap<>();

    @Override
    public ProcessingResult tryProcess(String persistenceId, JournalOperation operation) {
      if (operation instanceof WriteEvents write) {
        List<Object> events = new ArrayList<>(write.getBatch());
        byId.computeIfAbsent(persistenceId, id -> new ConcurrentLinkedQueue<>()).add(events);
      }
      return ProcessingSuccess.getInstance();
    }
  }

  private static final Writes writes = new Writes();

  private String userId;
  private ActorRef<UserInbox.Command> inbox;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void freshInbox() {
    journal.withPolicy(writes);
    userId = "u-" + UUID.randomUUID();
    inbox = spawnInbox(SETTINGS);
  }

  private ActorRef<UserInbox.Command> spawnInbox(DeliverySettings settings) {
    return testKit.spawn(
        UserInbox.create(
            userId,
            settings,
            (user, device, subscription, notification) -> {},
            new InboxSignals() {
              @Override
              public void receipt(Notice.Receipt receipt) {}

              @Override
              public void presence(
                  Notice.Presence presence, java.util.Collection<ConversationInfo> conversations) {}
            }));
  }

  @Test
  void appendsFromManyConversationsArrivingTogetherShareWritesAndEachIsAnsweredWithItsLastSeq() {
    int conversations = 20;
    for (int c = 0; c < conversations; c++) join("c-" + c);
    TestProbe<UserInbox.DeviceMessage> phone = connect("phone");
    int joinWrites = writesSoFar().size();

    TestProbe<InboxProgress> answers = testKit.createTestProbe();
    for (int round = 1; round <= 3; round++) {
      for (int c = 0; c < conversations; c++) {
        inbox.tell(
            new UserInbox.Append("c-" + c, List.of(message("c-" + c, round)), answers.ref()));
      }
    }

    Map<String, List<Long>> answered = new HashMap<>();
    for (int i = 0; i < 3 * conversations; i++) {
      InboxProgress progress = answers.receiveMessage(Duration.ofSeconds(10));
      answered
          .computeIfAbsent(progress.conversationId(), id -> new ArrayList<>())
          .add(progress.lastSeq());
    }
    for (int c = 0; c < conversations; c++) {
      assertEquals(List.of(1L, 2L, 3L), answered.get("c-" + c), "answers of c-" + c);
    }
    List<List<Object>> appendWrites = writesSoFar().subList(joinWrites, writesSoFar().size());
    List<Long> cursors = new ArrayList<>();
    for (List<Object> write : appendWrites) {
      assertTrue(write.size() <= MAX_BATCH, () -> "a write of " + write.size());
      write.forEach(e -> cursors.add(((UserInbox.MessageAppended) e).cursor()));
    }
    assertEquals(LongStream.rangeClosed(1, 3L * conversations).boxed().toList(), cursors);
    assertTrue(appendWrites.size() < 3 * conversations, () -> "one write per append");

    List<Long> delivered = new ArrayList<>();
    while (delivered.size() < 3 * conversations) {
      var deliver = phone.expectMessageClass(UserInbox.Deliver.class, Duration.ofSeconds(10));
      deliver.entries().forEach(entry -> delivered.add(entry.cursor()));
    }
    assertEquals(cursors, delivered, "the device gets every entry once, in cursor order");
  }

  @Test
  void twoAppendsOfOneConversationInTheSameWriteNumberEachEntryOnce() {
    join("c-1");
    TestProbe<InboxProgress> answers = testKit.createTestProbe();

    inbox.tell(
        new UserInbox.Append("c-1", List.of(message("c-1", 1), message("c-1", 2)), answers.ref()));
    inbox.tell(
        new UserInbox.Append("c-1", List.of(message("c-1", 2), message("c-1", 3)), answers.ref()));
    inbox.tell(new UserInbox.Append("c-1", List.of(message("c-1", 5)), answers.ref()));
    inbox.tell(new UserInbox.Append("c-9", List.of(message("c-9", 1)), answers.ref()));

    assertEquals(2, answers.receiveMessage().lastSeq());
    assertEquals(3, answers.receiveMessage().lastSeq());
    assertEquals(3, answers.receiveMessage().lastSeq(), "a gap appends nothing");
    assertEquals(InboxProgress.NOT_JOINED, answers.receiveMessage().lastSeq());
    assertEquals(List.of(1L, 2L, 3L), appendedSeqs());
  }

  @Test
  void heldAcksAreWrittenWithTheNextAppendInsteadOfOnTheirOwn() {
    join("c-1");
    connect("phone");
    TestProbe<InboxProgress> answers = testKit.createTestProbe();
    inbox.tell(new UserInbox.Append("c-1", List.of(message("c-1", 1)), answers.ref()));
    answers.receiveMessage();
    int before = writesSoFar().size();

    inbox.tell(new UserInbox.Ack("phone", 1, Map.of()));
    inbox.tell(new UserInbox.Append("c-1", List.of(message("c-1", 2)), answers.ref()));
    answers.receiveMessage();

    List<List<Object>> after = writesSoFar().subList(before, writesSoFar().size());
    assertEquals(1, after.size(), after::toString);
    assertEquals(new UserInbox.DeviceAcked(userId, "phone", 1, Map.of()), after.get(0).get(0));
    assertTrue(after.get(0).get(1) instanceof UserInbox.MessageAppended, after::toString);
  }

  @Test
  void aBusyInboxWritesItsAcksOnlyWithItsAppendsAndTheTimerWritesTheLastOneWhenTrafficStops() {
    Duration flushInterval = Duration.ofSeconds(1);
    userId = "u-" + UUID.randomUUID();
    inbox = spawnInbox(withAckFlush(flushInterval));
    join("c-1");
    connect("phone");
    TestProbe<InboxProgress> answers = testKit.createTestProbe();
    int before = writesSoFar().size();

    // Appends and acks for four flush intervals.
    long seq = 0;
    long until = System.nanoTime() + 4 * flushInterval.toNanos();
    while (System.nanoTime() < until) {
      seq++;
      inbox.tell(new UserInbox.Append("c-1", List.of(message("c-1", seq)), answers.ref()));
      answers.receiveMessage();
      inbox.tell(new UserInbox.Ack("phone", seq, Map.of()));
      // The ack is held for a fifth of the interval before the next append comes.
      answers.expectNoMessage(flushInterval.dividedBy(5));
    }

    List<List<Object>> busy = writesSoFar().subList(before, writesSoFar().size());
    assertTrue(
        busy.stream()
            .allMatch(w -> w.stream().anyMatch(e -> e instanceof UserInbox.MessageAppended)),
        "no write of acks alone while appends kept coming");
    long last = seq;
    answers.awaitAssert(
        Duration.ofSeconds(5),
        () -> {
          List<List<Object>> all = writesSoFar();
          assertEquals(
              List.of(new UserInbox.DeviceAcked(userId, "phone", last, Map.of())),
              all.get(all.size() - 1));
          return null;
        });
  }

  @Test
  void stoppingWritesTheWaitingAppendsAndAnswersTheirConversations() {
    join("c-1");
    TestProbe<InboxProgress> answers = testKit.createTestProbe();
    TestProbe<Object> watcher = testKit.createTestProbe();

    inbox.tell(new UserInbox.Append("c-1", List.of(message("c-1", 1)), answers.ref()));
    inbox.tell(UserInbox.Stop.INSTANCE);

    assertEquals(1, answers.receiveMessage().lastSeq());
    watcher.expectTerminated(inbox, Duration.ofSeconds(5));
    assertEquals(List.of(1L), appendedSeqs());
  }

  // ---- helpers ----

  private static DeliverySettings withAckFlush(Duration interval) {
    return new DeliverySettings(
        SETTINGS.connectionTimeout(),
        SETTINGS.maxConnectionsPerUser(),
        SETTINGS.heartbeatInterval(),
        SETTINGS.batchSize(),
        SETTINGS.outgoingBufferFrames(),
        SETTINGS.outgoingBufferBytes(),
        SETTINGS.drainTimeout(),
        SETTINGS.presenceGrace(),
        interval,
        MAX_BATCH);
  }

  private void join(String conversationId) {
    var info =
        new ConversationInfo(conversationId, ConversationType.DIRECT, List.of(userId, "bob"), T0);
    TestProbe<InboxProgress> joined = testKit.createTestProbe();
    inbox.tell(new UserInbox.Join(info, 1, joined.ref()));
    joined.receiveMessage();
  }

  private TestProbe<UserInbox.DeviceMessage> connect(String deviceId) {
    TestProbe<UserInbox.DeviceMessage> device = testKit.createTestProbe();
    TestProbe<UserInbox.ConnectReply> reply = testKit.createTestProbe();
    inbox.tell(new UserInbox.Connect(deviceId, "conn-" + deviceId, device.ref(), reply.ref()));
    reply.expectMessageClass(UserInbox.Connected.class);
    return device;
  }

  private static ChatMessage message(String conversationId, long seq) {
    return new ChatMessage(
        conversationId, seq, "m-" + conversationId + "-" + seq, "bob", "body " + seq, T0);
  }

  private List<List<Object>> writesSoFar() {
    return List.copyOf(
        writes.byId.getOrDefault(
            UserInbox.ENTITY_KEY.name() + "|" + userId, new ConcurrentLinkedQueue<>()));
  }

  private List<Long> appendedSeqs() {
    return journal.persistedInStorage(UserInbox.ENTITY_KEY.name() + "|" + userId).stream()
        .filter(e -> e instanceof UserInbox.MessageAppended)
        .map(e -> ((UserInbox.MessageAppended) e).message().seq())
        .toList();
  }
}
