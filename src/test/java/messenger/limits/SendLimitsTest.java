package messenger.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SendLimitsTest {

  // Refill of one a second: nothing refills within a test.
  private final SendLimits limits = new SendLimits(new SendLimits.Settings(1, 4, 1, 3));

  @Test
  void aConnectionIsHeldToItsBurst() {
    var connection = limits.connectionBucket();
    for (int i = 0; i < 3; i++) assertTrue(limits.trySend("alice", connection));
    assertFalse(limits.trySend("alice", connection));
  }

  @Test
  void aSendRefusedByTheUserLimitCostsTheConnectionNothing() {
    var phone = limits.connectionBucket();
    var laptop = limits.connectionBucket();
    for (int i = 0; i < 3; i++) assertTrue(limits.trySend("alice", phone));
    assertTrue(limits.trySend("alice", laptop));
    assertFalse(limits.trySend("alice", laptop), "the user's burst of 4 is spent");
    assertEquals(2, laptop.getAvailableTokens(), "the refused send was given back");
  }

  @Test
  void usersHaveSeparateAllowances() {
    for (int i = 0; i < 4; i++) assertTrue(limits.trySend("alice"));
    assertFalse(limits.trySend("alice"));
    assertTrue(limits.trySend("bob"));
  }

  @Test
  void forgettingIdleUsersKeepsThoseStillRefilling() {
    limits.trySend("alice");
    limits.trySend("bob");
    limits.forgetIdle();
    assertEquals(2, limits.trackedUsers(), "neither bucket has refilled");
    // Still alice's spent bucket, not a fresh one: three left of four.
    for (int i = 0; i < 3; i++) assertTrue(limits.trySend("alice"));
    assertFalse(limits.trySend("alice"));
  }
}
