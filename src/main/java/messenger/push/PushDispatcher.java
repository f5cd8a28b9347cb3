package messenger.push;

import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import messenger.CborSerializable;
import messenger.push.PendingPushes.Dispatch;
import messenger.push.PendingPushes.Key;
import org.slf4j.Logger;

/**
 * Sends push notifications to devices, one actor per node. Per (user, device, conversation) at most
 * one notification is pending: newer ones replace it, and one that arrives while a push is on its
 * way goes out after it, so a device gets the latest unread count without a push per message. Sends
 * are bounded ({@code max-in-flight}, beyond that a FIFO queue bounded by {@code max-pending});
 * failures are retried with exponential backoff and jitter, honouring {@code Retry-After}, up to
 * {@code max-attempts}; a gone subscription is reported to {@link EndpointGone}.
 *
 * <p>Nothing here is durable: pending pushes die with the node. The messages themselves are safe in
 * the inboxes, and the next message notifies again.
 */
public final class PushDispatcher {

  // ---- protocol ----

  public sealed interface Command permits Notify, Answered, RetryDue {}

  /** Push {@code notification} to one device; whether it carries a preview is the caller's call. */
  public record Notify(
      String userId, String deviceId, PushSubscription subscription, Notification notification)
      implements Command, CborSerializable {
    public Notify {
      Objects.requireNonNull(userId, "userId");
      Objects.requireNonNull(deviceId, "deviceId");
      Objects.requireNonNull(subscription, "subscription");
      Objects.requireNonNull(notification, "notification");
    }
  }

  private record Answered(Dispatch dispatch, PushOutcome outcome) implements Command {}

  private record RetryDue(Key key) implements Command {}

  // ---- state ----

  private final PushSettings settings;
  private final Map<PushKind, PushProvider> providers;
  private final EndpointGone endpointGone;
  private final PushEvents events;
  private final ActorContext<Command> context;
  private final Logger log;
  private final TimerScheduler<Command> timers;
  private final Backoff backoff;
  private final PendingPushes pending;

  /** A provider that never answers must not hold a slot for ever. */
  private final Duration answerTimeout;

  /**
   * @param providers one per kind of subscription; a notification for a kind without one is counted
   *     as failed
   */
  public static Behavior<Command> create(
      PushSettings settings,
      Map<PushKind, PushProvider> providers,
      EndpointGone endpointGone,
      PushEvents events) {
    if (!settings.enabled()) {
      return Behaviors.setup(
          ctx -> {
            ctx.getLog().info("Push notifications are off (messenger.push.enabled)");
            return Behaviors.ignore();
          });
    }
    Map<PushKind, PushProvider> byKind = Map.copyOf(providers);
    Behavior<Command> dispatcher =
        Behaviors.setup(
            ctx ->
                Behaviors.withTimers(
                    timers ->
                        new PushDispatcher(settings, byKind, endpointGone, events, ctx, timers)
                            .running()));
    // A bug must not end pushes for the node's lifetime; a restart only loses what was pending.
    return Behaviors.supervise(dispatcher).onFailure(SupervisorStrategy.restart());
  }

