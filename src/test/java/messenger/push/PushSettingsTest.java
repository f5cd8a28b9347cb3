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

  @Test
  void apnsAndFcmAreOffUntilTheirCredentialsAreSetAndNotOfferedForRegistration() {
    PushSettings s = PushSettings.create(shipped());
    assertFalse(s.apns().configured());
    assertFalse(s.fcm().configured());
    assertEquals(
        java.util.Set.of(PushKind.WEB_PUSH, PushKind.UNIFIED_PUSH), PushProviders.offered(s));
  }

  @Test
  void aConfiguredApnsKeyNeedsItsIdsAndTopicAndAKnownServer() {
    Config keyOnly =
        ConfigFactory.parseString("messenger.push.apns.key-file = \"/keys/AuthKey.p8\"")
            .withFallback(shipped());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PushSettings.create(keyOnly));
    assertTrue(e.getMessage().contains("key-id"), e.getMessage());

    Config complete =
        ConfigFactory.parseString(
                "messenger.push.apns { key-file = \"/k.p8\", key-id = K, team-id = T,"
                    + " topic = \"net.example.app\", server = sandbox, priority = normal }")
            .withFallback(shipped());
    ApnsSettings apns = PushSettings.create(complete).apns();
    assertEquals(ApnsSettings.SANDBOX_HOST, apns.host());
    assertEquals(443, apns.port());
    assertFalse(apns.highPriority());
    assertTrue(PushProviders.offered(PushSettings.create(complete)).contains(PushKind.APNS));

    Config local =
        ConfigFactory.parseString("messenger.push.apns.server = \"127.0.0.1:8443\"")
            .withFallback(complete);
    assertEquals("127.0.0.1", PushSettings.create(local).apns().host());
    assertEquals(8443, PushSettings.create(local).apns().port());

    Config unknown =
        ConfigFactory.parseString("messenger.push.apns.server = staging").withFallback(complete);
    assertThrows(IllegalArgumentException.class, () -> PushSettings.create(unknown));
  }

  @Test
  void fcmNeedsAnHttpEndpointAndAKnownPriority() {
    Config fcm =
        ConfigFactory.parseString(
                "messenger.push.fcm { service-account-file = \"/sa.json\", project-id = p }")
            .withFallback(shipped());
    FcmSettings f = PushSettings.create(fcm).fcm();
    assertTrue(f.configured());
    assertEquals(
        java.net.URI.create("https://fcm.googleapis.com/v1/projects/p/messages:send"),
        f.sendUri("p"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            PushSettings.create(
                ConfigFactory.parseString("messenger.push.fcm.endpoint = \"ftp://x\"")
                    .withFallback(fcm)));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            PushSettings.create(
                ConfigFactory.parseString("messenger.push.fcm.priority = urgent")
                    .withFallback(fcm)));
  }
}
