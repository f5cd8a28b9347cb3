package messenger.push;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provider the test controls: each send is recorded as a {@link Call}. Scripted outcomes answer
 * at once, in order; with the script empty the call waits until the test completes its answer.
 */
final class FakeProvider implements PushProvider {

  record Call(
      PushSubscription subscription,
      Notification notification,
      String topic,
      Duration ttl,
      CompletableFuture<PushOutcome> answer,
      long atNanos,
      AtomicInteger outstanding) {

    void answer(PushOutcome outcome) {
      // Before completing: completion runs the dispatcher's callbacks first, and it may send the
      // next one before this thread gets any further.
      if (!answer.isDone()) outstanding.decrementAndGet();
      answer.complete(outcome);
    }
  }

  private final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
  private final Deque<PushOutcome> script = new ArrayDeque<>();
  private final AtomicInteger outstanding = new AtomicInteger();
  private final AtomicInteger maxOutstanding = new AtomicInteger();
  private PushOutcome always;

  /** Answer the next sends at once with these, in order. */
  synchronized FakeProvider script(PushOutcome... outcomes) {
    script.addAll(java.util.List.of(outcomes));
    return this;
  }

  /** Answer every send at once with this. */
  synchronized FakeProvider always(PushOutcome outcome) {
    always = outcome;
    return this;
  }

  @Override
  public CompletionStage<PushOutcome> send(
      PushSubscription subscription, Notification notification, String topic, Duration ttl) {
    CompletableFuture<PushOutcome> answer = new CompletableFuture<>();
    PushOutcome scripted;
    synchronized (this) {
      scripted = script.isEmpty() ? always : script.poll();
    }
    if (scripted != null) {
      answer.complete(scripted);
    } else {
      maxOutstanding.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
    }
    calls.add(
        new Call(subscription, notification, topic, ttl, answer, System.nanoTime(), outstanding));
    return answer;
  }

  /** The next send, waiting up to 5 s for it. */
  Call next() throws InterruptedException {
    Call call = calls.poll(5, TimeUnit.SECONDS);
    assertNotNull(call, "no send within 5 s");
    return call;
  }

  /** The most sends that were awaiting the test's answer at once. */
  int maxOutstanding() {
    return maxOutstanding.get();
  }
}
