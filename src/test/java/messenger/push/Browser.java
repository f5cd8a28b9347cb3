package messenger.push;

import com.google.crypto.tink.apps.webpush.WebPushHybridDecrypt;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;

/**
 * What a browser does with Web Push: makes a subscription from a fresh P-256 key pair and 16 random
 * auth bytes, and decrypts what arrives with the private half (RFC 8291).
 */
final class Browser {
  private final KeyPair keys;
  private final byte[] auth = new byte[16];

  Browser() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    keys = generator.generateKeyPair();
    new SecureRandom().nextBytes(auth);
  }

  byte[] p256dh() {
    return P256.encode((ECPublicKey) keys.getPublic());
  }

  PushSubscription subscribe(String endpoint) {
    return PushSubscription.webPush(endpoint, P256.base64Url(p256dh()), P256.base64Url(auth));
  }

  byte[] decrypt(byte[] body) throws GeneralSecurityException {
    return new WebPushHybridDecrypt.Builder()
        .withAuthSecret(auth)
        .withRecipientPublicKey(p256dh())
        .withRecipientPrivateKey((ECPrivateKey) keys.getPrivate())
        .build()
        .decrypt(body, null);
  }
}
