package messenger.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import messenger.ErrorCode;
import messenger.chat.ConversationTest.FakeInboxes;
import messenger.chat.ConversationTest.FakeLog;
import messenger.chat.ConversationTest.InboxCall;
import messenger.testing.EntityTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Group membership rules and how membership steers fan-out, with fake inboxes and log. */
class GroupConversationTest {

  private static final ActorTestKit testKit = ActorTestKit.create(EntityTests.config());

  private static final int MAX_GROUP = 4;
  private static final ChatSettings SETTINGS =
      new ChatSettings(1000, Duration.ofSeconds(30), Duration.ofMinutes(10), 100, 256, MAX_GROUP);

  private static final String ALICE = "alice";
  private static final String BOB = "bob";
  private static final String CAROL = "carol";
  private static final String DAVE = "dave";

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private FakeInboxes inboxes;
  private FakeLog log;
  private EventSourcedBehaviorTestKit<Conversation.Command, Conversation.Event, Conversation.State>
      group;

  @BeforeEach
  void freshGroup() {
    inboxes = new FakeInboxes();
    log = new FakeLog();
    group = groupWith(SETTINGS);
  }

  private EventSourcedBehaviorTestKit<Conversation.Command, Conversation.Event, Conversation.State>
      groupWith(ChatSettings settings) {
    return EventSourcedBehaviorTestKit.create(
        testKit.system(),
        Conversation.create(
            "g-" + UUID.randomUUID(), settings, inboxes, log, new LinkedBlockingQueue<>()::add));
  }

  // ---- helpers ----

  private StatusReply<Conversation.Created> create(
      List<String> members, String creator, String title) {
    return group
        .<StatusReply<Conversation.Created>>runCommand(
            replyTo ->
                new Conversation.Create(ConversationType.GROUP, members, creator, title, replyTo))
        .reply();
  }

  /** Alice creates a group with Bob and Carol; every founder's inbox joins at once. */
  private void createAndJoin() {
    assertTrue(create(List.of(ALICE, BOB, CAROL), ALICE, "climbing").isSuccess());
    inboxes.nextPerMember(3).values().forEach(call -> call.answer(0));
    awaitHandled();
  }

  private long post(String sender, String clientMsgId) {
    var result =
        group.<StatusReply<Conversation.Posted>>runCommand(
            replyTo -> new Conversation.Post(sender, clientMsgId, "hi from " + sender, replyTo));
    record(result.events());
    assertTrue(result.reply().isSuccess(), () -> result.reply().toString());
    return result.reply().getValue().seq();
  }

  private StatusReply<Conversation.Changed> change(
      java.util.function.Function<
              akka.actor.typed.ActorRef<StatusReply<Conversation.Changed>>, Conversation.Command>
          command) {
    var result = group.<StatusReply<Conversation.Changed>>runCommand(command::apply);
    record(result.events());
    return result.reply();
  }

  private StatusReply<Conversation.Changed> add(String actor, String userId) {
    return change(replyTo -> new Conversation.AddMember(actor, userId, replyTo));
  }

  private StatusReply<Conversation.Changed> remove(String actor, String userId) {
    return change(replyTo -> new Conversation.RemoveMember(actor, userId, replyTo));
  }

  private void record(List<Conversation.Event> events) {
    for (Conversation.Event event : events) {
      if (event instanceof Conversation.MessagePosted posted) {
        log.messages.put(posted.message().seq(), posted.message());
      }
    }
  }

  private Conversation.Details details(String userId) {
    StatusReply<Conversation.Details> reply =
        group
            .<StatusReply<Conversation.Details>>runCommand(
                replyTo -> new Conversation.GetDetails(userId, replyTo))
            .reply();
    assertTrue(reply.isSuccess(), () -> reply.toString());
    return reply.getValue();
  }

  private StatusReply<Conversation.Access> access(String userId) {
    return group
        .<StatusReply<Conversation.Access>>runCommand(
            replyTo -> new Conversation.GetAccess(userId, replyTo))
        .reply();
  }

