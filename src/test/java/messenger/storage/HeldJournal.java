package messenger.storage;

import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.persistence.testkit.JournalOperation;
import akka.persistence.testkit.ProcessingPolicy;
import akka.persistence.testkit.ProcessingResult;
import akka.persistence.testkit.ProcessingSuccess;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import messenger.testing.EntityTests;

/**
 * A policy for the in-memory journal ({@code PersistenceTestKit.withPolicy}) that holds the next
 * operation of one kind for one entity until the test releases it, so that the test knows the
 * entity is writing (or recovering) and stashing meanwhile. It blocks the journal's thread, which
 * only a test may do; it lets go by itself after 30 seconds.
 */
public final class HeldJournal implements ProcessingPolicy<JournalOperation> {
  private final String persistenceId;
  private final Class<? extends JournalOperation> kind;
  private final AtomicBoolean armed = new AtomicBoolean(true);
  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);

  /**
   * The entity tests' configuration with room for every command in the stash: a test of what crowds
   * the stash must see it overflow the stack when let go, not drop what does not fit.
   */
  public static Config withRoomyStash() {
    return ConfigFactory.parseString("akka.persistence.typed.stash-capacity = 100000")
        .withFallback(EntityTests.config());
  }

  public HeldJournal(String persistenceId, Class<? extends JournalOperation> kind) {
    this.persistenceId = persistenceId;
    this.kind = kind;
  }

  @Override
  public ProcessingResult tryProcess(String persistenceId, JournalOperation op) {
    if (persistenceId.equals(this.persistenceId) && kind.isInstance(op) && armed.getAndSet(false)) {
      entered.countDown();
      try {
        released.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return ProcessingSuccess.getInstance();
  }

  /** Waits until the held operation has reached the journal. */
  public void awaitHeld() throws InterruptedException {
    assertTrue(entered.await(10, TimeUnit.SECONDS), "the journal was never asked");
  }

  public void release() {
    released.countDown();
  }
}
