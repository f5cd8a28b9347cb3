package messenger.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PushSettingsTest {

  private static Config shipped() {
    return ConfigFactory.parseResources("messenger.conf").resolve();
  }

  @Test
  void theShippedBlockReads() {
    PushSettings s = PushSettings.create(shipped());
    assertTrue(s.enabled());
    assertEquals(Duration.ofHours(24), s.ttl());
    assertEquals(64, s.maxInFlight());
    assertEquals(Duration.ofSeconds(1), s.initialBackoff());
    assertEquals(Duration.ofMinutes(5), s.maxBackoff());
    assertEquals(8, s.maxAttempts());
    assertEquals(Duration.ofSeconds(10), s.requestTimeout());
  }

  @Test
  void onlyOneHalfOfTheVapidKeyPairIsRefused() {
    Config half =
        ConfigFactory.parseString("messenger.push.vapid-public-key = \"BAAA\"")
            .withFallback(shipped());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PushSettings.create(half));
    assertTrue(e.getMessage().contains("both"), e.getMessage());
  }

  @Test
  void theVapidSubjectMustBeAMailtoOrHttpsUrl() {
    Config bad =
        ConfigFactory.parseString("messenger.push.vapid-subject = \"admin\"")
            .withFallback(shipped());
    assertThrows(IllegalArgumentException.class, () -> PushSettings.create(bad));
  }

  @Test
  void theToStringKeepsThePrivateKeyOut() {
    Config keyed =
        ConfigFactory.parseString(
                "messenger.push { vapid-public-key = \"PUB\", vapid-private-key = \"SECRETKEY\" }")
            .withFallback(shipped());
    assertFalse(PushSettings.create(keyed).toString().contains("SECRETKEY"));
  }
}
