package messenger.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import messenger.testing.EntityTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A suspension in the {@link TokenLedger}: stored, enforced through a new generation, recovered.
 */
class TokenLedgerSuspensionTest {
  private static ActorTestKit testKit;
  private static final List<TokenLedger.Revocation> told = new CopyOnWriteArrayList<>();
  private static EventSourcedBehaviorTestKit<
          TokenLedger.Command, TokenLedger.Event, TokenLedger.Status>
      ledger;

  @BeforeAll
  static void startTestKit() {
    testKit = ActorTestKit.create(EntityTests.config());
    ledger =
        EventSourcedBehaviorTestKit.create(
            testKit.system(), TokenLedger.create("user-1", told::add));
  }

  @AfterAll
  static void stopTestKit() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void clear() {
    ledger.clear();
    told.clear();
  }

  private static TokenLedger.Status suspend() {
    return ledger
        .<TokenLedger.Status>runCommand(replyTo -> new TokenLedger.Suspend("spam", replyTo))
        .reply();
  }

  @Test
  void suspendingEndsEveryTokenAtOnceAndTellsWhoEnforces() {
    var status = suspend();

    assertTrue(status.suspended());
    assertEquals(1, status.generation());
    assertFalse(status.allows("old", 0));
    assertFalse(status.allows("new", 1), "no token is good while suspended, even a new one");
    assertEquals(1, told.size());
    assertNull(told.get(0).tokenId());
    assertEquals(1, told.get(0).status().generation());
    assertTrue(told.get(0).status().suspended());
  }

  @Test
  void suspendingTwiceStoresItOnce() {
    suspend();
    var again =
        ledger.<TokenLedger.Status>runCommand(replyTo -> new TokenLedger.Suspend("x", replyTo));

    assertTrue(again.events().isEmpty());
    assertEquals(1, told.size());
  }

  @Test
  void reinstatingAllowsNewTokensButNotTheOldOnes() {
    suspend();
    var result = ledger.<TokenLedger.Status>runCommand(TokenLedger.Reinstate::new);

    assertInstanceOf(TokenLedger.Reinstated.class, result.event());
    assertFalse(result.reply().suspended());
    assertEquals(2, result.reply().generation());
    assertFalse(result.reply().allows("old", 0));
    assertFalse(result.reply().allows("during", 1));
    assertTrue(result.reply().allows("new", 2));
    assertEquals(2, told.size());
  }

  @Test
  void reinstatingAUserWhoIsNotSuspendedChangesNothing() {
    var result = ledger.<TokenLedger.Status>runCommand(TokenLedger.Reinstate::new);

    assertTrue(result.events().isEmpty());
    assertEquals(0, result.reply().generation());
    assertTrue(told.isEmpty());
  }

  @Test
  void loggingOutEverywhereWhileSuspendedKeepsTheSuspension() {
    suspend();
    var status = ledger.<TokenLedger.Status>runCommand(TokenLedger.RevokeAll::new).reply();

    assertTrue(status.suspended());
    assertEquals(2, status.generation());
  }

  @Test
  void aSuspensionSurvivesARestartAndSoDoesItsEnd() {
    suspend();
    ledger.restart();
    assertTrue(
        ledger.<TokenLedger.Status>runCommand(TokenLedger.GetStatus::new).reply().suspended());

    ledger.<TokenLedger.Status>runCommand(TokenLedger.Reinstate::new);
    ledger.restart();
    var status = ledger.<TokenLedger.Status>runCommand(TokenLedger.GetStatus::new).reply();
    assertFalse(status.suspended());
    assertEquals(2, status.generation());
  }

  @Test
  void mergingAnswersOfOneGenerationKeepsItsSuspension() {
    var suspended = new TokenLedger.Status(3, Map.of(), null, true);
    var cachedEarlier = new TokenLedger.Status(3, Map.of());

    assertTrue(cachedEarlier.mergedWith(suspended).suspended());
    assertFalse(suspended.mergedWith(new TokenLedger.Status(4, Map.of())).suspended());
  }
}
