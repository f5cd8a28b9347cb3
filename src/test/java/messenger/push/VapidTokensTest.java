package messenger.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class VapidTokensTest {
  private static final Instant T0 = Instant.parse("2025-01-01T12:00:00Z");

  /** A clock the test moves. */
  private static final class MovableClock extends Clock {
    Instant now = T0;

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @Test
  void aTokenIsReusedUntilAnHourBeforeItExpires() {
    MovableClock clock = new MovableClock();
    VapidTokens tokens = new VapidTokens(VapidKeys.generate(), "mailto:a@b.c", clock);
    URI endpoint = URI.create("https://push.example.net/p/1");
    String first = tokens.authorization(endpoint);

    clock.now = T0.plus(Duration.ofHours(10));
    assertEquals(first, tokens.authorization(URI.create("https://push.example.net/p/2")));
    clock.now = T0.plus(Duration.ofHours(11));
    assertNotEquals(first, tokens.authorization(endpoint));
  }

  @Test
  void eachPushServiceOriginGetsItsOwnToken() {
    VapidTokens tokens = new VapidTokens(VapidKeys.generate(), "mailto:a@b.c", Clock.systemUTC());
    assertNotEquals(
        tokens.authorization(URI.create("https://a.example/p")),
        tokens.authorization(URI.create("https://b.example/p")));
  }

  @Test
  void theAudienceIsTheOriginWithoutDefaultPortOrPath() {
    assertEquals(
        "https://push.example.net",
        VapidTokens.audienceOf(URI.create("https://Push.Example.net:443/a/b?c")));
    assertEquals(
        "http://127.0.0.1:8080", VapidTokens.audienceOf(URI.create("http://127.0.0.1:8080/x")));
  }
}
