package messenger.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * Steady message load: each sender sends, one message at a time and at most one per {@code
 * interval}, to its conversations in turn, retrying each until it is acknowledged. Every send that
 * was started is acknowledged by the time {@link #stop} returns (or the run failed), so the
 * messages stored are exactly the ones in {@link #acked}.
 */
final class ChatLoad implements AutoCloseable {

  record Sender(ChatDevice device, List<String> conversations) {}

  private static final Duration SEND_TIMEOUT = Duration.ofMinutes(3);

  private final List<Sender> senders;
  private final Duration interval;
  private final List<ChatDevice.Acked> acked = new CopyOnWriteArrayList<>();
  private final List<Throwable> failures = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running;

  ChatLoad(List<Sender> senders, Duration interval) {
    this.senders = List.copyOf(senders);
    this.interval = interval;
  }

  ChatLoad start() {
    running = true;
    for (Sender sender : senders) {
      Thread thread = new Thread(() -> run(sender), "load-" + sender.device().name());
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    return this;
  }

  List<ChatDevice.Acked> acked() {
    return List.copyOf(acked);
  }

  List<Sender> senders() {
    return senders;
  }

  /**
   * Polls until every sender has had {@code count} sends acknowledged that it first tried at or
   * after {@code since} (System.nanoTime), i.e. sending works again for everybody.
   */
  void awaitEverySenderAcked(int count, long since, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      failIfBroken();
      List<String> behind =
          senders.stream()
              .map(s -> s.device().name())
              .filter(name -> ackedBy(name, since) < count)
              .toList();
      if (behind.isEmpty()) return;
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "within "
                + timeout
                + ", these senders did not get "
                + count
                + " sends acknowledged: "
                + behind);
      }
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }
  }

  /** Stops sending; returns once every send under way has been acknowledged. */
  void stop() {
    running = false;
    for (Thread thread : threads) {
      try {
        thread.join(SEND_TIMEOUT.plusSeconds(30).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
      if (thread.isAlive())
        throw new AssertionError(thread.getName() + " did not finish its last send");
    }
    failIfBroken();
  }

  @Override
  public void close() {
    running = false;
  }

  private long ackedBy(String name, long since) {
    return acked.stream()
        .filter(a -> a.clientMsgId().startsWith(name + "-") && a.firstTriedAt() >= since)
        .count();
  }

  private void failIfBroken() {
    if (!failures.isEmpty()) {
      AssertionError error =
          new AssertionError("a sender failed: " + failures.get(0), failures.get(0));
      failures.stream().skip(1).forEach(error::addSuppressed);
      throw error;
    }
  }

  private void run(Sender sender) {
    long next = System.nanoTime();
    try {
      for (int k = 0; running; k++) {
        String conversation = sender.conversations().get(k % sender.conversations().size());
        acked.add(
            sender
                .device()
                .sendUntilAcked(conversation, sender.device().name() + "-" + k, SEND_TIMEOUT));
        next = Math.max(next + interval.toNanos(), System.nanoTime() - interval.toNanos());
        long wait = next - System.nanoTime();
        // Pacing, so a few senders make a steady load rather than a saturating one.
        if (wait > 0) LockSupport.parkNanos(wait);
      }
    } catch (Throwable e) {
      failures.add(e);
    }
  }
}
