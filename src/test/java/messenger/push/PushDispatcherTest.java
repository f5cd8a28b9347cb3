package messenger.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import messenger.push.FakeProvider.Call;
import messenger.push.PushDispatcher.Command;
import messenger.push.PushDispatcher.Notify;
import messenger.testing.Polling;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The dispatcher against a provider the test answers: collapse, bounds, retries, gone. */
class PushDispatcherTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create(
          "PushDispatcherTest", ConfigFactory.parseString("akka.actor.provider = local"));

  private static final String ENDPOINT = "https://push.example.net/up/phone";
  private static final PushSubscription PHONE = PushSubscription.unifiedPush(ENDPOINT);
  private static final Duration TTL = Duration.ofMinutes(5);
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final PushOutcome DELIVERED = new PushOutcome.Delivered();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  record GoneCall(String userId, String deviceId, String endpoint) {}

  private final FakeProvider provider = new FakeProvider();
  private final CountingEvents events = new CountingEvents();
  private final List<GoneCall> gone = new CopyOnWriteArrayList<>();
  private final AtomicInteger fences = new AtomicInteger();

  private static PushSettings settings(
      int maxInFlight, int maxPending, Duration initialBackoff, int maxAttempts) {
    return new PushSettings(
        true,
        "mailto:test@example.com",
        "",
        "",
        TTL,
        maxInFlight,
        maxPending,
        initialBackoff,
        initialBackoff.multipliedBy(4),
        maxAttempts,
        Duration.ofSeconds(10),
        true,
        Path.of("unused"),
        ApnsSettings.OFF,
        FcmSettings.OFF);
  }

  private ActorRef<Command> dispatcher(PushSettings settings) {
    return testKit.spawn(
        PushDispatcher.create(
            settings,
            Map.of(PushKind.UNIFIED_PUSH, provider),
            (user, device, endpoint) -> gone.add(new GoneCall(user, device, endpoint)),
            events));
  }

  private ActorRef<Command> dispatcher() {
    return dispatcher(settings(8, 1000, Duration.ofMillis(50), 3));
  }

  private static Notify notify(String conversationId, int unread) {
    return new Notify(
        "alice", "phone", PHONE, new Notification(conversationId, unread, "hi", "Bob", unread));
  }

  /**
   * The sends made before a fresh notification's own: the dispatcher handles messages in order, so
   * whatever earlier messages caused to be sent is among them.
   */
  private List<Call> sendsBeforeAFence(ActorRef<Command> dispatcher) throws Exception {
    String fence = "fence-" + fences.incrementAndGet();
    dispatcher.tell(notify(fence, 1));
    List<Call> before = new ArrayList<>();
    for (Call call = provider.next(); ; call = provider.next()) {
      if (call.notification().conversationId().equals(fence)) {
        call.answer(DELIVERED);
        return before;
      }
      before.add(call);
    }
  }

  @Test
  void notificationsForOneConversationCollapseWhileASendIsInFlight() throws Exception {
    ActorRef<Command> dispatcher = dispatcher();
    dispatcher.tell(notify("c-1", 1));
    Call first = provider.next();
    assertEquals(1, first.notification().unreadCount());
    for (int unread = 2; unread <= 5; unread++) dispatcher.tell(notify("c-1", unread));

    first.answer(DELIVERED);
    Call second = provider.next();
    assertEquals(5, second.notification().unreadCount());
    second.answer(DELIVERED);

    assertEquals(List.of(), sendsBeforeAFence(dispatcher));
    Polling.until(WAIT, () -> events.sent.get() == 3, "two sends and the fence delivered");
  }

  @Test
  void eachSendCarriesTheConversationsTopicAndTheConfiguredTtl() throws Exception {
    dispatcher().tell(notify("c-1", 1));
    Call call = provider.next();
    assertEquals(WebPushProvider.topicFor("c-1"), call.topic());
    assertEquals(TTL, call.ttl());
    call.answer(DELIVERED);
  }

  @Test
  void differentConversationsAreNotCollapsed() throws Exception {
    ActorRef<Command> dispatcher = dispatcher();
    dispatcher.tell(notify("c-1", 1));
    dispatcher.tell(notify("c-2", 7));

    Call first = provider.next();
    Call second = provider.next();
    assertEquals("c-1", first.notification().conversationId());
    assertEquals("c-2", second.notification().conversationId());
    assertEquals(7, second.notification().unreadCount());
    first.answer(DELIVERED);
    second.answer(DELIVERED);
  }

  @Test
  void retryLaterIsRetriedAfterABackoffAndThenDelivered() throws Exception {
    provider.script(new PushOutcome.RetryLater(null, 503), DELIVERED);
    dispatcher(settings(8, 1000, Duration.ofMillis(50), 3)).tell(notify("c-1", 1));

    Call first = provider.next();
    Call retry = provider.next();
    long waitedMillis = (retry.atNanos() - first.atNanos()) / 1_000_000;
    // Jitter picks between half and all of the 50 ms first backoff.
    assertTrue(waitedMillis >= 25, "retried after " + waitedMillis + " ms");
    Polling.until(WAIT, () -> events.sent.get() == 1, "the retry delivered");
    assertEquals(1, events.retried.get());
    assertEquals(0, events.dropped.get());
  }

  @Test
  void retryAfterIsALowerBoundOnTheBackoff() throws Exception {
    provider.script(new PushOutcome.RetryLater(Duration.ofMillis(300), 429), DELIVERED);
    dispatcher(settings(8, 1000, Duration.ofMillis(10), 3)).tell(notify("c-1", 1));

    Call first = provider.next();
    Call retry = provider.next();
    long waitedMillis = (retry.atNanos() - first.atNanos()) / 1_000_000;
    assertTrue(waitedMillis >= 300, "retried after " + waitedMillis + " ms, not 300");
    Polling.until(WAIT, () -> events.sent.get() == 1, "the retry delivered");
  }

  @Test
  void aNotificationIsGivenUpAfterMaxAttemptsAndCountedAsDropped() throws Exception {
    provider.always(new PushOutcome.Failed(new IOException("connection reset")));
    ActorRef<Command> dispatcher = dispatcher(settings(8, 1000, Duration.ofMillis(10), 3));
    dispatcher.tell(notify("c-1", 1));

    for (int attempt = 1; attempt <= 3; attempt++) provider.next();
    Polling.until(WAIT, () -> events.dropped.get() == 1, "given up after 3 attempts");
    provider.always(null);
    assertEquals(List.of(), sendsBeforeAFence(dispatcher));
    assertEquals(2, events.retried.get());
  }

  @Test
  void aGoneEndpointIsReportedOnceAndNotSentToAgain() throws Exception {
    ActorRef<Command> dispatcher = dispatcher();
    dispatcher.tell(notify("c-1", 1));
    Call first = provider.next();
    dispatcher.tell(notify("c-1", 2));

    first.answer(new PushOutcome.Gone(410));

    Polling.until(WAIT, () -> !gone.isEmpty(), "EndpointGone called");
    assertEquals(List.of(), sendsBeforeAFence(dispatcher));
    assertEquals(List.of(new GoneCall("alice", "phone", ENDPOINT)), gone);
    assertEquals(1, events.gone.get());
  }

  @Test
  void aRejectedNotificationIsCountedAsFailedAndNotRetried() throws Exception {
    provider.script(new PushOutcome.Rejected(400, "bad"));
    ActorRef<Command> dispatcher = dispatcher();
    dispatcher.tell(notify("c-1", 1));
    provider.next();

    Polling.until(WAIT, () -> events.failed.get() == 1, "counted as failed");
    assertEquals(List.of(), sendsBeforeAFence(dispatcher));
    assertEquals(0, events.retried.get());
  }

  @Test
  void noMoreThanMaxInFlightSendsAreOutstanding() throws Exception {
    ActorRef<Command> dispatcher = dispatcher(settings(2, 1000, Duration.ofMillis(50), 3));
    for (int i = 1; i <= 5; i++) dispatcher.tell(notify("c-" + i, i));

    Set<String> sent = new HashSet<>();
    List<Call> outstanding = new ArrayList<>(List.of(provider.next(), provider.next()));
    while (!outstanding.isEmpty()) {
      Call done = outstanding.remove(0);
      sent.add(done.notification().conversationId());
      done.answer(DELIVERED);
      if (sent.size() + outstanding.size() < 5) outstanding.add(provider.next());
    }

    assertEquals(Set.of("c-1", "c-2", "c-3", "c-4", "c-5"), sent);
    assertEquals(2, provider.maxOutstanding());
  }

  @Test
  void aFullQueueDropsItsOldestNotification() throws Exception {
    ActorRef<Command> dispatcher = dispatcher(settings(1, 2, Duration.ofMillis(50), 3));
    dispatcher.tell(notify("c-1", 1));
    Call inFlight = provider.next();
    dispatcher.tell(notify("c-2", 1));
    dispatcher.tell(notify("c-3", 1));

    inFlight.answer(DELIVERED);
    Call next = provider.next();
    assertEquals("c-3", next.notification().conversationId());
    next.answer(DELIVERED);
    assertEquals(1, events.dropped.get());
  }
}
