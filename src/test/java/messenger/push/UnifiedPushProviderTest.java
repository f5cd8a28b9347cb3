package messenger.push;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UnifiedPushProviderTest {
  private PushReceiver receiver;
  private UnifiedPushProvider provider;
  private PushSubscription subscription;

  @BeforeEach
  void start() throws Exception {
    receiver = PushReceiver.start();
    provider = new UnifiedPushProvider(HttpClient.newHttpClient(), Duration.ofSeconds(5));
    subscription = PushSubscription.unifiedPush(receiver.endpoint("/up/abc"));
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  private PushOutcome send(Notification n) throws Exception {
    return provider
        .send(subscription, n, "ignored", Duration.ofMinutes(2))
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  @Test
  void theDistributorGetsThePlainJsonPayload() throws Exception {
    Notification n = new Notification("conv-1", 2, null, "Bob", 9);
    assertEquals(new PushOutcome.Delivered(), send(n));

    PushReceiver.Received request = receiver.take();
    assertEquals("POST", request.method());
    assertEquals("/up/abc", request.path());
    assertArrayEquals(n.toJson(), request.body());
    assertEquals(
        "{\"conversationId\":\"conv-1\",\"unreadCount\":2,\"latestSeq\":9,\"senderName\":\"Bob\"}",
        request.text());
    assertEquals("application/json", request.header("Content-Type"));
    assertEquals("120", request.header("TTL"));
    assertNull(request.header("Content-Encoding"));
    assertNull(request.header("Authorization"));
  }

  @Test
  void statusIsMappedAsForWebPush() throws Exception {
    receiver.answer(410, Map.of()).answer(503, Map.of("Retry-After", "2")).answer(403, Map.of());
    Notification n = new Notification("conv-1", 1, "hi", null, 1);
    assertEquals(new PushOutcome.Gone(410), send(n));
    assertEquals(new PushOutcome.RetryLater(Duration.ofSeconds(2), 503), send(n));
    assertEquals(new PushOutcome.Rejected(403, ""), send(n));
  }
}
