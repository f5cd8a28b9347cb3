package messenger.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.Behavior;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import akka.persistence.typed.PersistenceId;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import messenger.chat.ChatMessage;
import messenger.chat.ConversationInfo;
import messenger.chat.ConversationType;
import messenger.chat.InboxProgress;
import messenger.chat.Notice;
import messenger.chat.SystemChange;
import messenger.push.Notification;
import messenger.push.PushKind;
import messenger.push.PushSubscription;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the {@link UserInbox} tests share: a fresh user's inbox on the testkit's in-memory journal,
 * the conversations' logs it reads at a start ({@link InMemoryConversationLogs}), and what it
 * pushes and signals, collected in order. Each test class brings its own {@link ActorTestKit}.
 */
abstract class InboxFixture {

  static final int BATCH_SIZE = 3;
  static final int MAX_DEVICES = 3;
  static final long PRESENCE_GRACE_MS = 1000;
  // Long, so that what writes sooner is seen to; the timer's own test uses a short one.
  static final Duration ACK_FLUSH = Duration.ofMinutes(1);
  static final DeliverySettings SETTINGS = withAckFlush(ACK_FLUSH);
  static final String BOB = "bob";
  static final String CAROL = "carol";
  static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  record Pushed(
      String userId, String deviceId, PushSubscription subscription, Notification notification) {}

  record PresenceSignal(Notice.Presence presence, List<ConversationInfo> conversations) {}

  /**
   * What an append did: its answer, every event written from its start to its answer, the state
   * after.
   */
  record Appended(InboxProgress reply, List<Object> written, UserInbox.State state) {}

  final ActorTestKit testKit;
  String userId;
  InMemoryConversationLogs logs;
  final LinkedBlockingQueue<Pushed> pushed = new LinkedBlockingQueue<>();

  /** Receipts and presence the inbox signalled, in order. */
  final LinkedBlockingQueue<Object> signals = new LinkedBlockingQueue<>();

  EventSourcedBehaviorTestKit<UserInbox.Command, UserInbox.Event, UserInbox.State> inbox;

  InboxFixture(ActorTestKit testKit) {
    this.testKit = testKit;
  }

  @BeforeEach
  void freshInbox() {
    userId = "u-" + UUID.randomUUID();
    logs = new InMemoryConversationLogs();
    pushed.clear();
    signals.clear();
    inbox = inboxWith(SETTINGS);
  }

  static DeliverySettings withAckFlush(Duration interval) {
    return new DeliverySettings(
        Duration.ofSeconds(30),
        MAX_DEVICES,
        Duration.ofSeconds(15),
        BATCH_SIZE,
        512,
        1 << 20,
        Duration.ofSeconds(5),
        Duration.ofMillis(PRESENCE_GRACE_MS),
        interval);
  }

  EventSourcedBehaviorTestKit<UserInbox.Command, UserInbox.Event, UserInbox.State> inboxWith(
      DeliverySettings settings) {
    return EventSourcedBehaviorTestKit.create(testKit.system(), behaviour(settings));
  }