  private void awaitHandled() {
    access(ALICE);
  }

  /** Answers every inbox call as a healthy inbox would, until the conversation asks no more. */
  private void deliverEverything() {
    awaitHandled();
    while (!inboxes.calls.isEmpty()) {
      InboxCall call = inboxes.calls.poll();
      if (call.isJoin()) call.answer(call.fromSeq() - 1);
      else if (!call.messages().isEmpty()) call.answer(call.seqs().get(call.seqs().size() - 1));
      awaitHandled();
    }
  }

  private static void assertRefused(StatusReply<?> reply, ErrorCode code) {
    assertTrue(reply.isError(), () -> "expected a refusal but got " + reply);
    assertEquals(code.wire(), reply.getError().getMessage());
  }

  private static Roster.Role role(Conversation.Details details, String userId) {
    return details.roster().members().get(userId).role();
  }

  // ---- tests ----

  @Test
  void theCreatorIsAdminAndEveryFounderJoinsFromTheFirstSeqWithoutTheRosterInTheirInbox() {
    assertTrue(create(List.of(ALICE, BOB, CAROL), ALICE, "climbing").isSuccess());

    Map<String, InboxCall> joins = inboxes.nextPerMember(3);
    for (InboxCall join : joins.values()) {
      assertTrue(join.isJoin());
      assertEquals(1, join.fromSeq());
      assertEquals(List.of(), join.info().members(), "inboxes do not hold a group's roster");
      assertEquals("climbing", join.info().title());
    }
    var details = details(BOB);
    assertEquals(Roster.Role.ADMIN, role(details, ALICE));
    assertEquals(Roster.Role.MEMBER, role(details, BOB));
    assertEquals("climbing", details.title());
  }

  @Test
  void aGroupNeedsATitleAndAtMostMaxGroupSizeMembers() {
    assertRefused(create(List.of(ALICE, BOB), ALICE, " "), ErrorCode.BAD_REQUEST);
    assertRefused(
        create(List.of(ALICE, BOB, CAROL, DAVE, "eve"), ALICE, "big"), ErrorCode.BAD_REQUEST);
  }

  @Test
  void anyMemberMayAddSomeoneWhoThenJoinsFromTheSeqOfTheirAddedEntry() {
    createAndJoin();
    post(ALICE, "m1");
    post(BOB, "m2");
    deliverEverything();

    var added = add(BOB, DAVE);

    assertTrue(added.isSuccess());
    assertEquals(3, added.getValue().seq());
    ChatMessage entry = log.messages.get(3L);
    assertEquals(SystemChange.added(DAVE), entry.change());
    assertEquals(BOB, entry.senderId());
    assertEquals("", entry.body());
    Map<String, InboxCall> calls = inboxes.nextPerMember(4);
    assertTrue(calls.get(DAVE).isJoin());
    assertEquals(3, calls.get(DAVE).fromSeq(), "Dave's inbox holds the group from his entry on");
    assertEquals(List.of(3L), calls.get(ALICE).seqs());
    assertEquals(
        3, assertInstanceOf(Conversation.Access.class, access(DAVE).getValue()).visibleFromSeq());
    assertEquals(1, access(BOB).getValue().visibleFromSeq());
  }

  @Test
  void addingSomeoneWhoIsAlreadyAMemberChangesNothing() {
    createAndJoin();

    var again =
        group.<StatusReply<Conversation.Changed>>runCommand(
            replyTo -> new Conversation.AddMember(ALICE, BOB, replyTo));

    assertEquals(List.of(), again.events());
    assertEquals(new Conversation.Changed(1), again.reply().getValue());
  }

  @Test
  void onlyMembersAddAndAFullGroupRefusesMore() {
    createAndJoin();

    assertRefused(add(DAVE, "eve"), ErrorCode.NOT_MEMBER);
    assertTrue(add(ALICE, DAVE).isSuccess());
    assertRefused(add(ALICE, "eve"), ErrorCode.GROUP_FULL);
  }

