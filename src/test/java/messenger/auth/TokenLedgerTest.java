package messenger.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import messenger.testing.EntityTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TokenLedgerTest {
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

  private static Instant inAnHour() {
    return Instant.now().plus(1, ChronoUnit.HOURS);
  }

  @Test
  void revokingOneTokenRefusesItAloneAndTellsWhoEnforces() {
    var result =
        ledger.<TokenLedger.Status>runCommand(
            replyTo -> new TokenLedger.Revoke("jti-1", inAnHour(), replyTo));

    assertFalse(result.reply().allows("jti-1", 0));
    assertTrue(result.reply().allows("jti-2", 0));
    assertEquals(1, told.size());
    assertEquals("user-1", told.get(0).userId());
    assertEquals("jti-1", told.get(0).tokenId());
    assertFalse(told.get(0).status().allows("jti-1", 0));
    assertTrue(told.get(0).status().allows("jti-2", 0));
  }

  @Test
  void revokingTheSameTokenTwiceStoresItOnce() {
    Instant expiry = inAnHour();
    ledger.<TokenLedger.Status>runCommand(
        replyTo -> new TokenLedger.Revoke("jti-1", expiry, replyTo));
    var again =
        ledger.<TokenLedger.Status>runCommand(
            replyTo -> new TokenLedger.Revoke("jti-1", expiry, replyTo));

    assertTrue(again.events().isEmpty());
    assertEquals(1, told.size());
  }

  @Test
  void revokingAllStartsAGenerationThatEveryOlderTokenFails() {
    ledger.<TokenLedger.Status>runCommand(
        replyTo -> new TokenLedger.Revoke("jti-1", inAnHour(), replyTo));
    var result = ledger.<TokenLedger.Status>runCommand(TokenLedger.RevokeAll::new);

    assertEquals(1, result.reply().generation());
    assertFalse(result.reply().allows("jti-2", 0));
    assertTrue(result.reply().allows("jti-3", 1));
    assertTrue(result.reply().revoked().isEmpty());
    assertNull(told.get(1).tokenId());
    assertFalse(told.get(1).status().allows("any", 0));
  }

  @Test
  void revokingAllButOneTokenEndsEveryOtherAndKeepsThatOneAcrossARestart() {
    var result =
        ledger.<TokenLedger.Status>runCommand(
            replyTo -> new TokenLedger.RevokeAllBut("asking", inAnHour(), replyTo));

    assertEquals(1, result.reply().generation());
    assertTrue(result.reply().allows("asking", 0));
    assertFalse(result.reply().allows("other", 0));
    assertTrue(result.reply().allows("later-login", 1));
    assertTrue(told.get(0).status().isKept("asking"));

    ledger.restart();
    var status = ledger.<TokenLedger.Status>runCommand(TokenLedger.GetStatus::new).reply();
    assertTrue(status.allows("asking", 0));
    assertFalse(status.allows("other", 0));
  }

  @Test
  void aKeptTokenIsStillRevokedByItsOwnLogoutAndByTheNextLogoutEverywhere() {
    ledger.<TokenLedger.Status>runCommand(
        replyTo -> new TokenLedger.RevokeAllBut("asking", inAnHour(), replyTo));
    var loggedOut =
        ledger.<TokenLedger.Status>runCommand(
            replyTo -> new TokenLedger.Revoke("asking", inAnHour(), replyTo));
    assertFalse(loggedOut.reply().allows("asking", 0));

    ledger.clear();
    ledger.<TokenLedger.Status>runCommand(
        replyTo -> new TokenLedger.RevokeAllBut("asking", inAnHour(), replyTo));
    var everywhere = ledger.<TokenLedger.Status>runCommand(TokenLedger.RevokeAll::new);
    assertFalse(everywhere.reply().allows("asking", 0));
  }

  @Test
  void revokedIdsAreForgottenOnceTheirTokensHaveExpired() {
    ledger.<TokenLedger.Status>runCommand(
        replyTo -> new TokenLedger.Revoke("expired", Instant.now().minusSeconds(1), replyTo));
    var result =
        ledger.<TokenLedger.Status>runCommand(
            replyTo -> new TokenLedger.Revoke("jti-2", inAnHour(), replyTo));

    assertEquals(java.util.Set.of("jti-2"), result.reply().revoked().keySet());
  }

  @Test
  void revocationsSurviveARestart() {
    ledger.<TokenLedger.Status>runCommand(
        replyTo -> new TokenLedger.Revoke("jti-1", inAnHour(), replyTo));
    ledger.<TokenLedger.Status>runCommand(TokenLedger.RevokeAll::new);
    ledger.<TokenLedger.Status>runCommand(
        replyTo -> new TokenLedger.Revoke("jti-9", inAnHour(), replyTo));

    ledger.restart();
    var status = ledger.<TokenLedger.Status>runCommand(TokenLedger.GetStatus::new).reply();

    assertEquals(1, status.generation());
    assertFalse(status.allows("jti-9", 1));
    assertTrue(status.allows("jti-10", 1));
  }

  @Test
  void mergingTwoAnswersKeepsTheLaterGenerationAndEveryRevokedId() {
    var a = new TokenLedger.Status(2, Map.of("x", inAnHour()));
    var b = new TokenLedger.Status(2, Map.of("y", inAnHour()));
    var older = new TokenLedger.Status(1, Map.of("z", inAnHour()));

    var both = a.mergedWith(b);
    assertFalse(both.allows("x", 2));
    assertFalse(both.allows("y", 2));
    assertEquals(a, a.mergedWith(older));
    assertEquals(a, older.mergedWith(a));
  }
}
