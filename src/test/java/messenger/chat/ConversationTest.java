package messenger.chat;

import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import akka.persistence.typed.PersistenceId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.LongStream;
import messenger.ErrorCode;
import messenger.testing.EntityTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The conversation entity with fake member inboxes and a fake log: ordering, dedup, refusals,
 * recovery, and reliable fan-out.
 */
class ConversationTest {

  private static final ActorTestKit testKit = ActorTestKit.create(EntityTests.config());

  /** Retry and passivation are far away, so timers never interfere unless a test asks for them. */
  private static final ChatSettings SETTINGS =
      new ChatSettings(1000, Duration.ofSeconds(30), Duration.ofMinutes(10), 100, 256, 1000);

  private static final String ALICE = "alice";
  private static final String BOB = "bob";
  private static final String CAROL = "carol";

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  // ---- fakes ----

  /** One call the conversation made on a member's inbox. */
  record InboxCall(
      String userId,
      boolean isJoin,
      ConversationInfo info,
      String conversationId,
      List<ChatMessage> messages,
      ActorRef<InboxProgress> replyTo,
      long atNanos,
      long fromSeq) {

    boolean isProbe() {
      return !isJoin && messages.isEmpty();
    }

    List<Long> seqs() {
      return messages.stream().map(ChatMessage::seq).toList();
    }

    void answer(long lastSeq) {
      replyTo.tell(new InboxProgress(userId, conversationId, lastSeq));
    }
  }

  /** Records every call; the test answers through the call's {@code replyTo}. */
  static final class FakeInboxes implements MemberInboxes {
    final LinkedBlockingQueue<InboxCall> calls = new LinkedBlockingQueue<>();

    @Override
    public void join(
        String userId, ConversationInfo info, long fromSeq, ActorRef<InboxProgress> replyTo) {
      calls.add(
          new InboxCall(
              userId,
              true,
              info,
              info.conversationId(),
              List.of(),
              replyTo,
              System.nanoTime(),
              fromSeq));
    }

    @Override
    public void append(
        String userId,
        String conversationId,
        List<ChatMessage> messages,
        ActorRef<InboxProgress> replyTo) {
      calls.add(
          new InboxCall(
              userId,
              false,
              null,
              conversationId,
              List.copyOf(messages),
              replyTo,
              System.nanoTime(),
              0));
    }

    final LinkedBlockingQueue<Relayed> relayed = new LinkedBlockingQueue<>();

    @Override
    public void relay(String userId, Notice notice) {
      relayed.add(new Relayed(userId, notice));
    }

    InboxCall next() {
      try {
        InboxCall call = calls.poll(5, SECONDS);
        assertNotNull(call, "expected a call on a member inbox");
        return call;
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }

    /** The next {@code count} calls, one per member, keyed by member. */
    Map<String, InboxCall> nextPerMember(int count) {
      Map<String, InboxCall> byMember = new HashMap<>();
      for (int i = 0; i < count; i++) {
        InboxCall call = next();
        assertFalse(
            byMember.containsKey(call.userId()),
            "two requests in flight to " + call.userId() + ": " + call);
        byMember.put(call.userId(), call);
      }
      return byMember;
    }

    void expectNoCalls() {
      assertEquals(List.of(), new ArrayList<>(calls), "no further inbox calls");
    }
  }

  record Read(String conversationId, long fromSeq, long toSeq) {}

  record Relayed(String userId, Notice notice) {}

  /** A log backed by a map the test fills with what the conversation persisted. */
  static final class FakeLog implements ConversationLog {
    final Map<Long, ChatMessage> messages = new ConcurrentHashMap<>();
    final LinkedBlockingQueue<Read> reads = new LinkedBlockingQueue<>();

