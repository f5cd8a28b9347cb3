package messenger.push;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * NIST P-256 keys in the encodings Web Push uses: a public key is the 65-byte uncompressed point
 * ({@code 0x04 || x || y}), a private key the 32-byte scalar {@code d}, both base64url.
 */
final class P256 {
  static final int PUBLIC_KEY_BYTES = 65;
  static final int PRIVATE_KEY_BYTES = 32;
  static final ECParameterSpec SPEC = curve();

  private P256() {}

  /** A public key from its uncompressed encoding, refusing anything that is not on the curve. */
  static ECPublicKey publicKey(byte[] encoded) {
    if (encoded.length != PUBLIC_KEY_BYTES || encoded[0] != 0x04) {
      throw new IllegalArgumentException(
          "not an uncompressed P-256 point (65 bytes starting with 0x04), got "
              + encoded.length
              + " bytes");
    }
    BigInteger x = new BigInteger(1, Arrays.copyOfRange(encoded, 1, 33));
    BigInteger y = new BigInteger(1, Arrays.copyOfRange(encoded, 33, 65));
    // The JDK's KeyFactory accepts points off the curve; an invalid point would only fail later,
    // deep in an ECDH, so check y^2 = x^3 + ax + b (mod p) here.
    BigInteger p = ((ECFieldFp) SPEC.getCurve().getField()).getP();
    BigInteger a = SPEC.getCurve().getA();
    BigInteger b = SPEC.getCurve().getB();
    boolean inField = x.compareTo(p) < 0 && y.compareTo(p) < 0;
    if (!inField || !y.pow(2).mod(p).equals(x.pow(3).add(a.multiply(x)).add(b).mod(p))) {
      throw new IllegalArgumentException("the point is not on the P-256 curve");
    }
    try {
      return (ECPublicKey)
          KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), SPEC));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("unusable P-256 public key: " + e.getMessage(), e);
    }
  }

  static ECPrivateKey privateKey(byte[] d) {
    BigInteger s = new BigInteger(1, d);
    if (d.length != PRIVATE_KEY_BYTES || s.signum() == 0 || s.compareTo(SPEC.getOrder()) >= 0) {
      throw new IllegalArgumentException(
          "not a P-256 private key (a 32-byte scalar below the group order)");
    }
    try {
      return (ECPrivateKey)
          KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(s, SPEC));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("unusable P-256 private key: " + e.getMessage(), e);
    }
  }

  static byte[] encode(ECPublicKey key) {
    byte[] out = new byte[PUBLIC_KEY_BYTES];
    out[0] = 0x04;
    fixed32(key.getW().getAffineX(), out, 1);
    fixed32(key.getW().getAffineY(), out, 33);
    return out;
  }

  static byte[] encode(ECPrivateKey key) {
    byte[] out = new byte[PRIVATE_KEY_BYTES];
    fixed32(key.getS(), out, 0);
    return out;
  }

  static KeyPair generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot generate P-256 keys", e);
    }
  }

  /** Base64url with or without padding; the standard alphabet's {@code +/} is refused. */
  static byte[] decodeBase64Url(String value, String what) {
    try {
      return Base64.getUrlDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not base64url: " + e.getMessage(), e);
    }
  }

  static String base64Url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  // BigInteger drops leading zeros and may add a sign byte; points need exactly 32 bytes each.
  private static void fixed32(BigInteger value, byte[] out, int offset) {
    byte[] raw = value.toByteArray();
    int from = Math.max(0, raw.length - 32);
    int length = raw.length - from;
    System.arraycopy(raw, from, out, offset + 32 - length, length);
  }

  private static ECParameterSpec curve() {
    try {
      AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
      params.init(new ECGenParameterSpec("secp256r1"));
      return params.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM does not support P-256", e);
    }
  }
}
