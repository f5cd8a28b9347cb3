package messenger.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import messenger.auth.AuthSettings;
import messenger.auth.TokenService;
import org.junit.jupiter.api.Test;

class InviteTokensTest {
  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
  private static final byte[] KEY =
      "an invite key of at least 32 bytes!!".getBytes(StandardCharsets.UTF_8);
  private static final InviteTokens TOKENS =
      new InviteTokens(KEY, Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void aTokenNamesItsGroupInviteAndExpiry() {
    Instant expiry = NOW.plus(Duration.ofDays(7));
    String token = TOKENS.sign("g-1", "i-1", expiry);

    assertEquals(Optional.of(new InviteTokens.Invite("g-1", "i-1", expiry)), TOKENS.verify(token));
    assertEquals(token, TOKENS.sign("g-1", "i-1", expiry), "the same invite, the same token");
  }

  @Test
  void anExpiredTamperedOrForeignTokenIsRefused() {
    String token = TOKENS.sign("g-1", "i-1", NOW.plusSeconds(60));
    var later = new InviteTokens(KEY, Clock.fixed(NOW.plusSeconds(61), ZoneOffset.UTC));
    assertTrue(later.verify(token).isEmpty(), "expired");

    String[] parts = token.split("\\.");
    String otherGroup = TOKENS.sign("g-2", "i-1", NOW.plusSeconds(60)).split("\\.")[1];
    assertTrue(TOKENS.verify(parts[0] + "." + otherGroup + "." + parts[2]).isEmpty(), "tampered");
    var otherKey =
        new InviteTokens(
            "another key, also of 32 bytes or more".getBytes(StandardCharsets.UTF_8),
            Clock.fixed(NOW, ZoneOffset.UTC));
    assertTrue(otherKey.verify(token).isEmpty(), "signed with another key");
    assertTrue(TOKENS.verify("not.a.token").isEmpty());
    assertTrue(TOKENS.verify(null).isEmpty());
  }

  @Test
  void aBearerTokenIsNoInviteAndAnInviteIsNoBearerToken() {
    var settings =
        new AuthSettings(
            "", "messenger", "messenger-clients", Duration.ofHours(1), java.nio.file.Path.of("."));
    var bearer = new TokenService(KEY, settings, Clock.fixed(NOW, ZoneOffset.UTC));
    var invites =
        new InviteTokens(bearer.derivedKey("invite-links"), Clock.fixed(NOW, ZoneOffset.UTC));
    String login = bearer.issue("u-1").token();
    String invite = invites.sign("g-1", "i-1", NOW.plusSeconds(600));

    assertTrue(invites.verify(login).isEmpty());
    assertTrue(new InviteTokens(KEY, Clock.fixed(NOW, ZoneOffset.UTC)).verify(login).isEmpty());
    assertTrue(bearer.check(invite).isEmpty());
  }
}