    @Override
    public CompletionStage<List<ChatMessage>> read(
        String conversationId, long fromSeq, long toSeq) {
      reads.add(new Read(conversationId, fromSeq, toSeq));
      return CompletableFuture.completedFuture(
          LongStream.rangeClosed(fromSeq, toSeq)
              .mapToObj(messages::get)
              .filter(Objects::nonNull)
              .toList());
    }

    Read nextRead() {
      try {
        Read read = reads.poll(5, SECONDS);
        assertNotNull(read, "expected a read of the conversation log");
        return read;
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private FakeInboxes inboxes;
  private FakeLog log;
  private LinkedBlockingQueue<ActorRef<Conversation.Command>> passivations;
  private String conversationId;
  private EventSourcedBehaviorTestKit<Conversation.Command, Conversation.Event, Conversation.State>
      conversation;

  @BeforeEach
  void freshConversation() {
    inboxes = new FakeInboxes();
    log = new FakeLog();
    passivations = new LinkedBlockingQueue<>();
    conversation = conversationWith(SETTINGS);
  }

  private EventSourcedBehaviorTestKit<Conversation.Command, Conversation.Event, Conversation.State>
      conversationWith(ChatSettings settings) {
    conversationId = "c-" + UUID.randomUUID();
    return EventSourcedBehaviorTestKit.create(
        testKit.system(),
        Conversation.create(conversationId, settings, inboxes, log, passivations::add));
  }

  // ---- helpers ----

  private EventSourcedBehaviorTestKit.CommandResultWithReply<
          Conversation.Command,
          Conversation.Event,
          Conversation.State,
          StatusReply<Conversation.Created>>
      create(ConversationType type, List<String> members, String creator) {
    return conversation.runCommand(
        replyTo -> new Conversation.Create(type, members, creator, replyTo));
  }

  private Conversation.Created createDirect() {
    var result = create(ConversationType.DIRECT, List.of(ALICE, BOB), ALICE);
    assertTrue(result.reply().isSuccess(), () -> result.reply().toString());
    return result.reply().getValue();
  }

  /** Creates the conversation and answers both joins with 0. */
  private void createDirectAndJoinBoth() {
    createDirect();
    inboxes.nextPerMember(2).values().forEach(call -> call.answer(0));
  }

  private EventSourcedBehaviorTestKit.CommandResultWithReply<
          Conversation.Command,
          Conversation.Event,
          Conversation.State,
          StatusReply<Conversation.Posted>>
      post(String sender, String clientMsgId, String body) {
    var result =
        conversation.<StatusReply<Conversation.Posted>>runCommand(
            replyTo -> new Conversation.Post(sender, clientMsgId, body, replyTo));
    for (Conversation.Event event : result.events()) {
      if (event instanceof Conversation.MessagePosted posted) {
        log.messages.put(posted.message().seq(), posted.message());
      }
    }
    return result;
  }

  private Conversation.Posted posted(String sender, String clientMsgId, String body) {
    var result = post(sender, clientMsgId, body);
    assertTrue(result.reply().isSuccess(), () -> result.reply().toString());
    return result.reply().getValue();
  }

  private StatusReply<Conversation.Access> access(String userId) {
    return conversation
        .<StatusReply<Conversation.Access>>runCommand(
            replyTo -> new Conversation.GetAccess(userId, replyTo))
        .reply();
  }

  /**
   * Progress answers reach the entity through its mailbox; a command sent afterwards from this
   * thread is handled after them, so once it is answered they have been handled.
   */
  private void awaitHandled() {
    access(ALICE);
  }

  private static void assertRefused(StatusReply<?> reply, ErrorCode code) {
    assertTrue(reply.isError(), () -> "expected a refusal but got " + reply);
    assertEquals(code.wire(), reply.getError().getMessage());
  }

  private static long openLastSeq(Conversation.State state) {
    return assertInstanceOf(Conversation.Open.class, state).lastSeq();
  }

  // ---- create ----

  @Test
  void createDirectPersistsConversationCreatedAndRepliesNotAlreadyExisting() {
    var result = create(ConversationType.DIRECT, List.of(BOB, ALICE), ALICE);

    assertTrue(result.reply().isSuccess());
    Conversation.Created created = result.reply().getValue();
    assertFalse(created.alreadyExisted());
    assertEquals(conversationId, created.info().conversationId());
    assertEquals(ConversationType.DIRECT, created.info().type());
    assertEquals(List.of(ALICE, BOB), created.info().members());

    var event = result.eventOfType(Conversation.ConversationCreated.class);
    assertEquals(created.info(), event.info());
    assertEquals(ALICE, event.creatorId());
    assertEquals(1, result.events().size());
    assertEquals(0, openLastSeq(result.state()));
  }

  @Test
  void creatingAgainRepliesAlreadyExistedAndPersistsNothing() {
    Conversation.Created first = createDirect();

    var again = create(ConversationType.DIRECT, List.of(BOB, ALICE), BOB);

    assertTrue(again.reply().isSuccess());
    assertTrue(again.reply().getValue().alreadyExisted());
    assertEquals(first.info(), again.reply().getValue().info());
    assertTrue(again.hasNoEvents());
  }

  @Test
  void creatingAgainWithOtherMembersIsRefusedAsBadRequest() {
    createDirect();

    var again = create(ConversationType.DIRECT, List.of(ALICE, CAROL), ALICE);

    assertRefused(again.reply(), ErrorCode.BAD_REQUEST);
    assertTrue(again.hasNoEvents());
  }

  @Test
  void createWithACreatorWhoIsNotAMemberIsRefusedAsBadRequest() {
    var result = create(ConversationType.DIRECT, List.of(ALICE, BOB), CAROL);

    assertRefused(result.reply(), ErrorCode.BAD_REQUEST);
    assertTrue(result.hasNoEvents());
    assertInstanceOf(Conversation.Blank.class, result.state());
  }

  @Test
  void createDirectWithOtherThanTwoMembersIsRefusedAsBadRequest() {
    var three = create(ConversationType.DIRECT, List.of(ALICE, BOB, CAROL), ALICE);
    assertRefused(three.reply(), ErrorCode.BAD_REQUEST);
    assertTrue(three.hasNoEvents());

    var withSelf = create(ConversationType.DIRECT, List.of(ALICE, ALICE), ALICE);
    assertRefused(withSelf.reply(), ErrorCode.BAD_REQUEST);
    assertTrue(withSelf.hasNoEvents());

    assertInstanceOf(Conversation.Blank.class, conversation.getState());
  }

  // ---- posting ----

  @Test
  void postsGetDenseSeqsFromOne() {
    createDirect();

    assertEquals(1, posted(ALICE, "a1", "one").seq());
    assertEquals(2, posted(BOB, "b1", "two").seq());
    var third = post(ALICE, "a2", "three");

    assertEquals(3, third.reply().getValue().seq());
    var event = third.eventOfType(Conversation.MessagePosted.class);
    assertEquals(3, event.message().seq());
    assertEquals("a2", event.clientMsgId());
    assertEquals(ALICE, event.message().senderId());
    assertEquals("three", event.message().body());
    assertEquals(conversationId, event.message().conversationId());
    assertEquals(third.reply().getValue().messageId(), event.message().messageId());
    assertEquals(third.reply().getValue().timestamp(), event.message().timestamp());
    assertEquals(3, openLastSeq(third.state()));
  }

  @Test
  void messageIdsAreUniqueVersion7UuidsIncreasingInPostingOrder() {
    createDirect();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 50; i++) ids.add(posted(ALICE, "m" + i, "hi").messageId());

    assertEquals(ids.size(), new HashSet<>(ids).size(), "unique");
    for (String id : ids) assertEquals(7, UUID.fromString(id).version(), id);
    for (int i = 1; i < ids.size(); i++) {
      // Canonical lowercase hex of equal length: string order is the UUIDv7 time order.
      assertTrue(
          ids.get(i - 1).compareTo(ids.get(i)) < 0,
          ids.get(i - 1) + " should sort before " + ids.get(i));
    }
  }

  @Test
  void timestampsNeverGoBackwards() {
    Conversation.Created created = createDirect();
    var previous = created.info().createdAt();
    for (int i = 0; i < 50; i++) {
      var timestamp = posted(i % 2 == 0 ? ALICE : BOB, "m" + i, "hi").timestamp();
      assertFalse(timestamp.isBefore(previous), timestamp + " is before " + previous);
      previous = timestamp;
    }
  }

  @Test
  void aPostAfterAMessageStampedAheadOfThisClockIsNotStampedEarlier() {
    Instant now = Instant.now();
    var info =
        new ConversationInfo(conversationId, ConversationType.DIRECT, List.of(ALICE, BOB), now);
    Instant ahead = now.plus(Duration.ofHours(1)); // written by a node whose clock ran fast
    var earlier =
        new ChatMessage(conversationId, 1, UUID.randomUUID().toString(), BOB, "hi", ahead);
    conversation.initialize(
        new Conversation.ConversationCreated(info, ALICE),
        new Conversation.MessagePosted(earlier, "b1"));

    Conversation.Posted next = posted(ALICE, "a1", "hello");

    assertEquals(2, next.seq());
    assertEquals(ahead, next.timestamp());
  }

  @Test
  void aPostByANonMemberIsRefusedAsNotMemberAndPersistsNothing() {
    createDirect();

    var result = post(CAROL, "c1", "let me in");

    assertRefused(result.reply(), ErrorCode.NOT_MEMBER);
    assertTrue(result.hasNoEvents());
    assertEquals(0, openLastSeq(result.state()));
  }

  @Test
  void aPostToANeverCreatedConversationIsRefusedAsNotFound() {
    var result = post(ALICE, "a1", "hello?");

    assertRefused(result.reply(), ErrorCode.NOT_FOUND);
    assertTrue(result.hasNoEvents());
    assertInstanceOf(Conversation.Blank.class, result.state());
  }

  @Test
  void aRetryWithTheSameSenderAndClientMsgIdGetsTheIdenticalAnswerAndPersistsNothing() {
    createDirect();
    Conversation.Posted first = posted(ALICE, "same", "hello");
    posted(BOB, "b1", "in between");

    var retry = post(ALICE, "same", "hello");

    assertTrue(retry.reply().isSuccess());
    assertEquals(first, retry.reply().getValue());
    assertTrue(retry.hasNoEvents());
    assertEquals(2, openLastSeq(retry.state()));
  }

  @Test
  void theSameClientMsgIdFromTheOtherMemberIsANewMessage() {
    createDirect();
    Conversation.Posted fromAlice = posted(ALICE, "same", "hello");

    var fromBob = post(BOB, "same", "hello");

    assertTrue(fromBob.reply().isSuccess());
    assertEquals(2, fromBob.reply().getValue().seq());
    assertNotEquals(fromAlice.messageId(), fromBob.reply().getValue().messageId());
    assertEquals(1, fromBob.events().size());
  }

  @Test
  void aRetryOlderThanTheDedupWindowIsANewMessage() {
    conversation =
        conversationWith(
            new ChatSettings(2, Duration.ofSeconds(30), Duration.ofMinutes(10), 100, 256, 1000));
    createDirect();
    posted(ALICE, "old", "1");
    posted(ALICE, "x", "2");
    posted(ALICE, "y", "3");

    var retry = post(ALICE, "old", "1");

    assertEquals(4, retry.reply().getValue().seq());
    assertEquals(1, retry.events().size());
  }

  // ---- access ----

  @Test
  void typingReceiptsAndPresenceForAConversationThatDoesNotExistAreIgnoredAndItStillAnswers() {
    conversation.runCommand(new Conversation.Typing(ALICE, null));
    conversation.runCommand(
        new Conversation.MemberReceipt(
            new Notice.Receipt(conversationId, ALICE, Notice.Kind.READ, 3)));
    conversation.runCommand(new Conversation.PresenceOf(new Notice.Presence(ALICE, true, null)));

    assertEquals(ErrorCode.NOT_FOUND.wire(), access(ALICE).getError().getMessage());
  }

  @Test
  void typingToAConversationThatDoesNotExistIsRefusedAsNotFound() {
    var refusals = testKit.<Refusal>createTestProbe();
    conversation.runCommand(new Conversation.Typing(ALICE, refusals.ref()));
    assertEquals(new Refusal(conversationId, ErrorCode.NOT_FOUND), refusals.receiveMessage());
  }

  @Test
  void typingByANonMemberIsRefusedAsNotMemberAndByAMemberIsNotAnswered() {
    createDirect();
    var refusals = testKit.<Refusal>createTestProbe();
    conversation.runCommand(new Conversation.Typing(CAROL, refusals.ref()));
    assertEquals(new Refusal(conversationId, ErrorCode.NOT_MEMBER), refusals.receiveMessage());

    conversation.runCommand(new Conversation.Typing(ALICE, refusals.ref()));
    refusals.expectNoMessage(java.time.Duration.ofMillis(200));
  }

  @Test
  void getAccessAnswersAMemberWithTheInfoAndLastSeq() {
    Conversation.Created created = createDirect();
    posted(ALICE, "a1", "hi");

    StatusReply<Conversation.Access> reply = access(BOB);

    assertTrue(reply.isSuccess());
    assertEquals(new Conversation.Access(created.info(), 1, 1), reply.getValue());
  }

  @Test
  void getAccessRefusesANonMemberAsNotMember() {
    createDirect();

    assertRefused(access(CAROL), ErrorCode.NOT_MEMBER);
  }

  @Test
  void getAccessToANeverCreatedConversationIsRefusedAsNotFound() {
    assertRefused(access(ALICE), ErrorCode.NOT_FOUND);
  }

  // ---- recovery ----

  @Test
  void afterRestartTheStateIsIntactAndTheNextPostGetsTheNextSeq() {
    createDirect();
    Conversation.Posted first = posted(ALICE, "a1", "one");
    posted(BOB, "b1", "two");
    Conversation.State before = conversation.getState();

    var restarted = conversation.restart();

    assertEquals(before, restarted.state());
    assertEquals(2, openLastSeq(restarted.state()));
    var retry = post(ALICE, "a1", "one");
    assertEquals(first, retry.reply().getValue(), "dedup survives the restart");
    assertTrue(retry.hasNoEvents());
    Conversation.Posted next = posted(ALICE, "a2", "three");
    assertEquals(3, next.seq());
    assertFalse(next.timestamp().isBefore(first.timestamp()));
  }

  @Test
  void afterRecoveryFromASnapshotTheDedupWindowStillHoldsTheLatestSends() {
    conversation =
        conversationWith(
            new ChatSettings(150, Duration.ofSeconds(30), Duration.ofMinutes(10), 100, 256, 1000));
    createDirect();
    List<Conversation.Posted> answers = new ArrayList<>();
    for (int i = 1; i <= 205; i++) answers.add(posted(ALICE, "m" + i, "body " + i));
    String persistenceId = PersistenceId.of(Conversation.ENTITY_KEY.name(), conversationId).id();
    assertFalse(
        conversation.snapshotTestKit().orElseThrow().persistedInStorage(persistenceId).isEmpty(),
        "a snapshot was taken, so recovery starts from it");
    Conversation.State before = conversation.getState();

    var restarted = conversation.restart();

    assertEquals(before, restarted.state());
    // The window holds at least the latest 150 sends, m56..m205, and less than one chunk more: the
    // oldest of those is still answered as before, one older by more than a chunk is new.
    var retry = post(ALICE, "m56", "body 56");
    assertEquals(answers.get(55), retry.reply().getValue());
    assertTrue(retry.hasNoEvents());
    int older = 55 - DedupWindow.chunkSize(150);
    var forgotten = post(ALICE, "m" + older, "body " + older);
    assertEquals(206, forgotten.reply().getValue().seq());
  }

  // ---- fan-out ----

  @Test
  void afterCreateBothMembersAreJoined() {
    Conversation.Created created = createDirect();

    Map<String, InboxCall> calls = inboxes.nextPerMember(2);

    assertEquals(Set.of(ALICE, BOB), calls.keySet());
    for (InboxCall call : calls.values()) {
      assertTrue(call.isJoin(), call.toString());
      assertEquals(created.info(), call.info());
    }
  }

  @Test
  void onceMembersHaveJoinedAPostIsAppendedToBoth() {
    createDirectAndJoinBoth();

    var result = post(ALICE, "a1", "hello");
    ChatMessage message = result.eventOfType(Conversation.MessagePosted.class).message();

    Map<String, InboxCall> calls = inboxes.nextPerMember(2);
    assertEquals(Set.of(ALICE, BOB), calls.keySet());
    for (InboxCall call : calls.values()) {
      assertFalse(call.isJoin());
      assertEquals(conversationId, call.conversationId());
      assertEquals(List.of(message), call.messages());
    }
  }

  @Test
  void aMemberThatConfirmedGetsNoFurtherCalls() {
    createDirectAndJoinBoth();
    posted(ALICE, "a1", "hello");
    inboxes.nextPerMember(2).values().forEach(call -> call.answer(1));

    awaitHandled();

    inboxes.expectNoCalls();
  }

  @Test
  void aSilentMemberGetsNoSecondRequestUntilItAnswersAndThenGetsWhatItMissesInOneBatch() {
    createDirect();
    Map<String, InboxCall> joins = inboxes.nextPerMember(2);
    joins.get(ALICE).answer(0);

    posted(ALICE, "a1", "one");
    InboxCall toAlice = inboxes.next();
    assertEquals(ALICE, toAlice.userId());
    assertEquals(List.of(1L), toAlice.seqs());
    toAlice.answer(1);
    posted(BOB, "b1", "two");
    toAlice = inboxes.next();
    assertEquals(ALICE, toAlice.userId());
    assertEquals(List.of(2L), toAlice.seqs());
    toAlice.answer(2);
    posted(ALICE, "a2", "three");
    toAlice = inboxes.next();
    assertEquals(List.of(3L), toAlice.seqs());
    toAlice.answer(3);
    awaitHandled();
    inboxes.expectNoCalls();

    joins.get(BOB).answer(0);

    InboxCall toBob = inboxes.next();
    assertEquals(BOB, toBob.userId());
    assertEquals(List.of(1L, 2L, 3L), toBob.seqs());
    toBob.answer(3);
    awaitHandled();
    inboxes.expectNoCalls();
  }

  @Test
  void messagesPostedWhileAnAppendIsInFlightGoOutTogetherInTheNextAppend() {
    createDirectAndJoinBoth();
    posted(ALICE, "a1", "one");
    Map<String, InboxCall> first = inboxes.nextPerMember(2);
    first.get(ALICE).answer(1);
    posted(ALICE, "a2", "two");
    InboxCall secondToAlice = inboxes.next();
    assertEquals(ALICE, secondToAlice.userId());
    assertEquals(List.of(2L), secondToAlice.seqs());
    posted(ALICE, "a3", "three");
    awaitHandled();
    inboxes.expectNoCalls(); // both members have a request in flight

    secondToAlice.answer(2);
    InboxCall thirdToAlice = inboxes.next();
    assertEquals(ALICE, thirdToAlice.userId());
    assertEquals(List.of(3L), thirdToAlice.seqs());
    first.get(BOB).answer(1);

    InboxCall toBob = inboxes.next();
    assertEquals(BOB, toBob.userId());
    assertEquals(List.of(2L, 3L), toBob.seqs());
    awaitHandled();
    inboxes.expectNoCalls();
  }

  @Test
  void anAppendCarriesAtMostTheBatchSize() {
    conversation =
        conversationWith(
            new ChatSettings(1000, Duration.ofSeconds(30), Duration.ofMinutes(10), 2, 256, 1000));
    createDirect();
    Map<String, InboxCall> joins = inboxes.nextPerMember(2);
    joins.get(ALICE).answer(0);
    for (int i = 1; i <= 5; i++) {
      posted(ALICE, "a" + i, "m" + i);
      inboxes.next().answer(i);
    }

    joins.get(BOB).answer(0);
    InboxCall call = inboxes.next();
    assertEquals(List.of(1L, 2L), call.seqs());
    call.answer(2);
    call = inboxes.next();
    assertEquals(List.of(3L, 4L), call.seqs());
    call.answer(4);
    call = inboxes.next();
    assertEquals(List.of(5L), call.seqs());
  }

  @Test
  void afterRestartEveryMemberIsProbed() {
    createDirectAndJoinBoth();
    posted(ALICE, "a1", "one");
    inboxes.nextPerMember(2).values().forEach(call -> call.answer(1));
    awaitHandled();
    inboxes.expectNoCalls();

    conversation.restart();

    Map<String, InboxCall> probes = inboxes.nextPerMember(2);
    assertEquals(Set.of(ALICE, BOB), probes.keySet());
    for (InboxCall probe : probes.values()) {
      assertTrue(probe.isProbe(), probe.toString());
      assertEquals(conversationId, probe.conversationId());
    }
    probes.values().forEach(call -> call.answer(1));
    awaitHandled();
    inboxes.expectNoCalls();
  }

  @Test
  void afterRestartAMemberBehindIsServedFromTheLogAndThenGetsTheAppend() {
    createDirectAndJoinBoth();
    posted(ALICE, "a1", "one");
    // bob's append of 1 is lost: never answered.
    inboxes.nextPerMember(2).get(ALICE).answer(1);
    for (int seq = 2; seq <= 3; seq++) {
      posted(ALICE, "a" + seq, "m" + seq);
      InboxCall toAlice = inboxes.next();
      assertEquals(ALICE, toAlice.userId());
      toAlice.answer(seq);
    }
    awaitHandled();
    inboxes.expectNoCalls();

    conversation.restart();
    Map<String, InboxCall> probes = inboxes.nextPerMember(2);
    probes.get(ALICE).answer(3);
    probes.get(BOB).answer(0);

    assertEquals(new Read(conversationId, 1, 3), log.nextRead());
    InboxCall toBob = inboxes.next();
    assertEquals(BOB, toBob.userId());
    assertFalse(toBob.isJoin());
    assertEquals(
        List.of(log.messages.get(1L), log.messages.get(2L), log.messages.get(3L)),
        toBob.messages());
    toBob.answer(3);
    awaitHandled();
    inboxes.expectNoCalls();
    assertTrue(log.reads.isEmpty(), "no further reads");
  }

  @Test
  void afterRestartAMemberBehindTheOldestMessageInMemoryIsServedFromTheLog() {
    createDirectAndJoinBoth();
    posted(ALICE, "a1", "one");
    inboxes.nextPerMember(2).get(ALICE).answer(1);
    awaitHandled();

    conversation.restart();
    Map<String, InboxCall> probes = inboxes.nextPerMember(2);
    probes.get(ALICE).answer(1);
    awaitHandled();
    posted(ALICE, "a2", "two"); // 2 is in memory now, 1 is not
    InboxCall toAlice = inboxes.next();
    assertEquals(List.of(2L), toAlice.seqs());
    toAlice.answer(2);
    probes.get(BOB).answer(0);

    assertEquals(new Read(conversationId, 1, 2), log.nextRead());
    InboxCall toBob = inboxes.next();
    assertEquals(BOB, toBob.userId());
    assertEquals(List.of(1L, 2L), toBob.seqs());
  }

  @Test
  void afterRestartAMemberThatNeverJoinedIsJoined() {
    Conversation.Created created = createDirect();
    inboxes.nextPerMember(2).get(ALICE).answer(0);
    awaitHandled();

    conversation.restart();
    Map<String, InboxCall> probes = inboxes.nextPerMember(2);
    probes.get(ALICE).answer(0);
    probes.get(BOB).answer(InboxProgress.NOT_JOINED);

    InboxCall join = inboxes.next();
    assertEquals(BOB, join.userId());
    assertTrue(join.isJoin());
    assertEquals(created.info(), join.info());
  }

  @Test
  void aLostAppendIsResentAfterTheRetryInterval() {
    Duration retry = Duration.ofMillis(300);
    conversation =
        conversationWith(new ChatSettings(1000, retry, Duration.ofMinutes(10), 100, 256, 1000));
    createDirect();
    // Joins may be resent by a retry tick if this thread is slow: answer every join.
    InboxCall firstToAlice = null;
    InboxCall resentToAlice = null;
    boolean posted = false;
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (resentToAlice == null) {
      InboxCall call;
      try {
        call = inboxes.calls.poll(deadline - System.nanoTime(), NANOSECONDS);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      if (call == null) fail("the lost append was not resent");
      if (call.isJoin()) {
        call.answer(0);
        if (!posted) {
          posted = true;
          awaitHandled();
          posted(ALICE, "a1", "hello");
        }
      } else if (call.userId().equals(BOB)) {
        call.answer(1);
      } else if (firstToAlice == null) {
        firstToAlice = call; // lost: never answered
      } else {
        resentToAlice = call;
      }
    }

    assertEquals(List.of(1L), firstToAlice.seqs());
    assertEquals(List.of(1L), resentToAlice.seqs());
    // Ticks run on a fixed phase set when the entity started, and the post came later, so the
    // first tick after the send is too early and must not resend; the one after that does.
    assertTrue(
        resentToAlice.atNanos() - firstToAlice.atNanos() >= retry.toNanos(),
        "resent only after the retry interval");
  }

  // ---- passivation ----

  @Test
  void anIdleConversationWhoseMembersHaveEverythingAsksToPassivate() throws InterruptedException {
    conversation =
        conversationWith(
            new ChatSettings(1000, Duration.ofMillis(100), Duration.ZERO, 100, 256, 1000));
    createDirect();
    passivations.clear(); // only what happens after the create matters here
    inboxes.nextPerMember(2).values().forEach(call -> call.answer(0));

    assertNotNull(passivations.poll(5, SECONDS), "asked to passivate");
  }

  @Test
  void anIdleConversationWaitsForAMemberThatHasNotConfirmedBeforePassivating()
      throws InterruptedException {
    conversation =
        conversationWith(
            new ChatSettings(1000, Duration.ofMillis(100), Duration.ZERO, 100, 256, 1000));
    createDirect();
    // A tick before the create (a blank conversation may passivate) is not what this test is about.
    passivations.clear();
    inboxes.nextPerMember(2).get(ALICE).answer(0);

    // Two resent joins to bob: the tick that sent the first of them has finished, without
    // passivating.
    InboxCall toBob = null;
    int resends = 0;
    while (resends < 2) {
      InboxCall call = inboxes.next();
      if (call.userId().equals(BOB)) resends++;
      else call.answer(0);
      toBob = call.userId().equals(BOB) ? call : toBob;
    }
    assertTrue(passivations.isEmpty(), "must not passivate while bob has not confirmed");

    toBob.answer(0);
    assertNotNull(passivations.poll(5, SECONDS), "asked to passivate once bob confirmed");
  }
}
