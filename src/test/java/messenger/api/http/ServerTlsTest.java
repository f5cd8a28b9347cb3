package messenger.api.http;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import messenger.TlsSettings;
import messenger.testing.TestKeystore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A keystore that cannot serve fails at startup with a message naming what to fix. */
class ServerTlsTest {

  @TempDir static Path dir;
  private static TestKeystore keystore;

  @BeforeAll
  static void makeKeystore() throws Exception {
    keystore = TestKeystore.create(dir);
  }

  private static TlsSettings tls(Path path, String password) {
    return new TlsSettings(path.toString(), password, List.of("TLSv1.3", "TLSv1.2"), false);
  }

  @Test
  void aGoodKeystoreGivesAContext() {
    assertNotNull(ServerTls.context(tls(keystore.path, keystore.password)));
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = dir.resolve("nope.p12");
    var refused =
        assertThrows(ConfigException.BadValue.class, () -> ServerTls.context(tls(missing, "x")));
    assertTrue(
        refused.getMessage().contains("no keystore at " + missing.toAbsolutePath()),
        refused::getMessage);
  }

  @Test
  void aWrongPasswordIsToldApartFromABrokenFile() throws Exception {
    var wrong =
        assertThrows(
            ConfigException.BadValue.class,
            () -> ServerTls.context(tls(keystore.path, "wrong-password")));
    assertTrue(wrong.getMessage().contains("password does not open"), wrong::getMessage);

    Path pem = Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n");
    var broken =
        assertThrows(ConfigException.BadValue.class, () -> ServerTls.context(tls(pem, "x")));
    assertTrue(broken.getMessage().contains("as a PKCS#12 keystore"), broken::getMessage);
  }
}
