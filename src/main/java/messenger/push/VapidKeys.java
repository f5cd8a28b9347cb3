package messenger.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Map;
import messenger.storage.SecretFiles;

/**
 * The server's VAPID identity (RFC 8292): a P-256 key pair whose public half browsers are given as
 * {@code applicationServerKey} when they subscribe, and whose private half signs every push.
 *
 * <p>The pair is {@code messenger.push.vapid-public-key}/{@code vapid-private-key} if set;
 * otherwise one generated once and kept in {@code <data-dir>/vapid.json}, readable by its owner
 * only. It must stay the same for as long as subscriptions live: push services refuse pushes signed
 * by another key than the one a subscription was made with.
 */
public final class VapidKeys {
  public static final String KEY_FILE_NAME = "vapid.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ECPublicKey publicKey;
  private final ECPrivateKey privateKey;
  private final String publicKeyBase64Url;

  private VapidKeys(ECPublicKey publicKey, ECPrivateKey privateKey) {
    this.publicKey = publicKey;
    this.privateKey = privateKey;
    this.publicKeyBase64Url = P256.base64Url(P256.encode(publicKey));
    requireMatchingPair();
  }

  /** The configured pair, or the one kept in (or first written to) the data dir. */
  public static VapidKeys load(PushSettings settings) {
    if (!settings.vapidPrivateKey().isEmpty()) {
      return fromBase64Url(settings.vapidPublicKey(), settings.vapidPrivateKey());
    }
    return readOrCreateKeyFile(settings.dataDir().resolve(KEY_FILE_NAME));
  }

  /**
   * @param publicKey the uncompressed point, base64url
   * @param privateKey the scalar {@code d}, base64url
   * @throws IllegalArgumentException if either is malformed or they are not one pair
   */
  public static VapidKeys fromBase64Url(String publicKey, String privateKey) {
    return new VapidKeys(
        P256.publicKey(P256.decodeBase64Url(publicKey, "the VAPID public key")),
        P256.privateKey(P256.decodeBase64Url(privateKey, "the VAPID private key")));
  }

  public static VapidKeys generate() {
    KeyPair pair = P256.generate();
    return new VapidKeys((ECPublicKey) pair.getPublic(), (ECPrivateKey) pair.getPrivate());
  }

  /** What clients pass to {@code pushManager.subscribe({applicationServerKey})}. */
  public String publicKeyBase64Url() {
    return publicKeyBase64Url;
  }

  ECPublicKey publicKey() {
    return publicKey;
  }

  ECPrivateKey privateKey() {
    return privateKey;
  }

  @Override
  public String toString() {
    return "VapidKeys[publicKey=" + publicKeyBase64Url + "]";
  }

  // A public key that does not belong to the private one would only show as every push being
  // refused with 403; a test signature says so at startup instead.
  private void requireMatchingPair() {
    try {
      byte[] probe = "vapid key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(privateKey);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(publicKey);
      verifier.update(probe);
      if (!verifier.verify(signature)) {
        throw new IllegalArgumentException("the VAPID public key does not match the private key");
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("unusable VAPID keys: " + e.getMessage(), e);
    }
  }

  private static VapidKeys readOrCreateKeyFile(Path file) {
    try {
      if (!Files.exists(file)) {
        writeNewKeyFile(file);
      }
      try {
        JsonNode json = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        return fromBase64Url(json.path("publicKey").asText(""), json.path("privateKey").asText(""));
      } catch (IOException | IllegalArgumentException e) {
        throw new IllegalStateException(
            file
                + " does not hold a usable VAPID key pair ("
                + e.getMessage()
                + "); restore it, or delete it to generate a new one (existing push"
                + " subscriptions then stop working until clients subscribe again)",
            e);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read or create the VAPID keys " + file, e);
    }
  }

  private static void writeNewKeyFile(Path file) throws IOException {
    VapidKeys keys = generate();
    String json =
        JSON.writeValueAsString(
            Map.of(
                "publicKey", keys.publicKeyBase64Url(),
                "privateKey", P256.base64Url(P256.encode(keys.privateKey()))));
    SecretFiles.writeOnce(file, json + "\n");
  }
}
