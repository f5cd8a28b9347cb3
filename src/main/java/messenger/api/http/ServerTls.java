package messenger.api.http;

import akka.http.javadsl.ConnectionContext;
import akka.http.javadsl.HttpsConnectionContext;
import com.typesafe.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collections;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import messenger.TlsSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of HTTPS and WSS: a PKCS#12 keystore (a private key and its certificate chain)
 * made into the connection context the HTTP server binds with. Every problem with the keystore
 * fails here, at startup, with a message naming the setting to fix, rather than at the first
 * client's handshake.
 */
public final class ServerTls {

  private static final Logger log = LoggerFactory.getLogger(ServerTls.class);
  private static final String KEYSTORE = "messenger.http.tls.keystore";

  private ServerTls() {}

  public static HttpsConnectionContext context(TlsSettings tls) {
    SSLContext ssl = sslContext(tls);
    String[] protocols = tls.protocols().toArray(String[]::new);
    return ConnectionContext.httpsServer(
        () -> {
          SSLEngine engine = ssl.createSSLEngine();
          engine.setUseClientMode(false);
          // The JDK's defaults would follow the java.security file; the server's own answer is
          // TLS 1.3 and 1.2 only, whatever the JVM it runs on allows.
          engine.setEnabledProtocols(protocols);
          return engine;
        });
  }

  static SSLContext sslContext(TlsSettings tls) {
    Path path = Path.of(tls.keystore());
    char[] password = tls.keystorePassword().toCharArray();
    KeyStore store = load(path, password);
    try {
      String alias = keyAlias(store, path);
      logCertificate(store.getCertificate(alias), path);
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (UnrecoverableKeyException e) {
      throw new ConfigException.BadValue(
          KEYSTORE,
          "the private key in "
              + path
              + " has a password other than the keystore's; re-export it"
              + " with one password for both (docs/security.md, \"TLS\")");
    } catch (GeneralSecurityException e) {
      throw new ConfigException.BadValue(KEYSTORE, "cannot use " + path + ": " + e.getMessage());
    }
  }

  private static KeyStore load(Path path, char[] password) {
    try (InputStream in = Files.newInputStream(path)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
      return store;
    } catch (NoSuchFileException e) {
      throw new ConfigException.BadValue(
          KEYSTORE, "no keystore at " + path.toAbsolutePath() + " (MESSENGER_TLS_KEYSTORE)");
    } catch (AccessDeniedException e) {
      throw new ConfigException.BadValue(
          KEYSTORE, "the node may not read " + path.toAbsolutePath() + " (file permissions)");
    } catch (IOException e) {
      if (e.getCause() instanceof UnrecoverableKeyException) {
        throw new ConfigException.BadValue(
            "messenger.http.tls.keystore-password",
            "the password does not open the keystore "
                + path.toAbsolutePath()
                + " (MESSENGER_TLS_KEYSTORE_PASSWORD)");
      }
      throw new ConfigException.BadValue(
          KEYSTORE,
          "cannot read " + path.toAbsolutePath() + " as a PKCS#12 keystore: " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new ConfigException.BadValue(
          KEYSTORE, "cannot read " + path.toAbsolutePath() + ": " + e.getMessage());
    }
  }

  /** The one entry that holds a private key; a keystore of certificates only serves nobody. */
  private static String keyAlias(KeyStore store, Path path) throws GeneralSecurityException {
    for (String alias : Collections.list(store.aliases())) {
      if (store.isKeyEntry(alias)) return alias;
    }
    throw new ConfigException.BadValue(
        KEYSTORE, path + " holds no private key, only certificates; it needs the server's key too");
  }

  private static void logCertificate(Certificate certificate, Path path) {
    if (!(certificate instanceof X509Certificate x509)) return;
    Instant notAfter = x509.getNotAfter().toInstant();
    if (notAfter.isBefore(Instant.now())) {
      log.warn(
          "TLS certificate {} from {} expired at {}: clients will refuse it",
          x509.getSubjectX500Principal().getName(),
          path,
          notAfter);
    } else {
      log.info(
          "TLS certificate {} from {}, valid until {}",
          x509.getSubjectX500Principal().getName(),
          path,
          notAfter);
    }
  }
}
