package messenger.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import messenger.ErrorCode;
import messenger.testing.EntityTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BlockListTest {

  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

  private static ActorTestKit testKit;
  private static EventSourcedBehaviorTestKit<BlockList.Command, BlockList.Event, BlockList.State>
      list;

  @BeforeAll
  static void startTestKit() {
    testKit = ActorTestKit.create(EntityTests.config());
    list =
        EventSourcedBehaviorTestKit.create(
            testKit.system(),
            BlockList.create("alice", new BlockRules(2), Clock.fixed(NOW, ZoneOffset.UTC)));
  }

  @AfterAll
  static void stopTestKit() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void clear() {
    list.clear();
  }

  private static EventSourcedBehaviorTestKit.CommandResultWithReply<
          BlockList.Command, BlockList.Event, BlockList.State, StatusReply<BlockList.Standing>>
      block(String userId) {
    return list.runCommand(replyTo -> new BlockList.Block(userId, replyTo));
  }

  private static EventSourcedBehaviorTestKit.CommandResultWithReply<
          BlockList.Command, BlockList.Event, BlockList.State, StatusReply<BlockList.Standing>>
      unblock(String userId) {
    return list.runCommand(replyTo -> new BlockList.Unblock(userId, replyTo));
  }

  private static BlockList.Standing asked(String userId) {
    return list.<BlockList.Standing>runCommand(replyTo -> new BlockList.IsBlocked(userId, replyTo))
        .reply();
  }

  @Test
  void blockingStoresTheUserWithTheTimeAndRaisesTheVersion() {
    var result = block("bob");

    assertEquals(new BlockList.Standing("alice", "bob", true, 1), result.reply().getValue());
    assertEquals(new BlockList.UserBlocked("alice", "bob", NOW), result.event());
    assertEquals(new BlockList.Standing("alice", "bob", true, 1), asked("bob"));
    assertFalse(asked("carol").blocked());
  }

  @Test
  void blockingAgainChangesNothingAndAnswersAsBefore() {
    block("bob");

    var again = block("bob");

    assertTrue(again.hasNoEvents());
    assertEquals(new BlockList.Standing("alice", "bob", true, 1), again.reply().getValue());
  }

  @Test
  void unblockingRemovesTheUserAndUnblockingAgainChangesNothing() {
    block("bob");

    var unblocked = unblock("bob");
    assertEquals(new BlockList.UserUnblocked("alice", "bob"), unblocked.event());
    assertEquals(new BlockList.Standing("alice", "bob", false, 2), unblocked.reply().getValue());

    var again = unblock("bob");
    assertTrue(again.hasNoEvents());
    assertEquals(new BlockList.Standing("alice", "bob", false, 2), again.reply().getValue());
    assertTrue(unblock("never-blocked").hasNoEvents());
  }

  @Test
  void aBlockBeyondTheBoundIsRefusedButBlockingSomeoneBlockedAlreadyIsNot() {
    block("bob");
    block("carol");

    var third = block("dave");
    assertTrue(third.reply().isError());
    assertEquals(ErrorCode.TOO_MANY_BLOCKS.wire(), third.reply().getError().getMessage());
    assertTrue(third.hasNoEvents());
    assertTrue(block("carol").reply().isSuccess(), "a retry at the bound");

    unblock("bob");
    assertTrue(block("dave").reply().isSuccess(), "room again after an unblock");
  }

  @Test
  void blockingOneselfIsRefused() {
    var self = block("alice");

    assertEquals(ErrorCode.BAD_REQUEST.wire(), self.reply().getError().getMessage());
    assertTrue(self.hasNoEvents());
  }

  @Test
  void theListIsOldestFirstAndSurvivesARestart() {
    block("carol");
    block("bob");
    unblock("carol");
    block("dave");

    list.restart();

    BlockList.Blocked blocked =
        list.<BlockList.Blocked>runCommand(BlockList.GetBlocked::new).reply();
    assertEquals(
        List.of(new BlockList.Entry("bob", NOW), new BlockList.Entry("dave", NOW)),
        blocked.entries());
    assertEquals(4, blocked.version());
    assertTrue(asked("bob").blocked());
    assertFalse(asked("carol").blocked());
  }
}
