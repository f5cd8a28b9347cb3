package messenger.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import akka.persistence.typed.PersistenceId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.LongStream;
import messenger.ErrorCode;
import messenger.chat.ChatMessage;
import messenger.chat.ConversationInfo;
import messenger.chat.ConversationType;
import messenger.chat.InboxProgress;
import messenger.chat.Notice;
import messenger.chat.SystemChange;
import messenger.push.Notification;
import messenger.push.PushKind;
import messenger.push.PushSubscription;
import messenger.testing.EntityTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One user's inbox: profile, idempotent appends, pushes, acks, unread counts, checkpoints. */
class UserInboxTest {

  private static final ActorTestKit testKit = ActorTestKit.create(EntityTests.config());

  private static final int BATCH_SIZE = 3;
  private static final int MAX_DEVICES = 3;
  private static final int MAX_PERSIST_BATCH = 10;
  private static final long PRESENCE_GRACE_MS = 1000;
  // Long, so that what writes acks sooner is seen to; the timer's own test uses a short one.
  private static final Duration ACK_FLUSH = Duration.ofMinutes(1);
  private static final DeliverySettings SETTINGS =
      new DeliverySettings(
          Duration.ofSeconds(30),
          MAX_DEVICES,
          Duration.ofSeconds(15),
          BATCH_SIZE,
          512,
          1 << 20,
          Duration.ofSeconds(5),
          Duration.ofMillis(PRESENCE_GRACE_MS),
          ACK_FLUSH,
          MAX_PERSIST_BATCH);
  private static final String BOB = "bob";
  private static final String CAROL = "carol";
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private record Pushed(
      String userId, String deviceId, PushSubscription subscription, Notification notification) {}

  private record PresenceSignal(Notice.Presence presence, List<ConversationInfo> conversations) {}

  private String userId;
  private final LinkedBlockingQueue<Pushed> pushed = new LinkedBlockingQueue<>();

  /** Receipts and presence the inbox signalled, in order. */
  private final LinkedBlockingQueue<Object> signals = new LinkedBlockingQueue<>();

  private EventSourcedBehaviorTestKit<UserInbox.Command, UserInbox.Event, UserInbox.State> inbox;

  @BeforeEach
  void freshInbox() {
    userId = "u-" + UUID.randomUUID();
    inbox = inboxWith(SETTINGS);
  }

  private EventSourcedBehaviorTestKit<UserInbox.Command, UserInbox.Event, UserInbox.State>
      inboxWith(DeliverySettings settings) {
    return EventSourcedBehaviorTestKit.create(testKit.system(), behaviour(settings));
  }

  /**
   * The inbox of {@link #userId}, pushing to {@link #pushed} and signalling to {@link #signals}.
   */
  private akka.actor.typed.Behavior<UserInbox.Command> behaviour(DeliverySettings settings) {
    return UserInbox.create(
        userId,
        settings,
        (user, device, subscription, notification) ->
            pushed.add(new Pushed(user, device, subscription, notification)),
        new InboxSignals() {
          @Override
          public void receipt(Notice.Receipt receipt) {
            signals.add(receipt);
          }

          @Override
          public void presence(
              Notice.Presence presence, java.util.Collection<ConversationInfo> conversations) {
            signals.add(new PresenceSignal(presence, List.copyOf(conversations)));
          }
        });
  }

  // ---- helpers ----

  private ConversationInfo conversation(String id, String other, Instant createdAt) {
    return new ConversationInfo(id, ConversationType.DIRECT, List.of(userId, other), createdAt);
  }

  private static ChatMessage message(String conversationId, long seq, String sender) {
    return new ChatMessage(
        conversationId,
        seq,
        "m-" + conversationId + "-" + seq,
        sender,
        "body " + seq,
        T0.plusSeconds(60 + seq));
  }

  private static List<ChatMessage> messages(
      String conversationId, long from, long to, String sender) {
    return LongStream.rangeClosed(from, to)
        .mapToObj(seq -> message(conversationId, seq, sender))
        .toList();
  }

  private EventSourcedBehaviorTestKit.CommandResultWithReply<
          UserInbox.Command, UserInbox.Event, UserInbox.State, InboxProgress>
      join(ConversationInfo info) {
    return inbox.runCommand(replyTo -> new UserInbox.Join(info, 1, replyTo));
  }

  private void joinWithBob(String conversationId) {
    assertEquals(0, join(conversation(conversationId, BOB, T0)).reply().lastSeq());
  }

  /**
   * What an append did: its answer, the events written for it, the state after. An inbox answers an
   * append only after the write that holds it (which it makes behind the command), so the events
   * are read from the journal once the answer is in.
   */
  private record Appended(
      InboxProgress reply, List<UserInbox.Event> events, UserInbox.State state) {
    boolean hasNoEvents() {
      return events.isEmpty();
    }

    <E extends UserInbox.Event> E eventOfType(Class<E> type) {
      assertEquals(1, events.size(), events::toString);
      return type.cast(events.get(0));
    }
  }

  private Appended append(String conversationId, List<ChatMessage> messages) {
    long before = inbox.getState().eventCount();
    InboxProgress reply =
        inbox
            .<InboxProgress>runCommand(
                replyTo -> new UserInbox.Append(conversationId, messages, replyTo))
            .reply();
    List<Object> written =
        inbox.persistenceTestKit().persistedInStorage(persistenceId()).stream()
            .skip(before)
            .toList();
    List<UserInbox.Event> events =
        written.stream()
            .map(UserInbox.Event.class::cast)
            .filter(e -> e instanceof UserInbox.MessageAppended)
            .toList();
    return new Appended(reply, events, inbox.getState());
  }

  private EventSourcedBehaviorTestKit.CommandResultWithReply<
          UserInbox.Command, UserInbox.Event, UserInbox.State, StatusReply<Done>>
      register(String username, String displayName) {
    return inbox.runCommand(replyTo -> new UserInbox.Register(username, displayName, replyTo));
  }

  private UserInbox.Connected connect(
      String deviceId, String connectionId, TestProbe<UserInbox.DeviceMessage> device) {
    return (UserInbox.Connected) tryConnect(deviceId, connectionId, device);
  }

