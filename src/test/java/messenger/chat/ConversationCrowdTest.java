package messenger.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import akka.persistence.testkit.WriteEvents;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import messenger.chat.ConversationTest.FakeInboxes;
import messenger.chat.ConversationTest.FakeLog;
import messenger.chat.ConversationTest.InboxCall;
import messenger.storage.HeldJournal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A group of 1,000 whose inboxes and receipts all answer while the conversation writes: what killed
 * the node when those answers were stashed one by one (docs/design-fanout-on-read.md).
 */
@Timeout(60)
class ConversationCrowdTest {

  private static final ActorTestKit testKit = ActorTestKit.create(HeldJournal.withRoomyStash());

  private static final PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());

  private static final int MEMBERS = 1000;
  private static final int RECEIPTS_EACH = 10;

  /** All joins go out at once; the tick (which passes receipts on) comes every 200 ms. */
  private static final ChatSettings SETTINGS =
      new ChatSettings(1000, Duration.ofMillis(200), Duration.ofMinutes(10), 100, MEMBERS, MEMBERS);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @AfterEach
  void ordinaryJournal() {
    journal.resetPolicy();
  }

  private static String member(int i) {
    return String.format("m%04d", i);
  }

  @Test
  void everyAnswerAndReceiptOfAThousandMembersDuringAWriteIsHandledAfterIt() throws Exception {
    String id = "g-" + UUID.randomUUID();
    var inboxes = new FakeInboxes();
    ActorRef<Conversation.Command> group =
        testKit.spawn(
            Conversation.create(
                id, SETTINGS, inboxes, new FakeLog(), new LinkedBlockingQueue<>()::add));
    List<String> members = IntStream.range(0, MEMBERS).mapToObj(i -> member(i)).toList();
    var created = testKit.<StatusReply<Conversation.Created>>createTestProbe();
    group.tell(
        new Conversation.Create(ConversationType.GROUP, members, member(0), "all", created.ref()));
    assertTrue(created.receiveMessage().isSuccess());
    Map<String, InboxCall> joins = inboxes.nextPerMember(MEMBERS);

    var held = new HeldJournal(Conversation.ENTITY_KEY.name() + "|" + id, WriteEvents.class);
    journal.withPolicy(held);
    var posted = testKit.<StatusReply<Conversation.Posted>>createTestProbe();
    group.tell(new Conversation.Post(member(0), "p1", "hello all", posted.ref()));
    held.awaitHeld();
    for (InboxCall join : joins.values()) join.answer(0);
    for (int seq = 1; seq <= RECEIPTS_EACH; seq++) {
      for (String m : members) {
        group.tell(
            new Conversation.MemberReceipt(new Notice.Receipt(id, m, Notice.Kind.DELIVERED, seq)));
      }
    }
    held.release();

    assertEquals(1, posted.receiveMessage(Duration.ofSeconds(10)).getValue().seq());
    // Every join answer was handled: each member is sent the post.
    var sentThePost = new HashMap<String, Boolean>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (sentThePost.size() < MEMBERS && System.nanoTime() < deadline) {
      InboxCall call = inboxes.calls.poll(1, TimeUnit.SECONDS);
      if (call != null && call.seqs().contains(1L)) sentThePost.put(call.userId(), true);
    }
    assertEquals(MEMBERS, sentThePost.size(), "members sent the post");
    // Every receipt was handled, in order: in a group this large each member gets their own.
    var receiptsOf = new HashMap<String, List<Long>>();
    int expected = MEMBERS * RECEIPTS_EACH;
    int got = 0;
    while (got < expected && System.nanoTime() < deadline) {
      var relayed = inboxes.relayed.poll(1, TimeUnit.SECONDS);
      if (relayed == null || !(relayed.notice() instanceof Notice.Receipts receipts)) continue;
      for (Notice.Receipt r : receipts.receipts()) {
        receiptsOf.computeIfAbsent(r.userId(), u -> new java.util.ArrayList<>()).add(r.seq());
        got++;
      }
    }
    List<Long> inOrder = IntStream.rangeClosed(1, RECEIPTS_EACH).mapToObj(s -> (long) s).toList();
    assertEquals(MEMBERS, receiptsOf.size());
    receiptsOf.forEach((m, seqs) -> assertEquals(inOrder, seqs, m));
  }
}
