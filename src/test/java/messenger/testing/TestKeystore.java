package messenger.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed PKCS#12 keystore for 127.0.0.1 and localhost, made by the JDK's own keytool (as an
 * operator would make one), and an SSLContext for clients that trust its certificate.
 */
public final class TestKeystore {

  public final Path path;
  public final String password;

  private TestKeystore(Path path, String password) {
    this.path = path;
    this.password = password;
  }

  /** A new keystore in {@code dir}. */
  public static TestKeystore create(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path path = dir.resolve("server.p12");
    Files.deleteIfExists(path);
    String password = "test-" + java.util.UUID.randomUUID();
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process process =
        new ProcessBuilder(
                List.of(
                    keytool.toString(),
                    "-genkeypair",
                    "-alias",
                    "messenger",
                    "-keyalg",
                    "EC",
                    "-groupname",
                    "secp256r1",
                    "-dname",
                    "CN=localhost",
                    "-ext",
                    "SAN=dns:localhost,ip:127.0.0.1",
                    "-validity",
                    "2",
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    path.toString(),
                    "-storepass",
                    password,
                    "-keypass",
                    password))
            .redirectErrorStream(true)
            .start();
    String output;
    try (InputStream out = process.getInputStream()) {
      output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException("keytool failed: " + output);
    }
    return new TestKeystore(path, password);
  }

  /** A client context that trusts this keystore's certificate and nothing else. */
  public SSLContext trustingClient() throws Exception {
    KeyStore server = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(path)) {
      server.load(in, password.toCharArray());
    }
    Certificate certificate = server.getCertificate("messenger");
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("messenger", certificate);
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
