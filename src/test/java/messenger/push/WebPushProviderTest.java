package messenger.push;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Web Push against a local push service that decrypts and checks what it gets, as one would. */
class WebPushProviderTest {
  private static final String SUBJECT = "mailto:ops@example.com";
  private static final Duration TTL = Duration.ofHours(1);
  private static final Pattern VAPID =
      Pattern.compile("vapid t=([A-Za-z0-9_.-]+), k=([A-Za-z0-9_-]+)");

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final VapidKeys VAPID_KEYS = VapidKeys.generate();

  private PushReceiver receiver;
  private WebPushProvider provider;
  private Browser browser;
  private PushSubscription subscription;

  @BeforeEach
  void start() throws Exception {
    receiver = PushReceiver.start();
    provider = new WebPushProvider(HTTP, VAPID_KEYS, SUBJECT, Duration.ofSeconds(5));
    browser = new Browser();
    subscription = browser.subscribe(receiver.endpoint("/push/device-1"));
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  private static Notification notification() {
    return new Notification("conv-42", 3, "see you at 8", "Alice", 17);
  }

  private PushOutcome send(Notification n) throws Exception {
    return provider
        .send(subscription, n, WebPushProvider.topicFor(n.conversationId()), TTL)
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  @Test
  void theDeviceDecryptsExactlyThePayload() throws Exception {
    Notification n = notification();
    assertInstanceOf(PushOutcome.Delivered.class, send(n));

    PushReceiver.Received request = receiver.take();
    assertEquals("POST", request.method());
    assertEquals("/push/device-1", request.path());
    assertArrayEquals(n.toJson(), browser.decrypt(request.body()));
  }

  @Test
  void theRequestCarriesTheRfc8030AndRfc8291Headers() throws Exception {
    send(notification());

    PushReceiver.Received request = receiver.take();
    assertEquals("aes128gcm", request.header("Content-Encoding"));
    assertEquals("application/octet-stream", request.header("Content-Type"));
    assertEquals("3600", request.header("TTL"));
    assertEquals("normal", request.header("Urgency"));
    String topic = request.header("Topic");
    assertEquals(WebPushProvider.topicFor("conv-42"), topic);
    assertTrue(topic.matches("[A-Za-z0-9_-]{32}"), topic);
  }

  @Test
  void theVapidTokenIsSignedByTheKeyItNamesForThisOriginAndSubject() throws Exception {
    Instant before = Instant.now();
    send(notification());

    Matcher vapid = VAPID.matcher(receiver.take().header("Authorization"));
    assertTrue(vapid.matches(), "Authorization: vapid t=..., k=...");
    assertEquals(VAPID_KEYS.publicKeyBase64Url(), vapid.group(2));
    SignedJWT jwt = SignedJWT.parse(vapid.group(1));
    assertEquals(JWSAlgorithm.ES256, jwt.getHeader().getAlgorithm());
    var key = P256.publicKey(P256.decodeBase64Url(vapid.group(2), "k"));
    assertTrue(jwt.verify(new ECDSAVerifier(key)), "ES256 signature verifies with k");
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    assertEquals(List.of(receiver.origin()), claims.getAudience());
    assertEquals(SUBJECT, claims.getSubject());
    Instant exp = claims.getExpirationTime().toInstant();
    assertTrue(exp.isAfter(Instant.now()), "exp is in the future");
    assertTrue(
        !exp.isAfter(before.plus(Duration.ofHours(24))), "exp is at most 24 h ahead: " + exp);
  }

  @Test
  void eachPushIsEncryptedAfreshButTheVapidTokenIsReused() throws Exception {
    send(notification());
    send(notification());

    PushReceiver.Received first = receiver.take();
    PushReceiver.Received second = receiver.take();
    assertNotEquals(List.of(first.body()), List.of(second.body()));
    assertEquals(first.header("Authorization"), second.header("Authorization"));
  }

  @Test
  void aFreshSubscriptionIsDeliveredOn201() throws Exception {
    receiver.answer(201, Map.of());
    assertEquals(new PushOutcome.Delivered(), send(notification()));
  }

  @Test
  void tooManyRequestsIsRetryLaterWithTheRetryAfter() throws Exception {
    receiver.answer(429, Map.of("Retry-After", "7"));
    assertEquals(new PushOutcome.RetryLater(Duration.ofSeconds(7), 429), send(notification()));
  }

  @Test
  void aServerErrorIsRetryLaterWithoutADelay() throws Exception {
    receiver.answer(500, Map.of());
    assertEquals(new PushOutcome.RetryLater(null, 500), send(notification()));
  }

  @Test
  void notFoundAndGoneMeanTheSubscriptionIsGone() throws Exception {
    receiver.answer(404, Map.of()).answer(410, Map.of());
    assertEquals(new PushOutcome.Gone(404), send(notification()));
    assertEquals(new PushOutcome.Gone(410), send(notification()));
  }

  @Test
  void aBadRequestIsRejectedWithTheServicesReason() throws Exception {
    receiver.answer(new PushReceiver.Reply(400, Map.of(), "bad crypto-key", null));
    assertEquals(new PushOutcome.Rejected(400, "bad crypto-key"), send(notification()));
  }

  @Test
  void anUnreachableServiceIsFailed() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    subscription = browser.subscribe("http://127.0.0.1:" + closedPort + "/push");
    PushOutcome outcome = send(notification());
    assertInstanceOf(PushOutcome.Failed.class, outcome);
    assertInstanceOf(IOException.class, ((PushOutcome.Failed) outcome).cause());
  }

  @Test
  void aTopicOutsideTheRfc8030AlphabetIsRejectedUnsent() throws Exception {
    PushOutcome outcome =
        provider
            .send(subscription, notification(), "not a topic!", TTL)
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertInstanceOf(PushOutcome.Rejected.class, outcome);
    assertEquals(0, ((PushOutcome.Rejected) outcome).status());
  }

  @Test
  void aTopicIs32Base64UrlCharactersAndDiffersPerConversation() {
    assertEquals(32, WebPushProvider.topicFor("c").length());
    assertEquals(WebPushProvider.topicFor("c-1"), WebPushProvider.topicFor("c-1"));
    assertNotEquals(WebPushProvider.topicFor("c-1"), WebPushProvider.topicFor("c-2"));
  }
}
