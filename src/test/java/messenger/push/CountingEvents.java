package messenger.push;

import java.util.concurrent.atomic.AtomicInteger;

final class CountingEvents implements PushEvents {
  final AtomicInteger sent = new AtomicInteger();
  final AtomicInteger failed = new AtomicInteger();
  final AtomicInteger dropped = new AtomicInteger();
  final AtomicInteger retried = new AtomicInteger();
  final AtomicInteger gone = new AtomicInteger();

  @Override
  public void sent() {
    sent.incrementAndGet();
  }

  @Override
  public void failed() {
    failed.incrementAndGet();
  }

  @Override
  public void dropped() {
    dropped.incrementAndGet();
  }

  @Override
  public void retried() {
    retried.incrementAndGet();
  }

  @Override
  public void gone() {
    gone.incrementAndGet();
  }
}
