package messenger.push;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Sends one notification to one device through a push service. {@link WebPushProvider} and {@link
 * UnifiedPushProvider} speak HTTP to the subscription's endpoint; {@link ApnsProvider} and {@link
 * FcmProvider} send the subscription's token to the push service of the native apps, with the
 * operator's credentials. Each maps its service's answers to the same outcomes.
 *
 * <p>Contract: {@code send} must not block (the dispatcher calls it from an actor); the stage
 * always completes, with a {@link PushOutcome} and never exceptionally (a network error is {@link
 * PushOutcome.Failed}). HTTP status maps as in {@link PushOutcome#ofStatus}: 2xx delivered, 408,
 * 429 and 5xx retry later (with {@code Retry-After} if given), 404 and 410 gone, other 4xx
 * rejected. Implementations are thread-safe.
 */
public interface PushProvider {

  /**
   * @param topic a collapse key (RFC 8030 §5.4): an undelivered message with the same topic is
   *     replaced by this one; null for none
   * @param ttl how long the push service should keep the message for an offline device
   */
  CompletionStage<PushOutcome> send(
      PushSubscription subscription, Notification notification, String topic, Duration ttl);
}
