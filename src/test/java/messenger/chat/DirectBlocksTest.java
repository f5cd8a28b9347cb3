package messenger.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DirectBlocksTest {

  @Test
  void unknownUntilTheBlockListsAnswerThenBlockedIfEitherBlocks() {
    var blocks = new DirectBlocks(false);
    assertEquals(DirectBlocks.Status.UNKNOWN, blocks.status());
    blocks.asking();
    assertEquals(DirectBlocks.Status.ASKING, blocks.status());

    blocks.answered(List.of(new BlockFact("alice", false, 3), new BlockFact("bob", true, 1)));

    assertEquals(DirectBlocks.Status.KNOWN, blocks.status());
    assertTrue(blocks.blocked());
  }

  @Test
  void aChangeToldDuringTheQuestionIsNotUndoneByAnOlderAnswer() {
    var blocks = new DirectBlocks(false);
    blocks.asking();
    blocks.heard(new BlockFact("alice", true, 5));

    blocks.answered(List.of(new BlockFact("alice", false, 4), new BlockFact("bob", false, 0)));

    assertTrue(blocks.blocked(), "version 5 stands over version 4");
  }

  @Test
  void aNewerChangeReplacesTheAnswer() {
    var blocks = new DirectBlocks(false);
    blocks.answered(List.of(new BlockFact("alice", true, 1), new BlockFact("bob", false, 0)));

    blocks.heard(new BlockFact("alice", false, 2));

    assertFalse(blocks.blocked());
  }

  @Test
  void aFailedQuestionLeavesItUnknownSoThatTheNextPostAsksAgain() {
    var blocks = new DirectBlocks(false);
    blocks.asking();
    blocks.askFailed();
    assertEquals(DirectBlocks.Status.UNKNOWN, blocks.status());
  }

  @Test
  void withNothingToAskItIsKnownAndNotBlockedFromTheStart() {
    var blocks = new DirectBlocks(true);
    assertEquals(DirectBlocks.Status.KNOWN, blocks.status());
    assertFalse(blocks.blocked());
  }
}
