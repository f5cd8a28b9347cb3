package messenger.push;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.crypto.tink.apps.webpush.WebPushHybridDecrypt;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The worked example of RFC 8291 (section 5 and appendix A), decrypted with the library the
 * provider encrypts with: evidence that Tink's aes128gcm is the RFC's, independent of our own
 * encrypt-then-decrypt round trip, which would also pass if both halves shared a mistake.
 */
class Rfc8291ExampleTest {
  private static final String PLAINTEXT = "When I grow up, I want to be a watermelon";
  private static final String UA_PRIVATE = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
  private static final String UA_PUBLIC =
      "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
  private static final String AS_PUBLIC =
      "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
  private static final String AUTH_SECRET = "BTBZMqHH6r4Tts7J_aSIgg";
  private static final String SALT = "DGv6ra1nlYgDCS1FRnbzlw";
  private static final String MESSAGE =
      "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27ml"
          + "mlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPT"
          + "pK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

  private static byte[] b64(String s) {
    return Base64.getUrlDecoder().decode(s);
  }

  @Test
  void tinkDecryptsTheRfcExampleToTheWatermelonSentence() throws Exception {
    byte[] plaintext =
        new WebPushHybridDecrypt.Builder()
            .withAuthSecret(b64(AUTH_SECRET))
            .withRecipientPublicKey(b64(UA_PUBLIC))
            .withRecipientPrivateKey(b64(UA_PRIVATE))
            .build()
            .decrypt(b64(MESSAGE), null);

    assertEquals(PLAINTEXT, new String(plaintext, StandardCharsets.UTF_8));
  }

  @Test
  void theExampleHeaderIsTheRfc8188OneTheProviderSends() {
    // salt (16) | record size (4) | key id length (1) | key id: the sender's ephemeral public key
    ByteBuffer header = ByteBuffer.wrap(b64(MESSAGE));
    byte[] salt = new byte[16];
    header.get(salt);
    assertArrayEquals(b64(SALT), salt);
    assertEquals(4096, header.getInt());
    assertEquals(65, header.get());
    byte[] keyId = new byte[65];
    header.get(keyId);
    assertArrayEquals(b64(AS_PUBLIC), keyId);
    assertEquals(41 + 1 + 16, header.remaining(), "plaintext, delimiter and the GCM tag");
  }

  @Test
  void subscriptionValidationAcceptsTheExampleUserAgentKeys() {
    PushSubscription s =
        PushSubscription.webPush("https://push.example.net/p/1", UA_PUBLIC, AUTH_SECRET);
    assertEquals(UA_PUBLIC, s.p256dh());
  }
}
