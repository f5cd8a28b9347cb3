package messenger.push;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import messenger.testing.TestKeystore;

/**
 * A self-signed certificate for 127.0.0.1 and localhost (made by keytool, see {@link TestKeystore})
 * for the local APNs and FCM servers, and the PEM file a client trusts it by.
 */
final class LocalTls {
  final X509Certificate certificate;
  final PrivateKey privateKey;
  final Path certificatePem;
  private final TestKeystore keystore;

  private LocalTls(
      TestKeystore keystore, X509Certificate certificate, PrivateKey key, Path certificatePem) {
    this.keystore = keystore;
    this.certificate = certificate;
    this.privateKey = key;
    this.certificatePem = certificatePem;
  }

  static LocalTls create(Path dir) throws Exception {
    TestKeystore keystore = TestKeystore.create(dir);
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore.path)) {
      store.load(in, keystore.password.toCharArray());
    }
    X509Certificate certificate = (X509Certificate) store.getCertificate("messenger");
    PrivateKey key = (PrivateKey) store.getKey("messenger", keystore.password.toCharArray());
    Path pem = dir.resolve("server.pem");
    Files.writeString(
        pem,
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(certificate.getEncoded())
            + "\n-----END CERTIFICATE-----\n");
    return new LocalTls(keystore, certificate, key, pem);
  }

  /** For a server that presents the certificate. */
  SSLContext serverContext() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore.path)) {
      store.load(in, keystore.password.toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, keystore.password.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  /** PEM of a PKCS#8 private key, as in an APNs {@code .p8} file or a service account's JSON. */
  static String pkcs8Pem(PrivateKey key) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }
}
