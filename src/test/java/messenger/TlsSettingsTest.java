package messenger;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Plaintext is served only on loopback unless TLS is configured or plaintext is allowed. */
class TlsSettingsTest {

  private static TlsSettings settings(Map<String, Object> overrides) {
    return TlsSettings.create(
        ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.load()).resolve());
  }

  private static final TlsSettings DEFAULTS = settings(Map.of());

  @Test
  void byDefaultThereIsNoTlsAndNoPlaintextBeyondLoopback() {
    assertFalse(DEFAULTS.enabled());
    assertFalse(DEFAULTS.allowPlaintext());
    assertEquals(List.of("TLSv1.3", "TLSv1.2"), DEFAULTS.protocols());
  }

  @Test
  void plaintextOnALoopbackInterfaceIsServed() {
    assertDoesNotThrow(() -> DEFAULTS.requireSafeInterface("127.0.0.1"));
    assertDoesNotThrow(() -> DEFAULTS.requireSafeInterface("::1"));
    assertDoesNotThrow(() -> DEFAULTS.requireSafeInterface("localhost"));
  }

  @Test
  void plaintextOnAnyOtherInterfaceStopsTheNodeWithAMessageSayingWhatToSet() {
    for (String iface : List.of("0.0.0.0", "::", "10.1.2.3", "")) {
      ConfigException.BadValue refused =
          assertThrows(
              ConfigException.BadValue.class, () -> DEFAULTS.requireSafeInterface(iface), iface);
      assertTrue(refused.getMessage().contains("MESSENGER_TLS_KEYSTORE"), refused::getMessage);
      assertTrue(
          refused.getMessage().contains("MESSENGER_ALLOW_PLAINTEXT=true"), refused::getMessage);
    }
  }

  @Test
  void allowPlaintextServesOnAnyInterfaceForAProxyThatTerminatesTls() {
    TlsSettings behindProxy = settings(Map.of("messenger.http.allow-plaintext", true));
    assertDoesNotThrow(() -> behindProxy.requireSafeInterface("0.0.0.0"));
  }

  @Test
  void aKeystoreServesOnAnyInterface() {
    TlsSettings tls = settings(Map.of("messenger.http.tls.keystore", "/etc/messenger/server.p12"));
    assertTrue(tls.enabled());
    assertDoesNotThrow(() -> tls.requireSafeInterface("0.0.0.0"));
  }

  @Test
  void onlyTls13And12CanBeOffered() {
    assertThrows(
        ConfigException.BadValue.class,
        () -> settings(Map.of("messenger.http.tls.protocols", List.of("TLSv1.3", "TLSv1.1"))));
    assertEquals(
        List.of("TLSv1.3"),
        settings(Map.of("messenger.http.tls.protocols", List.of("TLSv1.3"))).protocols());
  }

  @Test
  void thePasswordStaysOutOfToString() {
    TlsSettings tls =
        settings(
            Map.of(
                "messenger.http.tls.keystore", "server.p12",
                "messenger.http.tls.keystore-password", "s3cret-pass"));
    assertFalse(tls.toString().contains("s3cret-pass"), tls::toString);
  }
}
