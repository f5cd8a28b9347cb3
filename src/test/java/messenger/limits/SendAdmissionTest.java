package messenger.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SendAdmissionTest {

  private final SendAdmission admission = new SendAdmission(3, Duration.ofMillis(500));

  @Test
  void sendsUpToTheLimitAreAdmittedAndTheNextIsNot() {
    for (int i = 0; i < 3; i++) assertTrue(admission.tryAdmit().isPresent(), "send " + i);
    assertTrue(admission.tryAdmit().isEmpty(), "the node is at capacity");
    assertEquals(3, admission.inFlight());
  }

  @Test
  void anAnsweredSendMakesRoomForAnother() {
    List<SendAdmission.Permit> permits = new ArrayList<>();
    for (int i = 0; i < 3; i++) permits.add(admission.tryAdmit().orElseThrow());
    permits.get(1).release();
    assertTrue(admission.tryAdmit().isPresent());
  }

  @Test
  void aPermitReleasedTwiceGivesBackOnePlace() {
    SendAdmission.Permit permit = admission.tryAdmit().orElseThrow();
    admission.tryAdmit().orElseThrow();
    permit.release();
    permit.release();
    assertEquals(1, admission.inFlight(), "the second release of the same permit did nothing");
  }

  @Test
  void theRetryWaitIsFromTheConfiguredOneToTwiceIt() {
    for (int i = 0; i < 1_000; i++) {
      long wait = admission.retryAfterMs();
      assertTrue(wait >= 500 && wait <= 1_000, () -> wait + " ms");
    }
  }

  @Test
  void theLimitMustAdmitSomething() {
    assertThrows(IllegalArgumentException.class, () -> new SendAdmission(0, Duration.ofSeconds(1)));
  }

  @Test
  void concurrentSendersNeverGetMorePermitsThanTheLimitAndEveryOneComesBack() throws Exception {
    SendAdmission shared = new SendAdmission(8, Duration.ofSeconds(1));
    AtomicInteger held = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    ConcurrentLinkedQueue<Integer> admittedPerThread = new ConcurrentLinkedQueue<>();
    ExecutorService senders = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        runs.add(
            senders.submit(
                () -> {
                  int admitted = 0;
                  for (int i = 0; i < 20_000; i++) {
                    Optional<SendAdmission.Permit> permit = shared.tryAdmit();
                    if (permit.isEmpty()) continue;
                    admitted++;
                    most.accumulateAndGet(held.incrementAndGet(), Math::max);
                    held.decrementAndGet();
                    permit.get().release();
                    permit.get().release();
                  }
                  admittedPerThread.add(admitted);
                }));
      }
      for (Future<?> run : runs) run.get(60, TimeUnit.SECONDS);
    } finally {
      senders.shutdownNow();
    }
    assertTrue(most.get() <= 8, () -> most.get() + " held at once");
    assertEquals(0, shared.inFlight(), "no permit leaked");
    assertTrue(admittedPerThread.stream().mapToInt(Integer::intValue).sum() > 0);
  }
}