  private UserInbox.ConnectReply tryConnect(
      String deviceId, String connectionId, TestProbe<UserInbox.DeviceMessage> device) {
    return inbox
        .<UserInbox.ConnectReply>runCommand(
            replyTo -> new UserInbox.Connect(deviceId, connectionId, device.ref(), replyTo))
        .reply();
  }

  private UserInbox.Located locate(long afterCursor) {
    return inbox
        .<UserInbox.Located>runCommand(replyTo -> new UserInbox.Locate(afterCursor, replyTo))
        .reply();
  }

  private Map<String, ConversationSummary> summaries() {
    Map<String, ConversationSummary> byId = new HashMap<>();
    for (var summary : listConversations()) byId.put(summary.info().conversationId(), summary);
    return byId;
  }

  private List<ConversationSummary> listConversations() {
    return inbox
        .<UserInbox.Conversations>runCommand(UserInbox.ListConversations::new)
        .reply()
        .conversations();
  }

  private static List<Long> cursors(List<UserInbox.Event> events) {
    return events.stream().map(e -> ((UserInbox.MessageAppended) e).cursor()).toList();
  }

  private static List<Long> seqs(List<UserInbox.Event> events) {
    return events.stream().map(e -> ((UserInbox.MessageAppended) e).message().seq()).toList();
  }

  private InboxProgress progress(String conversationId, long lastSeq) {
    return new InboxProgress(userId, conversationId, lastSeq);
  }

  // ---- profile ----

  @Test
  void registerPersistsTheProfileAndGetProfileReturnsIt() {
    var result = register("alice", "Alice");

    assertTrue(result.reply().isSuccess());
    var event = result.eventOfType(UserInbox.UserRegistered.class);
    assertEquals(userId, event.userId());
    assertEquals("alice", event.username());
    assertEquals("Alice", event.displayName());
    UserInbox.Profile profile =
        inbox.<UserInbox.Profile>runCommand(UserInbox.GetProfile::new).reply();
    assertEquals(new UserInbox.Profile(userId, "alice", "Alice", true), profile);
  }

  @Test
  void getProfileOfAnUnregisteredUserSaysSo() {
    var result = inbox.<UserInbox.Profile>runCommand(UserInbox.GetProfile::new);

    assertFalse(result.reply().registered());
    assertEquals(userId, result.reply().userId());
    assertTrue(result.hasNoEvents());
  }

  @Test
  void registeringAgainWithTheSameUsernameIsDoneAndPersistsNothing() {
    register("alice", "Alice");

    var again = register("alice", "Someone Else");

    assertTrue(again.reply().isSuccess());
    assertTrue(again.hasNoEvents());
    assertEquals("Alice", again.state().displayName());
  }

  @Test
  void registeringWithAnotherUsernameIsRefusedAsUsernameTaken() {
    register("alice", "Alice");

    var other = register("mallory", "Mallory");

    assertTrue(other.reply().isError());
    assertEquals(ErrorCode.USERNAME_TAKEN.wire(), other.reply().getError().getMessage());
    assertTrue(other.hasNoEvents());
    assertEquals("alice", other.state().username());
  }

  // ---- join and append ----

  @Test
  void anAppendForAnUnknownConversationAnswersNotJoined() {
    var result = append("c-1", messages("c-1", 1, 2, BOB));

    assertEquals(progress("c-1", InboxProgress.NOT_JOINED), result.reply());
    assertTrue(result.hasNoEvents());
    assertEquals(0, result.state().lastCursor());
  }

  @Test
  void joinPersistsConversationJoinedAndAnswersZero() {
    ConversationInfo info = conversation("c-1", BOB, T0);

    var result = join(info);

    assertEquals(progress("c-1", 0), result.reply());
    assertEquals(
        new UserInbox.ConversationJoined(userId, info, 1),
        result.eventOfType(UserInbox.ConversationJoined.class));
  }

  @Test
  void aSecondJoinAnswersTheCurrentLastSeqWithoutAnEvent() {
    ConversationInfo info = conversation("c-1", BOB, T0);
    join(info);
    append("c-1", messages("c-1", 1, 2, BOB));

    var again = join(info);

    assertEquals(progress("c-1", 2), again.reply());
    assertTrue(again.hasNoEvents());
  }

  @Test
  void appendsGetDenseCursorsFromOneAcrossConversationsAndAnswerTheNewLastSeq() {
    joinWithBob("c-1");
    join(conversation("c-2", CAROL, T0));

    var first = append("c-1", messages("c-1", 1, 2, BOB));
    var second = append("c-2", messages("c-2", 1, 1, CAROL));
    var third = append("c-1", messages("c-1", 3, 3, userId));

    assertEquals(progress("c-1", 2), first.reply());
    assertEquals(List.of(1L, 2L), cursors(first.events()));
    assertEquals(progress("c-2", 1), second.reply());
    assertEquals(List.of(3L), cursors(second.events()));
    assertEquals(progress("c-1", 3), third.reply());
    assertEquals(List.of(4L), cursors(third.events()));
    assertEquals(
        message("c-1", 3, userId), third.eventOfType(UserInbox.MessageAppended.class).message());
    assertEquals(4, third.state().lastCursor());
  }

  @Test
  void aRedeliveredAppendPersistsNothingAndAnswersTheLastSeq() {
    joinWithBob("c-1");
    append("c-1", messages("c-1", 1, 3, BOB));

    var again = append("c-1", messages("c-1", 1, 3, BOB));

    assertEquals(progress("c-1", 3), again.reply());
    assertTrue(again.hasNoEvents());
    assertEquals(3, again.state().lastCursor());
  }

  @Test
  void anEmptyAppendIsAProbeAnsweredWithTheLastSeq() {
    joinWithBob("c-1");
    append("c-1", messages("c-1", 1, 2, BOB));

    var probe = append("c-1", List.of());

    assertEquals(progress("c-1", 2), probe.reply());
    assertTrue(probe.hasNoEvents());
  }

  @Test
  void anAppendWithAGapKeepsOnlyWhatPrecedesTheGap() {
    joinWithBob("c-1");
    List<ChatMessage> withGap = new ArrayList<>(messages("c-1", 1, 2, BOB));
    withGap.addAll(messages("c-1", 4, 5, BOB));

    var result = append("c-1", withGap);

    assertEquals(progress("c-1", 2), result.reply());
    assertEquals(List.of(1L, 2L), seqs(result.events()));
  }

