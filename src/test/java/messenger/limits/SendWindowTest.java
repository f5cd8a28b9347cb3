package messenger.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SendWindowTest {

  private static boolean done(java.util.concurrent.CompletionStage<Void> place) {
    return place.toCompletableFuture().isDone();
  }

  @Test
  void sendsWithinTheWindowGoAtOnce() {
    SendWindow window = new SendWindow(3);
    for (int i = 0; i < 3; i++) assertTrue(done(window.acquire()), "send " + i);
    assertEquals(3, window.unanswered());
  }

  @Test
  void aSendBeyondTheWindowWaitsForAnAnswerInsteadOfBeingRefused() {
    SendWindow window = new SendWindow(2);
    window.acquire();
    window.acquire();

    var third = window.acquire();
    assertFalse(done(third), "the window is full");
    assertEquals(3, window.unanswered());

    window.release();
    assertTrue(done(third), "an answer frees a place");
    assertEquals(2, window.unanswered(), "the place went to the waiter, not back to the window");
  }

  @Test
  void waitersGetPlacesInTheOrderTheyCame() {
    SendWindow window = new SendWindow(1);
    window.acquire();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int n = i;
      window.acquire().thenRun(() -> order.add(n));
    }
    for (int i = 0; i < 3; i++) window.release();
    assertEquals(List.of(0, 1, 2), order);
  }

  @Test
  void answersWithNothingUnansweredNeverWidenTheWindow() {
    SendWindow window = new SendWindow(1);
    window.release();
    window.release();
    assertTrue(done(window.acquire()));
    assertFalse(done(window.acquire()), "still one place, not three");
  }

  @Test
  void aWindowNeedsAtLeastOnePlace() {
    assertThrows(IllegalArgumentException.class, () -> new SendWindow(0));
  }

  @Test
  void concurrentAnswersNeverLetMoreThanTheWindowThroughNorStrandAWaiter() throws Exception {
    int size = 4;
    int sends = 5_000;
    SendWindow window = new SendWindow(size);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch answered = new CountDownLatch(sends);
    ExecutorService answering = Executors.newFixedThreadPool(4);
    try {
      // One sender, as a connection's stream is: the next send is taken once the last has a place.
      CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
      for (int i = 0; i < sends; i++) {
        chain =
            chain.thenCompose(
                previous ->
                    window
                        .acquire()
                        .thenRun(
                            () -> {
                              most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                              answering.execute(
                                  () -> {
                                    inFlight.decrementAndGet();
                                    window.release();
                                    answered.countDown();
                                  });
                            }));
      }
      assertTrue(answered.await(60, TimeUnit.SECONDS), "every send was answered");
      chain.get(10, TimeUnit.SECONDS);
    } finally {
      answering.shutdownNow();
    }
    assertTrue(most.get() <= size, () -> most.get() + " in flight at once");
    assertEquals(0, window.unanswered());
  }
}
