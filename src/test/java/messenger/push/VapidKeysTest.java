package messenger.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VapidKeysTest {
  @TempDir Path dataDir;

  private PushSettings settings(String publicKey, String privateKey) {
    return new PushSettings(
        true,
        "mailto:ops@example.com",
        publicKey,
        privateKey,
        Duration.ofHours(1),
        8,
        100,
        Duration.ofSeconds(1),
        Duration.ofSeconds(10),
        3,
        Duration.ofSeconds(5),
        true,
        dataDir,
        ApnsSettings.OFF,
        FcmSettings.OFF);
  }

  @Test
  void unconfiguredKeysAreGeneratedOnceAndKeptForTheOwnerOnly() throws Exception {
    VapidKeys first = VapidKeys.load(settings("", ""));
    VapidKeys again = VapidKeys.load(settings("", ""));

    assertEquals(first.publicKeyBase64Url(), again.publicKeyBase64Url());
    Path file = dataDir.resolve(VapidKeys.KEY_FILE_NAME);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertTrue(Files.readString(file).contains(first.publicKeyBase64Url()));
  }

  @Test
  void configuredKeysAreUsedAndNothingIsWritten() {
    VapidKeys generated = VapidKeys.generate();
    String d = P256.base64Url(P256.encode(generated.privateKey()));

    VapidKeys loaded = VapidKeys.load(settings(generated.publicKeyBase64Url(), d));

    assertEquals(generated.publicKeyBase64Url(), loaded.publicKeyBase64Url());
    assertFalse(Files.exists(dataDir.resolve(VapidKeys.KEY_FILE_NAME)));
  }

  @Test
  void aPublicKeyOfAnotherPairIsRefused() {
    String d = P256.base64Url(P256.encode(VapidKeys.generate().privateKey()));
    String otherPublic = VapidKeys.generate().publicKeyBase64Url();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> VapidKeys.fromBase64Url(otherPublic, d));
    assertTrue(e.getMessage().contains("does not match"), e.getMessage());
  }

  @Test
  void aDamagedKeyFileIsReportedNotReplaced() throws Exception {
    Path file = dataDir.resolve(VapidKeys.KEY_FILE_NAME);
    Files.writeString(file, "{\"publicKey\":\"x\"}");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> VapidKeys.load(settings("", "")));
    assertTrue(e.getMessage().contains("delete it to generate"), e.getMessage());
    assertEquals("{\"publicKey\":\"x\"}", Files.readString(file));
  }

  @Test
  void theToStringShowsOnlyThePublicKey() {
    VapidKeys keys = VapidKeys.generate();
    String d = P256.base64Url(P256.encode(keys.privateKey()));
    assertFalse(keys.toString().contains(d));
    assertNotEquals(-1, keys.toString().indexOf(keys.publicKeyBase64Url()));
  }
}
