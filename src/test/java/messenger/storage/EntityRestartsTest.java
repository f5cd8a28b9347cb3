package messenger.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import java.time.Duration;
import messenger.auth.Account;
import messenger.testing.EntityTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A journal failure restarts an entity after a short backoff; it does not stop it. */
class EntityRestartsTest {

  private static ActorTestKit testKit;
  private static PersistenceTestKit journal;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("EntityRestartsTest", EntityTests.config());
    journal = PersistenceTestKit.create(testKit.system());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void theBackoffIsShortAndJittered() {
    assertEquals(Duration.ofMillis(50), EntityRestarts.MIN_BACKOFF);
    assertEquals(Duration.ofSeconds(2), EntityRestarts.MAX_BACKOFF);
    assertTrue(EntityRestarts.RANDOM_FACTOR > 0 && EntityRestarts.RANDOM_FACTOR < 1);
  }

  @Test
  void anEntityWhosePersistFailedAnswersItsNextCommandInsteadOfStopping() {
    ActorRef<Account.Command> account = testKit.spawn(Account.create("restarts-a"));
    TestProbe<StatusReply<Done>> replies = testKit.createTestProbe();
    TestProbe<Account.AccountView> views = testKit.createTestProbe();

    journal.failNextPersisted();
    account.tell(new Account.Register("u-1", "$argon2id$x", "A", replies.getRef()));
    // The failed write gets no answer; the entity is not stopped, it recovers and carries on.
    replies.expectNoMessage(Duration.ofMillis(200));
    account.tell(new Account.Register("u-1", "$argon2id$x", "A", replies.getRef()));

    assertTrue(replies.expectMessageClass(StatusReply.class, Duration.ofSeconds(5)).isSuccess());
    account.tell(new Account.GetAccount(views.getRef()));
    assertEquals("u-1", views.receiveMessage(Duration.ofSeconds(5)).userId());
  }
}
