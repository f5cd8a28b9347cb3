package messenger.push;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A provider that sends only to endpoints the {@link EndpointGuard} lets through. */
final class GuardedProvider implements PushProvider {
  private final PushProvider inner;
  private final EndpointGuard guard;

  GuardedProvider(PushProvider inner, EndpointGuard guard) {
    this.inner = inner;
    this.guard = guard;
  }

  @Override
  public CompletionStage<PushOutcome> send(
      PushSubscription subscription, Notification notification, String topic, Duration ttl) {
    return guard
        .check(subscription.endpoint())
        .thenCompose(
            problem ->
                problem == null
                    ? inner.send(subscription, notification, topic, ttl)
                    : CompletableFuture.completedFuture(new PushOutcome.Rejected(0, problem)));
  }
}