  @Test
  void anAppendThatStartsAfterAGapPersistsNothing() {
    joinWithBob("c-1");
    append("c-1", messages("c-1", 1, 1, BOB));

    var result = append("c-1", messages("c-1", 3, 4, BOB));

    assertEquals(progress("c-1", 1), result.reply());
    assertTrue(result.hasNoEvents());
  }

  @Test
  void anOverlappingBatchAppendsOnlyTheNewPart() {
    joinWithBob("c-1");
    append("c-1", messages("c-1", 1, 3, BOB));

    var result = append("c-1", messages("c-1", 2, 5, BOB));

    assertEquals(progress("c-1", 5), result.reply());
    assertEquals(List.of(4L, 5L), seqs(result.events()));
    assertEquals(List.of(4L, 5L), cursors(result.events()));
  }

  // ---- devices ----

  @Test
  void aConnectedDeviceReceivesTheNewEntriesInCursorOrder() {
    joinWithBob("c-1");
    TestProbe<UserInbox.DeviceMessage> phone = testKit.createTestProbe();
    connect("phone", "conn-1", phone);

    append("c-1", messages("c-1", 1, 2, BOB));
    append("c-1", messages("c-1", 3, 3, BOB));

    phone.expectMessage(
        new UserInbox.Deliver(
            List.of(
                new InboxEntry(1, message("c-1", 1, BOB)),
                new InboxEntry(2, message("c-1", 2, BOB)))));
    phone.expectMessage(new UserInbox.Deliver(List.of(new InboxEntry(3, message("c-1", 3, BOB)))));
  }

