package messenger.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import messenger.ErrorCode;
import messenger.testing.EntityTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A direct conversation refuses posts (messages and amendments) while either member blocks the
 * other: it asks the block lists at its first post after a start, and is told every change after.
 */
class ConversationBlocksTest {

  private static final ActorTestKit testKit = ActorTestKit.create(EntityTests.config());

  private static final ChatSettings SETTINGS =
      new ChatSettings(1000, Duration.ofSeconds(30), Duration.ofMinutes(10), 100, 256, 1000);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private final AtomicInteger asked = new AtomicInteger();
  private volatile List<BlockFact> lists = List.of();
  private ConversationTest.FakeInboxes inboxes;
  private EventSourcedBehaviorTestKit<Conversation.Command, Conversation.Event, Conversation.State>
      conversation;

  @BeforeEach
  void fresh() {
    inboxes = new ConversationTest.FakeInboxes();
    DirectBlockLookup lookup =
        (a, b) -> {
          asked.incrementAndGet();
          return CompletableFuture.completedFuture(lists);
        };
    conversation =
        EventSourcedBehaviorTestKit.create(
            testKit.system(),
            Conversation.create(
                "d-" + UUID.randomUUID(),
                SETTINGS,
                inboxes,
                new ConversationTest.FakeLog(),
                MessageChanges.NONE,
                lookup,
                ref -> {}));
  }

  private void create(ConversationType type, List<String> members) {
    var created =
        conversation.<StatusReply<Conversation.Created>>runCommand(
            replyTo -> new Conversation.Create(type, members, "alice", "title", replyTo));
    assertTrue(created.reply().isSuccess(), created.reply().toString());
  }

  private StatusReply<Conversation.Posted> post(String sender, String clientMsgId) {
    return conversation
        .<StatusReply<Conversation.Posted>>runCommand(
            replyTo -> new Conversation.Post(sender, clientMsgId, "hi", replyTo))
        .reply();
  }

  private void told(String blocker, boolean blocked, long version) {
    var answer =
        conversation.<Done>runCommand(
            replyTo -> new Conversation.SetBlocked(blocker, blocked, version, replyTo));
    assertEquals(Done.getInstance(), answer.reply());
    assertTrue(answer.hasNoEvents(), "nothing of it in the journal");
  }

  private static void refusedBlocked(StatusReply<?> reply) {
    assertTrue(reply.isError(), reply.toString());
    assertEquals(ErrorCode.BLOCKED.wire(), reply.getError().getMessage());
  }

  @Test
  void whileOneMemberBlocksTheOtherThePostsOfBothAreRefusedAsBlocked() {
    lists = List.of(new BlockFact("alice", true, 1), new BlockFact("bob", false, 0));
    create(ConversationType.DIRECT, List.of("alice", "bob"));

    refusedBlocked(post("bob", "b-1"));
    refusedBlocked(post("alice", "a-1"));
    refusedBlocked(
        conversation
            .<StatusReply<Conversation.Posted>>runCommand(
                replyTo ->
                    Conversation.Post.amending(
                        "alice", "a-2", Amendment.reaction(1, "\uD83D\uDC4D", true), null, replyTo))
            .reply());
    assertEquals(1, asked.get(), "asked once, not per post");
  }

  @Test
  void anUnblockToldAfterwardsOpensItAndANewBlockClosesItAgain() {
    lists = List.of(new BlockFact("alice", true, 1), new BlockFact("bob", false, 0));
    create(ConversationType.DIRECT, List.of("alice", "bob"));
    refusedBlocked(post("bob", "b-1"));

    told("alice", false, 2);
    assertTrue(post("bob", "b-2").isSuccess());

    told("bob", true, 1);
    refusedBlocked(post("alice", "a-1"));
    told("bob", true, 0);
    told("bob", false, 2);
    assertTrue(post("alice", "a-2").isSuccess(), "the older fact did not undo the newer");
  }

  @Test
  void aRetryOfAMessageStoredBeforeTheBlockGetsItsFirstAnswer() {
    create(ConversationType.DIRECT, List.of("alice", "bob"));
    var first = post("bob", "b-1");
    assertTrue(first.isSuccess());

    told("alice", true, 1);

    assertEquals(first.getValue(), post("bob", "b-1").getValue());
    refusedBlocked(post("bob", "b-2"));
  }

  @Test
  void afterARestartTheConversationAsksTheBlockListsAgain() {
    create(ConversationType.DIRECT, List.of("alice", "bob"));
    assertTrue(post("bob", "b-1").isSuccess());
    lists = List.of(new BlockFact("alice", true, 1), new BlockFact("bob", false, 0));

    conversation.restart();

    refusedBlocked(post("bob", "b-2"));
    assertEquals(2, asked.get());
  }

  @Test
  void aGroupNeverAsksAndBlocksDoNotStopItsPosts() {
    lists = List.of(new BlockFact("alice", true, 1));
    create(ConversationType.GROUP, List.of("alice", "bob", "carol"));

    assertTrue(post("bob", "b-1").isSuccess());
    assertEquals(0, asked.get());
  }
}
