package messenger.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import messenger.ErrorCode;
import org.junit.jupiter.api.Test;

class BlockRulesTest {

  private final BlockRules rules = new BlockRules(2);

  @Test
  void oneselfIsNoTarget() {
    assertEquals(Optional.of(ErrorCode.BAD_REQUEST), BlockRules.target("alice", "alice"));
    assertEquals(Optional.empty(), BlockRules.target("alice", "bob"));
    assertEquals(Optional.of(ErrorCode.BAD_REQUEST), rules.block(Map.of(), "alice", "alice"));
  }

  @Test
  void aNewBlockIsAllowedBelowTheBoundOnly() {
    assertEquals(Optional.empty(), rules.block(Map.of("bob", 1), "alice", "carol"));
    assertEquals(
        Optional.of(ErrorCode.TOO_MANY_BLOCKS),
        rules.block(Map.of("bob", 1, "carol", 1), "alice", "dave"));
  }

  @Test
  void blockingSomeoneBlockedAlreadyIsAllowedEvenAtTheBound() {
    assertEquals(Optional.empty(), rules.block(Map.of("bob", 1, "carol", 1), "alice", "bob"));
  }
}