  /**
   * The inbox of {@link #userId}, pushing to {@link #pushed} and signalling to {@link #signals}.
   */
  Behavior<UserInbox.Command> behaviour(DeliverySettings settings) {
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
          public void presence(Notice.Presence presence, Collection<ConversationInfo> infos) {
            signals.add(new PresenceSignal(presence, List.copyOf(infos)));
          }
        },
        logs.reads());
  }

  // ---- conversations and messages ----

  ConversationInfo conversation(String id, String other, Instant createdAt) {
    return new ConversationInfo(id, ConversationType.DIRECT, List.of(userId, other), createdAt);
  }

  static ConversationInfo groupInfo(String id, String title) {
    return new ConversationInfo(id, ConversationType.GROUP, List.of(), T0, title);
  }

  static ChatMessage message(String conversationId, long seq, String sender) {
    return new ChatMessage(
        conversationId,
        seq,
        "m-" + conversationId + "-" + seq,
        sender,
        "body " + seq,
        T0.plusSeconds(60 + seq));
  }

  static List<ChatMessage> messages(String conversationId, long from, long to, String sender) {
    return LongStream.rangeClosed(from, to)
        .mapToObj(seq -> message(conversationId, seq, sender))
        .toList();
  }

  static ChatMessage systemEntry(
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

  InboxProgress progress(String conversationId, long lastSeq) {
    return new InboxProgress(userId, conversationId, lastSeq);
  }

  // ---- commands ----

  EventSourcedBehaviorTestKit.CommandResultWithReply<
          UserInbox.Command, UserInbox.Event, UserInbox.State, InboxProgress>
      join(ConversationInfo info, long fromSeq) {
    return inbox.runCommand(replyTo -> new UserInbox.Join(info, fromSeq, replyTo));
  }

  EventSourcedBehaviorTestKit.CommandResultWithReply<
          UserInbox.Command, UserInbox.Event, UserInbox.State, InboxProgress>
      join(ConversationInfo info) {
    return join(info, 1);
  }

  void joinWithBob(String conversationId) {
    assertEquals(0, join(conversation(conversationId, BOB, T0)).reply().lastSeq());
  }

  void joinGroup(String conversationId, long fromSeq) {
    join(groupInfo(conversationId, "climbing"), fromSeq);
  }

  /**
   * The conversation wrote {@code messages} to its log and tells the inbox of them. The events are
   * read from the journal once the answer is in, so anything the append wrote is among them.
   */
  Appended append(String conversationId, List<ChatMessage> messages) {
    logs.posted(messages);
    int before = written().size();
    InboxProgress reply =
        inbox
            .<InboxProgress>runCommand(
                replyTo -> new UserInbox.Append(conversationId, messages, replyTo))
            .reply();
    List<Object> events = List.copyOf(written().subList(before, written().size()));
    return new Appended(reply, events, inbox.getState());
  }

  /** Everything the inbox's journal holds, oldest first. */
  List<Object> written() {
    return inbox.persistenceTestKit().persistedInStorage(persistenceId());
  }

  String persistenceId() {
    return PersistenceId.of(UserInbox.ENTITY_KEY.name(), userId).id();
  }

  EventSourcedBehaviorTestKit.CommandResult<UserInbox.Command, UserInbox.Event, UserInbox.State>
      flush() {
    return inbox.runCommand(InboxInternal.FlushAcks.INSTANCE);
  }

  void ack(String deviceId, long cursor, Map<String, Long> positions) {
    inbox.runCommand(new UserInbox.Ack(deviceId, cursor, positions));
  }

  EventSourcedBehaviorTestKit.CommandResultWithReply<
          UserInbox.Command, UserInbox.Event, UserInbox.State, StatusReply<Done>>
      register(String username, String displayName) {
    return inbox.runCommand(replyTo -> new UserInbox.Register(username, displayName, replyTo));
  }

  ConnectReply.Connected connect(
      String deviceId, String connectionId, TestProbe<DeviceMessage> device) {
    return (ConnectReply.Connected) tryConnect(deviceId, connectionId, device);
  }

  /** A connection without a token id or label: connecting writes nothing. */
  static final Credential ANONYMOUS = new Credential(null, 0, null);

  ConnectReply tryConnect(String deviceId, String connectionId, TestProbe<DeviceMessage> device) {
    return inbox
        .<ConnectReply>runCommand(
            replyTo ->
                new UserInbox.Connect(
                    deviceId, connectionId, device.ref(), replyTo, ANONYMOUS, null))
        .reply();
  }

  Map<String, ConversationSummary> summaries() {
    Map<String, ConversationSummary> byId = new HashMap<>();
    for (var summary : listConversations()) byId.put(summary.info().conversationId(), summary);
    return byId;
  }

  List<ConversationSummary> listConversations() {
    return inbox
        .<UserInbox.Conversations>runCommand(UserInbox.ListConversations::new)
        .reply()
        .conversations();
  }

  // ---- push and signals ----

  static PushSubscription webPush(String endpoint) {
    return new PushSubscription(PushKind.WEB_PUSH, endpoint, "p256dh-key", "auth-secret");
  }

  void registerPush(String deviceId, PushSubscription subscription, boolean previews) {
    var result =
        inbox.<Done>runCommand(
            replyTo ->
                new UserInbox.RegisterPush(
                    deviceId, new PushRegistration(subscription, previews), replyTo));
    assertEquals(Done.getInstance(), result.reply());
  }

  /**
   * The next push notification, waited for with a deadline that a loaded CI machine meets: 3 s was
   * once too short right after a restart, in a full run on two cores.
   */
  Pushed nextPush() throws InterruptedException {
    Pushed next = pushed.poll(10, TimeUnit.SECONDS);
    if (next == null) throw new AssertionError("no push notification");
    return next;
  }

  /** The push notified so far, if any, waiting {@code millis} for a late one. */
  Pushed pushWithin(long millis) throws InterruptedException {
    return pushed.poll(millis, TimeUnit.MILLISECONDS);
  }

  Object nextSignal() throws InterruptedException {
    Object next = signals.poll(3, TimeUnit.SECONDS);
    if (next == null) throw new AssertionError("no signal");
    return next;
  }

  Object signalWithin(long millis) throws InterruptedException {
    return signals.poll(millis, TimeUnit.MILLISECONDS);
  }

  Notice.Receipt delivered(String conversationId, long seq) {
    return new Notice.Receipt(conversationId, userId, Notice.Kind.DELIVERED, seq);
  }
}
