package messenger.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.pattern.StatusReply;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The group commit's numbering and bookkeeping, with explicit instants. */
class PostBatchTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Instant T = Instant.parse("2026-12-01T12:00:00Z");

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** A direct conversation with five entries persisted, the last at {@code T}. */
  private static Conversation.Open persistedUpTo5() {
    var info = new ConversationInfo("c-1", ConversationType.DIRECT, List.of("a", "b"), T, null);
    var open = ConversationStateChanges.founded(new Conversation.ConversationCreated(info, "a"));
    return new Conversation.Open(info, 5, T, open.recentSends(), open.roster(), null);
  }

  private final PostBatch batch = new PostBatch();

  private ChatMessage add(Conversation.Open state, String clientMsgId, Instant now) {
    ChatMessage next = batch.nextEntry(state, "a", "hi", null, now);
    batch.add(
        new Conversation.MessagePosted(next, clientMsgId),
        testKit.<StatusReply<Conversation.Posted>>createTestProbe().ref());
    return next;
  }

  @Test
  void entriesAreNumberedAfterWhatIsPersistedAndThenAfterWhatIsBatched() {
    var state = persistedUpTo5();

    ChatMessage first = add(state, "m1", T.plusSeconds(1));
    ChatMessage second = add(state, "m2", T.plusSeconds(2));

    assertEquals(6, first.seq());
    assertEquals(7, second.seq());
    assertEquals("c-1", second.conversationId());
    assertNotEquals(first.messageId(), second.messageId());
  }

  @Test
  void timeNeverGoesBackwardsEvenWhenTheClockDoes() {
    var state = persistedUpTo5();

    assertEquals(T, batch.nextEntry(state, "a", "hi", null, T.minusSeconds(5)).timestamp());
    add(state, "m1", T.plusSeconds(10));
    assertEquals(T.plusSeconds(10), batch.nextEntry(state, "a", "hi", null, T).timestamp());
  }

  @Test
  void aRetryOfABatchedPostWaitsForTheSameWriteAndGetsTheSameAnswer() {
    var state = persistedUpTo5();
    ChatMessage posted = add(state, "m1", T);
    var retry = testKit.<StatusReply<Conversation.Posted>>createTestProbe();

    assertTrue(batch.awaitBatched("a", "m1", retry.ref()));
    assertFalse(batch.awaitBatched("a", "m2", retry.ref()));
    assertFalse(batch.awaitBatched("b", "m1", retry.ref()), "another sender's id is another post");

    batch.take(null).acknowledge();
    var answer = retry.receiveMessage().getValue();
    assertEquals(posted.seq(), answer.seq());
    assertEquals(posted.messageId(), answer.messageId());
  }

  @Test
  void aWriteTakesThePostsThenTheChangeAndEmptiesTheBatch() {
    var state = persistedUpTo5();
    ChatMessage post = add(state, "m1", T);
    ChatMessage change = batch.nextEntry(state, "a", "", SystemChange.renamed("x"), T);

    PostBatch.Write write = batch.take(new Conversation.MessagePosted(change, null));

    assertEquals(
        List.of(post, change),
        write.entries().stream().map(Conversation.MessagePosted::message).toList());
    assertEquals(1, write.waiters().size(), "the change's author is answered by the entity");
    assertTrue(batch.isEmpty());
    assertFalse(
        batch.awaitBatched(
            "a", "m1", testKit.<StatusReply<Conversation.Posted>>createTestProbe().ref()));
    assertEquals(
        6, batch.nextEntry(state, "a", "hi", null, T).seq(), "numbering restarts from the state");
  }
}