  @Test
  void onlyAnAdminRemovesSomeoneElseAndTheRemovedCanNeitherPostNorRead() {
    createAndJoin();

    assertRefused(remove(BOB, CAROL), ErrorCode.NOT_ADMIN);
    var removed = remove(ALICE, CAROL);

    assertTrue(removed.isSuccess());
    assertEquals(SystemChange.removed(CAROL), log.messages.get(removed.getValue().seq()).change());
    var post =
        group.<StatusReply<Conversation.Posted>>runCommand(
            replyTo -> new Conversation.Post(CAROL, "c1", "still here?", replyTo));
    assertRefused(post.reply(), ErrorCode.NOT_MEMBER);
    assertRefused(access(CAROL), ErrorCode.NOT_MEMBER);
    assertRefused(remove(ALICE, CAROL), ErrorCode.NOT_FOUND);
  }

  @Test
  void anyoneMayLeaveAndWhenTheLastAdminLeavesTheEarliestMemberBecomesAdmin() {
    createAndJoin();
    assertTrue(add(BOB, DAVE).isSuccess());

    var left = remove(ALICE, ALICE);

    assertEquals(SystemChange.left(ALICE), log.messages.get(left.getValue().seq()).change());
    var details = details(BOB);
    assertEquals(List.of(BOB, CAROL, DAVE), List.copyOf(details.roster().members().keySet()));
    assertEquals(Roster.Role.ADMIN, role(details, BOB), "founders before Dave; then by id");
    assertEquals(Roster.Role.MEMBER, role(details, DAVE));
  }

  @Test
  void aRemovedMemberGetsItsRemovalEntryAndNothingAfterIt() {
    createAndJoin();
    long removal = remove(ALICE, CAROL).getValue().seq();

    Map<String, InboxCall> calls = inboxes.nextPerMember(3);
    assertEquals(List.of(removal), calls.get(CAROL).seqs(), "Carol is told she was removed");
    calls.values().forEach(call -> call.answer(removal));
    awaitHandled();
    post(ALICE, "after");

    Map<String, InboxCall> next = inboxes.nextPerMember(2);
    assertEquals(java.util.Set.of(ALICE, BOB), next.keySet());
    awaitHandled();
    inboxes.expectNoCalls();
  }

  @Test
  void renamingRecordsARenamedEntryAndRefusesABadTitle() {
    createAndJoin();

    var renamed = change(replyTo -> new Conversation.Rename(BOB, "bouldering", replyTo));

    assertEquals(
        SystemChange.renamed("bouldering"), log.messages.get(renamed.getValue().seq()).change());
    assertEquals("bouldering", details(ALICE).title());
    assertEquals("bouldering", access(ALICE).getValue().info().title());
    assertRefused(
        change(replyTo -> new Conversation.Rename(BOB, "x".repeat(101), replyTo)),
        ErrorCode.BAD_REQUEST);
    assertRefused(
        change(replyTo -> new Conversation.Rename(DAVE, "mine", replyTo)), ErrorCode.NOT_MEMBER);
  }

  @Test
  void membershipChangesAreRefusedInADirectConversation() {
    var created =
        group
            .<StatusReply<Conversation.Created>>runCommand(
                replyTo ->
                    new Conversation.Create(
                        ConversationType.DIRECT, List.of(ALICE, BOB), ALICE, replyTo))
            .reply();
    assertTrue(created.isSuccess());

    assertRefused(add(ALICE, CAROL), ErrorCode.BAD_REQUEST);
    assertRefused(remove(ALICE, BOB), ErrorCode.BAD_REQUEST);
  }

  @Test
  void theRosterIsRebuiltFromTheLogAfterARestart() {
    createAndJoin();
    add(BOB, DAVE);
    remove(ALICE, CAROL);

    group.restart();

    var details = details(ALICE);
    assertEquals(List.of(ALICE, BOB, DAVE), List.copyOf(details.roster().members().keySet()));
    assertEquals(1, details.roster().joinedSeq(DAVE), "Dave's entry was the first of the log");
    assertRefused(access(CAROL), ErrorCode.NOT_MEMBER);
  }

