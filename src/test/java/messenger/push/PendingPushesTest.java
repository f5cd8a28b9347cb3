package messenger.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import messenger.push.PendingPushes.Dispatch;
import messenger.push.PendingPushes.Offered;
import messenger.push.PushDispatcher.Notify;
import org.junit.jupiter.api.Test;

/** The dispatcher's bookkeeping on its own: no actors, no clocks. */
class PendingPushesTest {
  private static final PushSubscription PHONE =
      PushSubscription.unifiedPush("https://push.example.net/up/phone");

  private static Notify notify(String conversationId, int unread) {
    return notify(conversationId, unread, PHONE);
  }

  private static Notify notify(String conversationId, int unread, PushSubscription to) {
    return new Notify(
        "alice", "phone", to, new Notification(conversationId, unread, null, null, 1));
  }

  @Test
  void aQueuedNotificationIsReplacedByANewerOne() {
    PendingPushes pending = new PendingPushes(4, 100, 3);
    assertEquals(Offered.QUEUED, pending.offer(notify("c-1", 1)));
    assertEquals(Offered.COLLAPSED, pending.offer(notify("c-1", 2)));

    Dispatch d = pending.next();
    assertEquals(2, d.request().notification().unreadCount());
    assertNull(pending.next());
  }

  @Test
  void oneThatArrivesInFlightIsSentOnceAfterTheDelivery() {
    PendingPushes pending = new PendingPushes(4, 100, 3);
    pending.offer(notify("c-1", 1));
    Dispatch first = pending.next();
    pending.offer(notify("c-1", 2));
    pending.offer(notify("c-1", 3));
    assertNull(pending.next(), "not while the first is in flight");

    pending.delivered(first.key());
    Dispatch second = pending.next();
    assertEquals(3, second.request().notification().unreadCount());
    assertEquals(1, second.attempt());
    pending.delivered(second.key());
    assertEquals(0, pending.held());
  }

  @Test
  void aRetryWaitingKeySendsTheLatestNotification() {
    PendingPushes pending = new PendingPushes(4, 100, 3);
    pending.offer(notify("c-1", 1));
    Dispatch first = pending.next();
    assertEquals(1, pending.failed(first.key()));
    pending.offer(notify("c-1", 2));
    assertNull(pending.next(), "waits for its retry");

    pending.retryDue(first.key());
    Dispatch retry = pending.next();
    assertEquals(2, retry.request().notification().unreadCount());
    assertEquals(2, retry.attempt());
  }

  @Test
  void afterMaxAttemptsTheKeyIsGivenUp() {
    PendingPushes pending = new PendingPushes(4, 100, 2);
    pending.offer(notify("c-1", 1));
    Dispatch d = pending.next();
    assertEquals(1, pending.failed(d.key()));
    pending.retryDue(d.key());
    d = pending.next();
    assertEquals(0, pending.failed(d.key()));
    assertEquals(0, pending.held());
  }

  @Test
  void sendsStopAtMaxInFlightAndGoOutInArrivalOrder() {
    PendingPushes pending = new PendingPushes(2, 100, 3);
    for (int i = 1; i <= 4; i++) pending.offer(notify("c-" + i, 1));
    Dispatch a = pending.next();
    Dispatch b = pending.next();
    assertNull(pending.next());
    assertEquals("c-1", a.key().conversationId());
    assertEquals("c-2", b.key().conversationId());

    pending.delivered(b.key());
    assertEquals("c-3", pending.next().key().conversationId());
    assertEquals(2, pending.inFlight());
  }

  @Test
  void aFullQueueDropsItsOldestQueuedKeyAndRefusesWhenNoneIsQueued() {
    PendingPushes pending = new PendingPushes(1, 2, 3);
    pending.offer(notify("c-1", 1));
    pending.next();
    pending.offer(notify("c-2", 1));
    assertEquals(Offered.DROPPED_OLDEST, pending.offer(notify("c-3", 1)));
    assertEquals(2, pending.held());

    PendingPushes full = new PendingPushes(2, 2, 3);
    full.offer(notify("c-1", 1));
    full.offer(notify("c-2", 1));
    full.next();
    full.next();
    assertEquals(Offered.REFUSED, full.offer(notify("c-3", 1)));
  }

  @Test
  void aGoneEndpointDropsTheKeyUnlessTheDeviceSubscribedAgainMeanwhile() {
    PendingPushes pending = new PendingPushes(4, 100, 3);
    pending.offer(notify("c-1", 1));
    Dispatch d = pending.next();
    pending.offer(notify("c-1", 2));
    pending.gone(d.key(), PHONE.endpoint());
    assertEquals(0, pending.held());

    PushSubscription renewed = PushSubscription.unifiedPush("https://push.example.net/up/new");
    pending.offer(notify("c-1", 3));
    d = pending.next();
    pending.offer(notify("c-1", 4, renewed));
    pending.gone(d.key(), PHONE.endpoint());
    Dispatch again = pending.next();
    assertEquals(renewed, again.request().subscription());
  }

  @Test
  void onlyTheCurrentSendOfAKeyIsAwaited() {
    PendingPushes pending = new PendingPushes(4, 100, 3);
    pending.offer(notify("c-1", 1));
    Dispatch first = pending.next();
    pending.failed(first.key());
    pending.retryDue(first.key());
    Dispatch retry = pending.next();

    assertFalse(pending.awaiting(first.key(), first.sendId()));
    assertTrue(pending.awaiting(retry.key(), retry.sendId()));
  }
}