  private PushDispatcher(
      PushSettings settings,
      Map<PushKind, PushProvider> providers,
      EndpointGone endpointGone,
      PushEvents events,
      ActorContext<Command> context,
      TimerScheduler<Command> timers) {
    this.settings = settings;
    this.providers = providers;
    this.endpointGone = endpointGone;
    this.events = events;
    this.context = context;
    this.log = context.getLog();
    this.timers = timers;
    this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff());
    this.pending =
        new PendingPushes(settings.maxInFlight(), settings.maxPending(), settings.maxAttempts());
    this.answerTimeout = settings.requestTimeout().multipliedBy(2);
  }

  // ---- behaviour ----

  private Behavior<Command> running() {
    return Behaviors.receive(Command.class)
        .onMessage(Notify.class, this::onNotify)
        .onMessage(Answered.class, this::onAnswered)
        .onMessage(RetryDue.class, this::onRetryDue)
        .build();
  }

  private Behavior<Command> onNotify(Notify notify) {
    switch (pending.offer(notify)) {
      case DROPPED_OLDEST, REFUSED -> {
        count(events::dropped);
        log.debug("Push queue full ({} held); dropped one", pending.held());
      }
      default -> {}
    }
    dispatch();
    return Behaviors.same();
  }

  private Behavior<Command> onAnswered(Answered answered) {
    Dispatch d = answered.dispatch();
    if (!pending.awaiting(d.key(), d.sendId())) return Behaviors.same();
    PushOutcome outcome = answered.outcome();
    if (outcome instanceof PushOutcome.Delivered) {
      count(events::sent);
      pending.delivered(d.key());
    } else if (outcome instanceof PushOutcome.RetryLater r) {
      retry(d, r.retryAfter(), "status " + r.status());
    } else if (outcome instanceof PushOutcome.Failed f) {
      retry(d, null, String.valueOf(f.cause()));
    } else if (outcome instanceof PushOutcome.Gone g) {
      String endpoint = d.request().subscription().endpoint();
      log.info("Push endpoint of {} is gone ({}): {}", device(d), g.status(), host(d));
      count(events::gone);
      pending.gone(d.key(), endpoint);
      reportGone(d.key(), endpoint);
    } else if (outcome instanceof PushOutcome.Rejected r) {
      log.warn("Push to {} at {} rejected ({}): {}", device(d), host(d), r.status(), r.reason());
      count(events::failed);
      pending.discard(d.key());
    }
    dispatch();
    return Behaviors.same();
  }

  private Behavior<Command> onRetryDue(RetryDue due) {
    pending.retryDue(due.key());
    dispatch();
    return Behaviors.same();
  }

  private void retry(Dispatch d, Duration retryAfter, String why) {
    int failures = pending.failed(d.key());
    if (failures == 0) {
      log.warn(
          "Gave up a push to {} at {} after {} attempts: {}", device(d), host(d), d.attempt(), why);
      count(events::dropped);
      return;
    }
    Duration delay = backoff.delay(failures, retryAfter, ThreadLocalRandom.current().nextDouble());
    log.debug("Push to {} failed ({}); retry in {}", device(d), why, delay);
    count(events::retried);
    timers.startSingleTimer(d.key(), new RetryDue(d.key()), delay);
  }

  private void dispatch() {
    for (Dispatch d = pending.next(); d != null; d = pending.next()) {
      send(d);
    }
  }

  private void send(Dispatch d) {
    Notify notify = d.request();
    PushProvider provider = providers.get(notify.subscription().kind());
    CompletionStage<PushOutcome> answer;
    if (provider == null) {
      answer =
          CompletableFuture.completedFuture(
              new PushOutcome.Rejected(0, "no provider for " + notify.subscription().kind()));
    } else {
      try {
        answer =
            provider.send(
                notify.subscription(),
                notify.notification(),
                WebPushProvider.topicFor(d.key().conversationId()),
                settings.ttl());
      } catch (RuntimeException e) {
        answer = CompletableFuture.failedFuture(e);
      }
    }
    CompletableFuture<PushOutcome> bounded =
        answer
            .toCompletableFuture()
            .copy()
            .orTimeout(answerTimeout.toMillis(), TimeUnit.MILLISECONDS);
    context.pipeToSelf(
        bounded,
        (outcome, error) ->
            new Answered(d, error == null ? outcome : new PushOutcome.Failed(unwrap(error))));
  }

  private void reportGone(Key key, String endpoint) {
    try {
      endpointGone.gone(key.userId(), key.deviceId(), endpoint);
    } catch (RuntimeException e) {
      log.error("EndpointGone callback failed for {}", key, e);
    }
  }

  private void count(Runnable event) {
    try {
      event.run();
    } catch (RuntimeException e) {
      log.warn("PushEvents failed", e);
    }
  }

  private static String device(Dispatch d) {
    return d.key().userId() + "/" + d.key().deviceId();
  }

  /**
   * Only the host, or for APNs and FCM the kind and a token's first characters: the endpoint's path
   * and the token are capabilities to push to the device, kept out of logs.
   */
  private static String host(Dispatch d) {
    PushSubscription s = d.request().subscription();
    if (!s.kind().hasUrlEndpoint()) {
      return s.kind() + " token " + s.endpoint().substring(0, Math.min(8, s.endpoint().length()));
    }
    try {
      return URI.create(s.endpoint()).getHost();
    } catch (IllegalArgumentException e) {
      return "<bad endpoint>";
    }
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }
}