  // ---- typing, receipts, presence: passed on, never stored ----

  private ConversationTest.Relayed nextRelayed() throws InterruptedException {
    var next = inboxes.relayed.poll(5, java.util.concurrent.TimeUnit.SECONDS);
    if (next == null) throw new AssertionError("nothing was relayed");
    return next;
  }

  @Test
  void typingIsPassedToTheOtherMembersOncePerIntervalAndNeverStored() throws Exception {
    createAndJoin();

    var refusals = testKit.<Refusal>createTestProbe();

    var typing = group.runCommand(new Conversation.Typing(BOB, refusals.ref()));
    group.runCommand(new Conversation.Typing(BOB, refusals.ref()));
    group.runCommand(new Conversation.Typing(DAVE, refusals.ref()));
    awaitHandled();

    assertEquals(List.of(), typing.events());
    var relayed = new java.util.ArrayList<ConversationTest.Relayed>();
    inboxes.relayed.drainTo(relayed);
    var notice =
        new Notice.Typing(
            group.getState() instanceof Conversation.Open o ? o.info().conversationId() : "", BOB);
    assertEquals(
        List.of(
            new ConversationTest.Relayed(ALICE, notice),
            new ConversationTest.Relayed(CAROL, notice)),
        relayed,
        "once for Bob's burst, to the others only; Dave is no member");
    String id = ((Conversation.Open) group.getState()).info().conversationId();
    assertEquals(new Refusal(id, ErrorCode.NOT_MEMBER), refusals.receiveMessage());
    refusals.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void receiptsOfMembersArePassedToEveryMemberTogetherAtTheNextTick() throws Exception {
    group =
        groupWith(
            new ChatSettings(
                1000, Duration.ofMillis(100), Duration.ofMinutes(10), 100, 256, MAX_GROUP));
    createAndJoin();
    String id = ((Conversation.Open) group.getState()).info().conversationId();
    var bobRead = new Notice.Receipt(id, BOB, Notice.Kind.READ, 3);
    var carolGot = new Notice.Receipt(id, CAROL, Notice.Kind.DELIVERED, 2);

    group.runCommand(new Conversation.MemberReceipt(bobRead));
    group.runCommand(new Conversation.MemberReceipt(carolGot));
    group.runCommand(
        new Conversation.MemberReceipt(new Notice.Receipt(id, DAVE, Notice.Kind.READ, 1)));

    var batch = new Notice.Receipts(List.of(bobRead, carolGot));
    var received = new java.util.HashMap<String, Notice>();
    for (int i = 0; i < 3; i++) {
      var relayed = nextRelayed();
      received.put(relayed.userId(), relayed.notice());
    }
    assertEquals(Map.of(ALICE, batch, BOB, batch, CAROL, batch), received);
  }

  @Test
  void presenceIsPassedOnInSmallGroupsOnly() throws Exception {
    group =
        groupWith(
            new ChatSettings(
                1000,
                Duration.ofSeconds(30),
                Duration.ofMinutes(10),
                100,
                256,
                MAX_GROUP,
                Duration.ofSeconds(3),
                3,
                100));
    createAndJoin();
    var online = new Notice.Presence(BOB, true, null);

    group.runCommand(new Conversation.PresenceOf(online));
    awaitHandled();
    var relayed = new java.util.ArrayList<ConversationTest.Relayed>();
    inboxes.relayed.drainTo(relayed);
    assertEquals(
        List.of(
            new ConversationTest.Relayed(ALICE, online),
            new ConversationTest.Relayed(CAROL, online)),
        relayed);

    assertTrue(add(ALICE, DAVE).isSuccess());
    group.runCommand(new Conversation.PresenceOf(online));
    awaitHandled();
    assertEquals(null, inboxes.relayed.poll(), "four members are more than presence-max-group");
  }
}