  @Test
  void aBatchLargerThanTheBatchSizeArrivesInChunksOfAtMostTheBatchSize() {
    joinWithBob("c-1");
    TestProbe<UserInbox.DeviceMessage> phone = testKit.createTestProbe();
    connect("phone", "conn-1", phone);

    append("c-1", messages("c-1", 1, 7, BOB));

    List<Long> received = new ArrayList<>();
    while (received.size() < 7) {
      var deliver = phone.expectMessageClass(UserInbox.Deliver.class);
      assertTrue(
          deliver.entries().size() <= BATCH_SIZE && !deliver.entries().isEmpty(),
          "chunk of " + deliver.entries().size());
      deliver.entries().forEach(entry -> received.add(entry.cursor()));
    }
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), received);
  }

  @Test
  void everyConnectedDeviceReceivesTheEntries() {
    joinWithBob("c-1");
    TestProbe<UserInbox.DeviceMessage> phone = testKit.createTestProbe();
    TestProbe<UserInbox.DeviceMessage> laptop = testKit.createTestProbe();
    connect("phone", "conn-1", phone);
    connect("laptop", "conn-2", laptop);

    append("c-1", messages("c-1", 1, 1, BOB));

    var expected = new UserInbox.Deliver(List.of(new InboxEntry(1, message("c-1", 1, BOB))));
    phone.expectMessage(expected);
    laptop.expectMessage(expected);
  }

  @Test
  void connectAnswersTheDevicesAckedCursorAndTheLatestCursor() {
    joinWithBob("c-1");
    append("c-1", messages("c-1", 1, 5, BOB));
    inbox.runCommand(new UserInbox.Ack("phone", 3, Map.of()));

    UserInbox.Connected phone = connect("phone", "conn-1", testKit.createTestProbe());
    UserInbox.Connected tablet = connect("tablet", "conn-2", testKit.createTestProbe());

    assertEquals(3, phone.ackedCursor());
    assertEquals(5, phone.latestCursor());
    assertEquals(0, tablet.ackedCursor());
    assertEquals(5, tablet.latestCursor());
    // Journal: ConversationJoined is 1, cursor 1 is 2: the only checkpoint so far.
    assertEquals(2, phone.replayFromSeqNr());
    assertEquals(2, tablet.replayFromSeqNr());
  }

  @Test
  void aNewerConnectionOfTheSameDeviceReplacesTheOlderOne() {
    joinWithBob("c-1");
    TestProbe<UserInbox.DeviceMessage> older = testKit.createTestProbe();
    TestProbe<UserInbox.DeviceMessage> newer = testKit.createTestProbe();
    connect("phone", "conn-1", older);

    connect("phone", "conn-2", newer);
    older.expectMessage(new UserInbox.Replaced("phone"));

    append("c-1", messages("c-1", 1, 1, BOB));
    newer.expectMessage(new UserInbox.Deliver(List.of(new InboxEntry(1, message("c-1", 1, BOB)))));
  }

  @Test
  void anOlderConnectionArrivingLateIsToldItWasReplaced() {
    joinWithBob("c-1");
    TestProbe<UserInbox.DeviceMessage> newer = testKit.createTestProbe();
    TestProbe<UserInbox.DeviceMessage> older = testKit.createTestProbe();
    TestProbe<UserInbox.ConnectReply> olderConnected = testKit.createTestProbe();
    connect("phone", "conn-2", newer);

    inbox.runCommand(new UserInbox.Connect("phone", "conn-1", older.ref(), olderConnected.ref()));

    older.expectMessage(new UserInbox.Replaced("phone"));
    append("c-1", messages("c-1", 1, 1, BOB));
    newer.expectMessage(new UserInbox.Deliver(List.of(new InboxEntry(1, message("c-1", 1, BOB)))));
    olderConnected.expectNoMessage(Duration.ofMillis(100));
  }

  // ---- acks ----

  @Test
  void acksAreHeldAndTheFlushWritesEachDevicesNewestCursorOnce() {
    joinWithBob("c-1");
    append("c-1", messages("c-1", 1, 5, BOB));

    assertTrue(inbox.runCommand(new UserInbox.Ack("phone", 2, Map.of())).hasNoEvents());
    assertTrue(inbox.runCommand(new UserInbox.Ack("phone", 3, Map.of())).hasNoEvents());
    assertEquals(3, connect("phone", "conn-1", testKit.createTestProbe()).ackedCursor());

    var flushed = inbox.runCommand(UserInbox.FlushAcks.INSTANCE);
    assertEquals(
        List.of(new UserInbox.DeviceAcked(userId, "phone", 3, Map.of())), flushed.events());
    assertEquals(3, flushed.state().ackedCursor("phone"));
    assertTrue(inbox.runCommand(UserInbox.FlushAcks.INSTANCE).hasNoEvents());
  }

  @Test
  void positionsAreWrittenWithTheCursorAndSurviveARestart() {
    joinWithBob("c-1");
    append("c-1", messages("c-1", 1, 3, BOB));

    inbox.runCommand(new UserInbox.Ack("phone", 2, Map.of("c-1", 2L)));
    var flushed = inbox.runCommand(UserInbox.FlushAcks.INSTANCE);

    assertEquals(
        List.of(new UserInbox.DeviceAcked(userId, "phone", 2, Map.of("c-1", 2L))),
        flushed.events());
    var restarted = inbox.restart();
    assertEquals(2, restarted.state().position("phone", "c-1"));
    assertEquals(2, restarted.state().ackedCursor("phone"));
  }

  @Test
  void aLowerOrEqualAckWritesNothing() {
    joinWithBob("c-1");
    append("c-1", messages("c-1", 1, 5, BOB));
    inbox.runCommand(new UserInbox.Ack("phone", 3, Map.of()));
    inbox.runCommand(UserInbox.FlushAcks.INSTANCE);

    inbox.runCommand(new UserInbox.Ack("phone", 3, Map.of()));
    inbox.runCommand(new UserInbox.Ack("phone", 2, Map.of()));
    var flushed = inbox.runCommand(UserInbox.FlushAcks.INSTANCE);
    assertTrue(flushed.hasNoEvents());
    assertEquals(3, flushed.state().ackedCursor("phone"));
  }

  @Test
  void anAckBeyondTheLatestCursorIsClamped() {
    joinWithBob("c-1");
    append("c-1", messages("c-1", 1, 5, BOB));

    inbox.runCommand(new UserInbox.Ack("phone", 99, Map.of()));
    var flushed = inbox.runCommand(UserInbox.FlushAcks.INSTANCE);

    assertEquals(
        List.of(new UserInbox.DeviceAcked(userId, "phone", 5, Map.of())), flushed.events());
    inbox.runCommand(new UserInbox.Ack("phone", 100, Map.of()));
    assertTrue(inbox.runCommand(UserInbox.FlushAcks.INSTANCE).hasNoEvents());
  }

  @Test
  void acksAreKeptPerDevice() {
    joinWithBob("c-1");
    append("c-1", messages("c-1", 1, 5, BOB));
    inbox.runCommand(new UserInbox.Ack("phone", 4, Map.of()));
    inbox.runCommand(new UserInbox.Ack("laptop", 2, Map.of()));

    var flushed = inbox.runCommand(UserInbox.FlushAcks.INSTANCE);

    assertEquals(
        List.of(
            new UserInbox.DeviceAcked(userId, "phone", 4, Map.of()),
            new UserInbox.DeviceAcked(userId, "laptop", 2, Map.of())),
        flushed.events());
    assertEquals(4, flushed.state().ackedCursor("phone"));
    assertEquals(2, flushed.state().ackedCursor("laptop"));
  }

  @Test
  void heldAcksAreWrittenWithinTheFlushIntervalWithoutAnyoneAsking() {
    inbox =
        inboxWith(
            new DeliverySettings(
                SETTINGS.connectionTimeout(),
                MAX_DEVICES,
                SETTINGS.heartbeatInterval(),
                BATCH_SIZE,
                SETTINGS.outgoingBufferFrames(),
                SETTINGS.outgoingBufferBytes(),
                SETTINGS.drainTimeout(),
                SETTINGS.presenceGrace(),
                Duration.ofMillis(100),
                MAX_PERSIST_BATCH));
    joinWithBob("c-1");
    append("c-1", messages("c-1", 1, 5, BOB));

    inbox.runCommand(new UserInbox.Ack("phone", 4, Map.of()));

    awaitWrittenCursor("phone", 4);
  }

  @Test
  void aDeviceThatDisconnectsHasItsHeldAcksWrittenAtOnce() {
    joinWithBob("c-1");
    append("c-1", messages("c-1", 1, 5, BOB));
    TestProbe<UserInbox.DeviceMessage> phone = testKit.createTestProbe();
    connect("phone", "conn-1", phone);
    inbox.runCommand(new UserInbox.Ack("phone", 3, Map.of()));

    phone.stop();

    awaitWrittenCursor("phone", 3);
  }

  /** Within 10 s, well before the one-minute flush interval of {@link #SETTINGS}. */
  private void awaitWrittenCursor(String deviceId, long cursor) {
    testKit
        .createTestProbe()
        .awaitAssert(
            Duration.ofSeconds(10),
            () -> {
              assertEquals(cursor, inbox.getState().ackedCursor(deviceId));
              return null;
            });
  }

  @Test
  void stoppingWritesTheHeldAcksFirstSoPassivationLosesNone() {
    joinWithBob("c-1");
    append("c-1", messages("c-1", 1, 5, BOB));
    // A second incarnation on the same journal, told what sharding tells an entity it stops.
    var live = testKit.spawn(behaviour(SETTINGS));
    live.tell(new UserInbox.Ack("phone", 5, Map.of()));

    live.tell(UserInbox.Stop.INSTANCE);

    testKit.createTestProbe().expectTerminated(live, Duration.ofSeconds(5));
    assertEquals(5, inbox.restart().state().ackedCursor("phone"));
  }

  // ---- conversation list ----

  @Test
  void unreadCountsMessagesFromTheOtherMemberAndAnOwnMessageResetsIt() {
    joinWithBob("c-1");
    append("c-1", messages("c-1", 1, 2, BOB));
    assertEquals(2, summaries().get("c-1").unread());

    append("c-1", messages("c-1", 3, 3, userId));
    assertEquals(0, summaries().get("c-1").unread());

    append("c-1", messages("c-1", 4, 4, BOB));
    ConversationSummary summary = summaries().get("c-1");
    assertEquals(1, summary.unread());
    assertEquals(4, summary.lastSeq());
    assertEquals(4, summary.lastCursor());
    assertEquals(
        new ConversationSummary.LastMessage(4, BOB, "body 4", message("c-1", 4, BOB).timestamp()),
        summary.last());
  }

  @Test
  void anAckPastAConversationsLastEntryMarksItDeliveredAndSignalsADeliveredReceipt()
      throws Exception {
    joinWithBob("c-1");
    join(conversation("c-2", CAROL, T0));
    append("c-1", messages("c-1", 1, 2, BOB)); // cursors 1, 2
    append("c-2", messages("c-2", 1, 2, CAROL)); // cursors 3, 4

    inbox.runCommand(new UserInbox.Ack("phone", 1, Map.of()));
    assertEquals(0, summaries().get("c-1").deliveredSeq(), "cursor 2 of c-1 is not acked yet");

    inbox.runCommand(new UserInbox.Ack("phone", 2, Map.of()));
    assertEquals(new Notice.Receipt("c-1", userId, Notice.Kind.DELIVERED, 2), nextSignal());
    inbox.runCommand(UserInbox.FlushAcks.INSTANCE);

    assertEquals(2, summaries().get("c-1").deliveredSeq());
    assertEquals(0, summaries().get("c-2").deliveredSeq());
    assertEquals(2, summaries().get("c-1").unread(), "received is not read");
  }

  @Test
  void aReadMarkerForAConversationTheUserIsNotInIsRefusedAsNotMember() {
    joinWithBob("c-1");
    var refusals = testKit.<messenger.chat.Refusal>createTestProbe();

    var result = inbox.runCommand(new UserInbox.MarkRead("c-elsewhere", 5, refusals.ref()));

    assertEquals(List.of(), result.events());
    assertEquals(
        new messenger.chat.Refusal("c-elsewhere", ErrorCode.NOT_MEMBER), refusals.receiveMessage());
    inbox.runCommand(new UserInbox.MarkRead("c-1", 0, refusals.ref()));
    refusals.expectNoMessage(java.time.Duration.ofMillis(200));
  }

  @Test
  void aReadMarkerCountsUnreadExactlyAndSignalsAReadReceiptOnce() throws Exception {
    joinWithBob("c-1");
    append("c-1", messages("c-1", 1, 3, BOB));
    append("c-1", List.of(message("c-1", 4, BOB)));
    assertEquals(4, summaries().get("c-1").unread());

    inbox.runCommand(new UserInbox.MarkRead("c-1", 2, null));
    assertEquals(2, summaries().get("c-1").unread());
    assertEquals(new Notice.Receipt("c-1", userId, Notice.Kind.READ, 2), nextSignal());

    var again = inbox.runCommand(new UserInbox.MarkRead("c-1", 1, null));
    assertEquals(List.of(), again.events(), "a read marker never moves back");

    inbox.runCommand(new UserInbox.MarkRead("c-1", 99, null));
    assertEquals(0, summaries().get("c-1").unread());
    assertEquals(new Notice.Receipt("c-1", userId, Notice.Kind.READ, 4), nextSignal());
  }

  @Test
  void theFirstDeviceToConnectAndTheLastToGoSignalPresenceWithTheUsersConversations()
      throws Exception {
    joinWithBob("c-1");
    TestProbe<UserInbox.DeviceMessage> phone = testKit.createTestProbe();
    TestProbe<UserInbox.DeviceMessage> laptop = testKit.createTestProbe();

    connect("phone", "conn-1", phone);
    connect("laptop", "conn-2", laptop);
    PresenceSignal online = (PresenceSignal) nextSignal();
    assertTrue(online.presence().online());
    assertEquals(
        List.of("c-1"),
        online.conversations().stream().map(ConversationInfo::conversationId).toList());

    phone.stop();
    laptop.stop();
    PresenceSignal offline = (PresenceSignal) nextSignal();
    assertFalse(offline.presence().online());
    assertTrue(offline.presence().lastSeen() != null);
    assertEquals(null, signals.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS), "one each");
    var presence = inbox.<Notice.Presence>runCommand(UserInbox.GetPresence::new).reply();
    assertEquals(offline.presence(), presence);
  }

  @Test
  void aUserWhoseLastDeviceComesBackWithinTheGraceNeverShowsOffline() throws Exception {
    joinWithBob("c-1");
    TestProbe<UserInbox.DeviceMessage> phone = testKit.createTestProbe();
    connect("phone", "conn-1", phone);
    assertTrue(((PresenceSignal) nextSignal()).presence().online());
    append("c-1", messages("c-1", 1, 1, BOB));
    inbox.runCommand(new UserInbox.Ack("phone", 1, Map.of()));
    nextSignal(); // the delivered receipt

    phone.stop();
    // The inbox has seen the device go once it lists it offline; the grace runs from there.
    TestProbe<Object> waiter = testKit.createTestProbe();
    waiter.awaitAssert(
        Duration.ofSeconds(3),
        () -> {
          var devices = inbox.<UserInbox.Devices>runCommand(UserInbox.ListDevices::new).reply();
          assertFalse(devices.devices().get(0).online());
          return null;
        });
    assertTrue(
        inbox.<Notice.Presence>runCommand(UserInbox.GetPresence::new).reply().online(),
        "online during the grace");
    TestProbe<UserInbox.DeviceMessage> phoneAgain = testKit.createTestProbe();
    connect("phone", "conn-2", phoneAgain);

    assertEquals(
        null,
        signals.poll(PRESENCE_GRACE_MS + 500, java.util.concurrent.TimeUnit.MILLISECONDS),
        "neither offline nor online was announced");
    assertTrue(inbox.<Notice.Presence>runCommand(UserInbox.GetPresence::new).reply().online());
  }

  @Test
  void aRelayedNoticeReachesEveryConnectedDevice() {
    TestProbe<UserInbox.DeviceMessage> phone = testKit.createTestProbe();
    TestProbe<UserInbox.DeviceMessage> laptop = testKit.createTestProbe();
    connect("phone", "conn-1", phone);
    connect("laptop", "conn-2", laptop);

    var typing = new Notice.Typing("c-1", BOB);
    var result = inbox.runCommand(new UserInbox.Relay(typing));

    assertEquals(List.of(), result.events(), "notices are not stored");
    phone.expectMessage(new UserInbox.Ephemeral(typing));
    laptop.expectMessage(new UserInbox.Ephemeral(typing));
  }

  @Test
  void revokedTokensAreToldToEveryConnectedDeviceAndNothingIsStored() {
    TestProbe<UserInbox.DeviceMessage> phone = testKit.createTestProbe();
    TestProbe<UserInbox.DeviceMessage> laptop = testKit.createTestProbe();
    connect("phone", "conn-1", phone);
    connect("laptop", "conn-2", laptop);

    var result = inbox.runCommand(new UserInbox.EndRevokedConnections(3, "token-7"));

    assertEquals(List.of(), result.events());
    phone.expectMessage(new UserInbox.Revoked(3, "token-7"));
    laptop.expectMessage(new UserInbox.Revoked(3, "token-7"));
  }

  private Object nextSignal() throws InterruptedException {
    Object next = signals.poll(3, java.util.concurrent.TimeUnit.SECONDS);
    if (next == null) throw new AssertionError("no signal");
    return next;
  }

  @Test
  void aLongBodyIsPreviewedShortened() {
    joinWithBob("c-1");
    String body = "x".repeat(250);
    var longMessage = new ChatMessage("c-1", 1, "m-1", BOB, body, T0);

    append("c-1", List.of(longMessage));

    String preview = summaries().get("c-1").last().preview();
    assertTrue(preview.length() < body.length(), preview);
    assertTrue(body.startsWith(preview.substring(0, preview.length() - 1)), preview);
  }

  @Test
  void listConversationsIsSortedByLatestActivityFirst() {
    join(conversation("c-old", BOB, T0));
    join(conversation("c-new", CAROL, T0.plusSeconds(10)));
    assertEquals(
        List.of("c-new", "c-old"),
        listConversations().stream().map(s -> s.info().conversationId()).toList());

    append("c-old", messages("c-old", 1, 1, BOB)); // at T0 + 61s

    assertEquals(
        List.of("c-old", "c-new"),
        listConversations().stream().map(s -> s.info().conversationId()).toList());
  }

  // ---- recovery and checkpoints ----

  @Test
  void afterRestartEverythingIsKept() {
    register("alice", "Alice");
    joinWithBob("c-1");
    join(conversation("c-2", CAROL, T0));
    append("c-1", messages("c-1", 1, 3, BOB));
    append("c-2", messages("c-2", 1, 1, userId));
    inbox.runCommand(new UserInbox.Ack("phone", 2, Map.of()));
    inbox.runCommand(UserInbox.FlushAcks.INSTANCE);
    UserInbox.State before = inbox.getState();

    var restarted = inbox.restart();

    assertEquals(before, restarted.state());
    assertEquals(progress("c-1", 3), append("c-1", messages("c-1", 1, 3, BOB)).reply());
    var next = append("c-1", messages("c-1", 4, 4, BOB));
    assertEquals(List.of(5L), cursors(next.events()));
    UserInbox.Connected phone = connect("phone", "conn-1", testKit.createTestProbe());
    assertEquals(2, phone.ackedCursor());
    assertEquals(5, phone.latestCursor());
    assertEquals(
        new UserInbox.Profile(userId, "alice", "Alice", true),
        inbox.<UserInbox.Profile>runCommand(UserInbox.GetProfile::new).reply());
  }

  @Test
  void locateAnswersACheckpointAtOrBeforeTheEntryAfterTheCursorAndWithinCheckpointEveryEntries() {
    register("alice", "Alice");
    joinWithBob("c-1");
    for (long seq = 1; seq <= 150; seq++) {
      append("c-1", List.of(message("c-1", seq, seq % 3 == 0 ? userId : BOB)));
      if (seq % 7 == 0) inbox.runCommand(new UserInbox.Ack("phone", seq - 2, Map.of()));
      if (seq % 11 == 0) inbox.runCommand(new UserInbox.Ack("laptop", seq, Map.of()));
    }

    assertCheckpointsMatchTheJournal(150);
    inbox.restart();
    assertCheckpointsMatchTheJournal(150);
  }

  @Test
  void checkpointsStayRightAfterRecoveryFromASnapshot() {
    joinWithBob("c-1");
    for (long seq = 1; seq <= 600; seq += 10) {
      append("c-1", messages("c-1", seq, seq + 9, BOB));
      inbox.runCommand(new UserInbox.Ack("phone", seq, Map.of()));
    }
    String persistenceId = persistenceId();
    assertFalse(
        inbox.snapshotTestKit().orElseThrow().persistedInStorage(persistenceId).isEmpty(),
        "a snapshot was taken, so recovery starts from it");

    UserInbox.State before = inbox.getState();

    var restarted = inbox.restart();

    assertEquals(before, restarted.state());
    var next = append("c-1", messages("c-1", 601, 601, BOB));
    assertEquals(List.of(601L), cursors(next.events()));
    assertCheckpointsMatchTheJournal(601);
  }

  @Test
  void locateClampsACursorBeyondTheLatest() {
    joinWithBob("c-1");
    append("c-1", messages("c-1", 1, 5, BOB));

    UserInbox.Located located = locate(99);

    assertEquals(5, located.afterCursor());
    assertEquals(5, located.latestCursor());
  }

  @Test
  void locateInAnEmptyInboxStartsAtTheBeginning() {
    assertEquals(new UserInbox.Located(0, 0, 1), locate(0));
  }

  private String persistenceId() {
    return PersistenceId.of(UserInbox.ENTITY_KEY.name(), userId).id();
  }

  // ---- device limit ----

  @Test
  void aDeviceBeyondTheConnectionLimitIsRefusedWhileTheOthersKeepReceiving() {
    joinWithBob("c-1");
    List<TestProbe<UserInbox.DeviceMessage>> devices = new ArrayList<>();
    for (int i = 0; i < MAX_DEVICES; i++) {
      TestProbe<UserInbox.DeviceMessage> device = testKit.createTestProbe();
      devices.add(device);
      connect("device-" + i, "conn-" + i, device);
    }

    var refused = tryConnect("one-too-many", "conn-x", testKit.createTestProbe());

    assertEquals(new UserInbox.Refused(MAX_DEVICES), refused);
    append("c-1", messages("c-1", 1, 1, BOB));
    for (var device : devices) {
      device.expectMessage(
          new UserInbox.Deliver(List.of(new InboxEntry(1, message("c-1", 1, BOB)))));
    }
  }

  @Test
  void aReconnectOfAnAlreadyConnectedDeviceAtTheLimitReplacesTheOldConnection() {
    TestProbe<UserInbox.DeviceMessage> oldPhone = testKit.createTestProbe();
    connect("phone", "conn-1", oldPhone);
    for (int i = 1; i < MAX_DEVICES; i++) {
      connect("device-" + i, "conn-" + (i + 1), testKit.createTestProbe());
    }

    var reply = tryConnect("phone", "conn-9", testKit.createTestProbe());

    assertTrue(reply instanceof UserInbox.Connected, "got " + reply);
    oldPhone.expectMessage(new UserInbox.Replaced("phone"));
  }

  @Test
  void aDeviceWhoseConnectionEndedFreesItsPlace() {
    List<TestProbe<UserInbox.DeviceMessage>> devices = new ArrayList<>();
    for (int i = 0; i < MAX_DEVICES; i++) {
      TestProbe<UserInbox.DeviceMessage> device = testKit.createTestProbe();
      devices.add(device);
      connect("device-" + i, "conn-" + i, device);
    }
    devices.get(0).stop();

    testKit
        .createTestProbe()
        .awaitAssert(
            () -> {
              var reply = tryConnect("laptop", "conn-l", testKit.createTestProbe());
              assertTrue(reply instanceof UserInbox.Connected, "got " + reply);
              return null;
            });
  }

  @Test
  void theDeviceListShowsWhichDevicesAreOnlineHowFarTheyReadAndWhoHasPush() {
    joinWithBob("c-1");
    append("c-1", messages("c-1", 1, 2, BOB));
    connect("phone", "conn-1", testKit.createTestProbe());
    inbox.runCommand(new UserInbox.Ack("phone", 2, Map.of()));
    registerPush("laptop", webPush("https://push.example/laptop"), true);

    var devices = inbox.<UserInbox.Devices>runCommand(UserInbox.ListDevices::new).reply().devices();

    assertEquals(
        List.of(
            new UserInbox.DeviceView("laptop", false, 0, PushKind.WEB_PUSH),
            new UserInbox.DeviceView("phone", true, 2, null)),
        devices);
  }

  // ---- push notifications ----

  private static PushSubscription webPush(String endpoint) {
    return new PushSubscription(PushKind.WEB_PUSH, endpoint, "p256dh-key", "auth-secret");
  }

  private void registerPush(String deviceId, PushSubscription subscription, boolean previews) {
    var result =
        inbox.<Done>runCommand(
            replyTo ->
                new UserInbox.RegisterPush(
                    deviceId, new PushRegistration(subscription, previews), replyTo));
    assertEquals(Done.getInstance(), result.reply());
  }

  private Pushed nextPush() throws InterruptedException {
    Pushed next = pushed.poll(3, java.util.concurrent.TimeUnit.SECONDS);
    if (next == null) throw new AssertionError("no push notification");
    return next;
  }

  @Test
  void anOfflineDeviceWithPushIsNotifiedWithTheUnreadCountAndPreview() throws Exception {
    joinWithBob("c-1");
    registerPush("laptop", webPush("https://push.example/laptop"), true);

    append("c-1", messages("c-1", 1, 1, BOB));
    append("c-1", messages("c-1", 2, 3, BOB));

    Pushed first = nextPush();
    assertEquals(userId, first.userId());
    assertEquals("laptop", first.deviceId());
    assertEquals("https://push.example/laptop", first.subscription().endpoint());
    assertEquals(new Notification("c-1", 1, "body 1", null, 1), first.notification());
    assertEquals(new Notification("c-1", 3, "body 3", null, 3), nextPush().notification());
  }

  @Test
  void aDeviceThatTurnedPreviewsOffGetsNoMessageTextInItsNotification() throws Exception {
    joinWithBob("c-1");
    registerPush("laptop", webPush("https://push.example/laptop"), false);

    append("c-1", messages("c-1", 1, 1, BOB));

    assertEquals(new Notification("c-1", 1, null, null, 1), nextPush().notification());
  }

  @Test
  void onlyTheOfflineDevicesAreNotifiedAndNotForTheUsersOwnMessages() throws Exception {
    joinWithBob("c-1");
    registerPush("phone", webPush("https://push.example/phone"), true);
    registerPush("laptop", webPush("https://push.example/laptop"), true);
    connect("phone", "conn-1", testKit.createTestProbe());

    append("c-1", List.of(message("c-1", 1, userId)));
    append("c-1", messages("c-1", 2, 2, BOB));

    Pushed only = nextPush();
    assertEquals("laptop", only.deviceId());
    assertEquals(2, only.notification().latestSeq());
    assertEquals(null, pushed.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS));
  }

  @Test
  void aGoneEndpointIsRemovedButNotIfTheDeviceRegisteredANewOneMeanwhile() throws Exception {
    joinWithBob("c-1");
    registerPush("laptop", webPush("https://push.example/old"), true);
    registerPush("laptop", webPush("https://push.example/new"), true);

    inbox.runCommand(new UserInbox.PushEndpointGone("laptop", "https://push.example/old"));
    append("c-1", messages("c-1", 1, 1, BOB));
    assertEquals("https://push.example/new", nextPush().subscription().endpoint());

    var result =
        inbox.runCommand(new UserInbox.PushEndpointGone("laptop", "https://push.example/new"));
    assertEquals(List.of(new UserInbox.PushUnregistered(userId, "laptop")), result.events());
    append("c-1", messages("c-1", 2, 2, BOB));
    assertEquals(null, pushed.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS));
  }

  @Test
  void pushRegistrationsSurviveARestart() throws Exception {
    joinWithBob("c-1");
    registerPush("laptop", webPush("https://push.example/laptop"), false);

    inbox.restart();
    append("c-1", messages("c-1", 1, 1, BOB));

    Pushed next = nextPush();
    assertEquals("https://push.example/laptop", next.subscription().endpoint());
    assertEquals(null, next.notification().preview());
  }

  // ---- groups ----

  private ConversationInfo groupInfo(String id, String title) {
    return new ConversationInfo(id, ConversationType.GROUP, List.of(), T0, title);
  }

  private static ChatMessage systemEntry(
      String conversationId, long seq, String actor, SystemChange change) {
    return new ChatMessage(
        conversationId,
        seq,
        "m-" + conversationId + "-" + seq,
        actor,
        "",
        T0.plusSeconds(60 + seq),
        change);
  }

  @Test
  void aMemberAddedLaterHoldsTheGroupFromItsJoinSeqAndIgnoresWhatCameBefore() {
    var joined =
        inbox.<InboxProgress>runCommand(
            replyTo -> new UserInbox.Join(groupInfo("g-1", "climbing"), 7, replyTo));
    assertEquals(progress("g-1", 6), joined.reply());

    var early = append("g-1", messages("g-1", 5, 6, BOB));
    var late =
        append(
            "g-1",
            List.of(
                systemEntry("g-1", 7, BOB, SystemChange.added(userId)), message("g-1", 8, BOB)));

    assertEquals(List.of(), early.events());
    assertEquals(progress("g-1", 8), late.reply());
    assertEquals(2, late.events().size());
  }

  @Test
  void beingRemovedMarksTheGroupLeftAndBeingAddedAgainResumesFromTheNewJoin() {
    inbox.<InboxProgress>runCommand(
        replyTo -> new UserInbox.Join(groupInfo("g-1", "climbing"), 1, replyTo));
    append(
        "g-1",
        List.of(message("g-1", 1, BOB), systemEntry("g-1", 2, BOB, SystemChange.removed(userId))));
    assertTrue(summaries().get("g-1").left());

    var rejoined =
        inbox.<InboxProgress>runCommand(
            replyTo -> new UserInbox.Join(groupInfo("g-1", "climbing"), 10, replyTo));
    assertEquals(progress("g-1", 9), rejoined.reply());
    append("g-1", List.of(systemEntry("g-1", 10, BOB, SystemChange.added(userId))));

    ConversationSummary summary = summaries().get("g-1");
    assertFalse(summary.left());
    assertEquals(10, summary.lastSeq());
  }

  @Test
  void membershipAndTitleChangesAreNotUnreadAndRenameUpdatesTheListedTitle() {
    inbox.<InboxProgress>runCommand(
        replyTo -> new UserInbox.Join(groupInfo("g-1", "climbing"), 1, replyTo));

    append(
        "g-1",
        List.of(
            message("g-1", 1, BOB),
            systemEntry("g-1", 2, BOB, SystemChange.renamed("bouldering"))));

    ConversationSummary summary = summaries().get("g-1");
    assertEquals(1, summary.unread());
    assertEquals("bouldering", summary.info().title());
    assertEquals("body 1", summary.last().preview());
  }

  @Test
  void aMutedConversationSendsNoPushWhileOthersStillDo() throws Exception {
    joinWithBob("c-1");
    joinWithBob("c-2");
    registerPush("laptop", webPush("https://push.example/laptop"), true);
    var muted =
        inbox.<StatusReply<Done>>runCommand(
            replyTo -> new UserInbox.SetMuted("c-1", true, replyTo));
    assertTrue(muted.reply().isSuccess());

    append("c-1", messages("c-1", 1, 1, BOB));
    append("c-2", messages("c-2", 1, 1, BOB));

    assertEquals("c-2", nextPush().notification().conversationId());
    assertTrue(summaries().get("c-1").muted());
  }

  @Test
  void membershipChangesSendNoPush() throws Exception {
    inbox.<InboxProgress>runCommand(
        replyTo -> new UserInbox.Join(groupInfo("g-1", "climbing"), 1, replyTo));
    registerPush("laptop", webPush("https://push.example/laptop"), true);

    append("g-1", List.of(systemEntry("g-1", 1, BOB, SystemChange.renamed("x"))));
    append("g-1", messages("g-1", 2, 2, BOB));

    assertEquals(2, nextPush().notification().latestSeq());
  }

  @Test
  void beingAddedToAGroupIsPushedToOfflineDevicesWithTheGroupsTitle() throws Exception {
    registerPush("laptop", webPush("https://push.example/laptop"), true);
    registerPush("phone", webPush("https://push.example/phone"), false);
    inbox.<InboxProgress>runCommand(
        replyTo -> new UserInbox.Join(groupInfo("g-1", "climbing"), 5, replyTo));

    append("g-1", List.of(systemEntry("g-1", 5, BOB, SystemChange.added(userId))));

    Map<String, Notification> byDevice = new HashMap<>();
    for (int i = 0; i < 2; i++) {
      Pushed push = nextPush();
      byDevice.put(push.deviceId(), push.notification());
    }
    assertEquals("g-1", byDevice.get("laptop").conversationId());
    assertEquals(5, byDevice.get("laptop").latestSeq());
    assertEquals("You were added to \u201Cclimbing\u201D", byDevice.get("laptop").preview());
    assertEquals(null, byDevice.get("phone").preview(), "no previews on this device");
    // Someone else being added is no news.
    append("g-1", List.of(systemEntry("g-1", 6, BOB, SystemChange.added(CAROL))));
    assertEquals(null, pushed.poll(300, java.util.concurrent.TimeUnit.MILLISECONDS));
  }

  @Test
  void mutingAConversationTheUserIsNotInIsRefusedAsNotMember() {
    var reply =
        inbox
            .<StatusReply<Done>>runCommand(replyTo -> new UserInbox.SetMuted("nope", true, replyTo))
            .reply();
    assertEquals(ErrorCode.NOT_MEMBER.wire(), reply.getError().getMessage());
  }

  private void assertCheckpointsMatchTheJournal(long lastCursor) {
    List<Object> journal =
        PersistenceTestKit.create(testKit.system()).persistedInStorage(persistenceId());
    Map<Long, Long> seqNrOfCursor = new HashMap<>();
    for (int i = 0; i < journal.size(); i++) {
      if (journal.get(i) instanceof UserInbox.MessageAppended appended) {
        seqNrOfCursor.put(appended.cursor(), i + 1L);
      }
    }
    assertEquals(lastCursor, seqNrOfCursor.size());

    for (long after = 0; after < lastCursor; after++) {
      UserInbox.Located located = locate(after);
      assertEquals(after, located.afterCursor());
      assertEquals(lastCursor, located.latestCursor());
      long from = located.replayFromSeqNr();
      long target = seqNrOfCursor.get(after + 1);
      assertTrue(
          from >= 1 && from <= target,
          "after " + after + ": replay from " + from + " misses entry at " + target);
      long entriesToSkip =
          journal.subList((int) from - 1, (int) target - 1).stream()
              .filter(event -> event instanceof UserInbox.MessageAppended)
              .count();
      assertTrue(
          entriesToSkip < UserInbox.CHECKPOINT_EVERY,
          "after " + after + ": replay from " + from + " skips " + entriesToSkip + " entries");
    }
  }
}
