package messenger.storage;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Properties;

/**
 * The files the embedded S3Proxy runs from, under its data directory: the keys it checks signatures
 * with (generated once, kept), its properties and its logging configuration (written at each
 * start).
 */
final class S3ProxyConfigFiles {

  private S3ProxyConfigFiles() {}

  /** The access key and secret of this data directory: generated on its first start, then kept. */
  static S3ProxyLauncher.Credentials credentials(Path dataDir) throws IOException {
    Path file = dataDir.resolve("credentials.properties");
    if (!Files.isRegularFile(file)) {
      SecureRandom random = new SecureRandom();
      SecretFiles.writeOnce(
          file,
          "access-key=" + randomText(random, 20) + "\nsecret-key=" + randomText(random, 40) + "\n");
    }
    Properties read = new Properties();
    read.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
    String accessKey = read.getProperty("access-key", "");
    String secretKey = read.getProperty("secret-key", "");
    if (accessKey.isBlank() || secretKey.isBlank()) {
      throw new IOException(
          file + " lacks access-key or secret-key; delete it to generate new ones");
    }
    return new S3ProxyLauncher.Credentials(accessKey, secretKey);
  }

  /** Upper-case letters and digits: valid in a properties file, a URL and an AWS signature. */
  private static String randomText(SecureRandom random, int length) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++)
      text.append(alphabet.charAt(random.nextInt(alphabet.length())));
    return text.toString();
  }

  /** Written at every start (the port may change); it holds the secret, so owner-only too. */
  static Path writeProperties(Path dataDir, URI endpoint, S3ProxyLauncher.Credentials credentials)
      throws IOException {
    Path objects = Files.createDirectories(dataDir.resolve("objects"));
    Path file = dataDir.resolve("s3proxy.properties");
    String content =
        String.join(
            "\n",
            // filesystem-nio2: 2.7.0 logs the plain "filesystem" provider as deprecated.
            "jclouds.provider=filesystem-nio2",
            "jclouds.filesystem.basedir=" + objects,
            "jclouds.identity=" + credentials.accessKey(),
            "jclouds.credential=" + credentials.secretKey(),
            "s3proxy.endpoint=" + endpoint,
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + credentials.accessKey(),
            "s3proxy.credential=" + credentials.secretKey(),
            // Web clients upload and download from the page's origin, straight to the store.
            "s3proxy.cors-allow-all=true",
            "");
    SecretFiles.replace(file, content);
    return file;
  }

  /**
   * S3Proxy's jar has no logging configuration, and logback's fallback logs every Jetty event at
   * DEBUG: hundreds of lines per request. Its stdout is appended to {@code logs/s3proxy.out}.
   */
  static Path writeLogback(Path dataDir) throws IOException {
    Path file = dataDir.resolve("logback.xml");
    Files.writeString(
        file,
        """
        <configuration>
          <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>%d{ISO8601} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
          </appender>
          <logger name="org.gaul.shaded.org.eclipse.jetty" level="WARN"/>
          <root level="INFO"><appender-ref ref="OUT"/></root>
        </configuration>
        """,
        StandardCharsets.UTF_8);
    return file;
  }
}
