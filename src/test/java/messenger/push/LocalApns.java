package messenger.push;

import com.eatthepath.pushy.apns.auth.ApnsVerificationKey;
import com.eatthepath.pushy.apns.server.MockApnsServer;
import com.eatthepath.pushy.apns.server.MockApnsServerBuilder;
import com.eatthepath.pushy.apns.server.MockApnsServerListener;
import com.eatthepath.pushy.apns.server.PushNotificationHandler;
import com.eatthepath.pushy.apns.server.RejectedNotificationException;
import com.eatthepath.pushy.apns.server.RejectionReason;
import com.eatthepath.pushy.apns.server.ValidatingPushNotificationHandlerFactory;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Pushy's mock APNs server on a free loopback port, over TLS with {@link LocalTls}'s certificate,
 * checking what Apple checks: the provider JWT's ES256 signature against the team's key, its key
 * and team ids, the topic (bundle id) the key may push to, and the device token (unknown: 400
 * {@code BadDeviceToken}; expired: 410 {@code Unregistered}). Tests can make it answer the next
 * pushes with a failure of their choice (429, 503) before it validates.
 */
final class LocalApns implements AutoCloseable {
  static final String TEAM_ID = "TEAM123456";
  static final String KEY_ID = "KEY1234567";
  static final String TOPIC = "net.example.messenger";

  /** An accepted push, as the server saw it. */
  record Received(Map<String, String> headers, String payload) {
    String header(String name) {
      return headers.get(name);
    }
  }

  private final MockApnsServer server;
  final int port;
  final Path keyFile;
  final Path trustedCertificates;
  private final Set<String> tokens = ConcurrentHashMap.newKeySet();
  private final Map<String, Instant> expired = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<RejectionReason> failNext = new ConcurrentLinkedQueue<>();
  private final Map<String, BlockingQueue<Received>> accepted = new ConcurrentHashMap<>();
  private final Map<String, BlockingQueue<String>> rejected = new ConcurrentHashMap<>();

  private LocalApns(Path dir) throws Exception {
    Files.createDirectories(dir);
    LocalTls tls = LocalTls.create(dir.resolve("apns-tls"));
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair teamKey = generator.generateKeyPair();
    keyFile = dir.resolve("AuthKey_" + KEY_ID + ".p8");
    Files.writeString(keyFile, LocalTls.pkcs8Pem(teamKey.getPrivate()));
    trustedCertificates = tls.certificatePem;

    ApnsVerificationKey verification =
        new ApnsVerificationKey(KEY_ID, TEAM_ID, (ECPublicKey) teamKey.getPublic());
    Map<String, Set<String>> tokensByTopic = new HashMap<>();
    tokensByTopic.put(TOPIC, tokens);
    var validating =
        new ValidatingPushNotificationHandlerFactory(
            tokensByTopic,
            expired,
            Map.of(KEY_ID, verification),
            Map.of(verification, Set.of(TOPIC)));
    server =
        new MockApnsServerBuilder()
            .setServerCredentials(
                new java.security.cert.X509Certificate[] {tls.certificate}, tls.privateKey, null)
            .setHandlerFactory(
                session -> {
                  PushNotificationHandler inner = validating.buildHandler(session);
                  return (headers, payload) -> {
                    RejectionReason failure = failNext.poll();
                    if (failure != null) throw new RejectedNotificationException(failure);
                    inner.handlePushNotification(headers, payload);
                  };
                })
            .setListener(new Recorder())
            .build();
    port = (Integer) server.start(0).get(10, TimeUnit.SECONDS);
  }

  /** A server in {@code dir} (key file, certificates). */
  static LocalApns start(Path dir) throws Exception {
    return new LocalApns(dir);
  }

  /** Settings that push here, with this server's team key. */
  ApnsSettings settings(boolean highPriority) {
    return new ApnsSettings(
        keyFile.toString(),
        KEY_ID,
        TEAM_ID,
        TOPIC,
        "127.0.0.1:" + port,
        trustedCertificates.toString(),
        highPriority);
  }

  /** A device token the server knows, as an app would get from iOS. */
  String newDeviceToken() {
    byte[] bytes = new byte[32];
    new java.security.SecureRandom().nextBytes(bytes);
    StringBuilder hex = new StringBuilder();
    for (byte b : bytes) hex.append(String.format("%02x", b));
    tokens.add(hex.toString());
    return hex.toString();
  }

  /** From now on pushes to {@code token} are answered 410 Unregistered. */
  void expire(String token) {
    expired.put(token, Instant.now());
  }

  /** The next push is refused with {@code reason} before any check. */
  void failNext(RejectionReason reason) {
    failNext.add(reason);
  }

  /** The next push the server accepted for {@code token}. */
  Received take(String token) throws InterruptedException {
    Received r = queue(token).poll(20, TimeUnit.SECONDS);
    if (r == null) throw new AssertionError("no push reached the APNs server for " + token);
    return r;
  }

  private BlockingQueue<Received> queue(String token) {
    return accepted.computeIfAbsent(token, t -> new LinkedBlockingQueue<>());
  }

  /** The reason of the next refused push to {@code token}. */
  String takeRejection(String token) throws InterruptedException {
    String r =
        rejected
            .computeIfAbsent(token, t -> new LinkedBlockingQueue<>())
            .poll(20, TimeUnit.SECONDS);
    if (r == null) throw new AssertionError("no push was refused by the APNs server");
    return r;
  }

  @Override
  public void close() throws Exception {
    server.shutdown().get(10, TimeUnit.SECONDS);
  }

  private final class Recorder implements MockApnsServerListener {
    @Override
    public void handlePushNotificationAccepted(Http2Headers headers, ByteBuf payload) {
      queue(token(headers))
          .add(new Received(copy(headers), payload.toString(StandardCharsets.UTF_8)));
    }

    @Override
    public void handlePushNotificationRejected(
        Http2Headers headers, ByteBuf payload, RejectionReason reason, Instant expiration) {
      rejected.computeIfAbsent(token(headers), t -> new LinkedBlockingQueue<>()).add(reason.name());
    }

    private String token(Http2Headers headers) {
      String path = headers.path().toString();
      return path.substring(path.lastIndexOf('/') + 1);
    }

    private Map<String, String> copy(Http2Headers headers) {
      Map<String, String> copy = new HashMap<>();
      headers.forEach(h -> copy.put(h.getKey().toString(), h.getValue().toString()));
      return copy;
    }
  }
}
