package messenger.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import messenger.testing.EntityTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The closure of an account runs its steps in order, one at a time, retries a failed one, answers
 * when all are done, and after a restart goes on from the first step not written as done.
 */
class AccountClosureTest {
  private static final ActorTestKit KIT = ActorTestKit.create(EntityTests.config());
  private static final Duration WAIT = Duration.ofSeconds(10);

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  /** Steps that record their calls; the inbox step can be made to fail or to hang. */
  private static final class Recorded implements ClosureSteps {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final AtomicInteger inboxFailures = new AtomicInteger();
    volatile boolean inboxHangs;

    @Override
    public CompletionStage<Done> closeAccount(String username, String userId) {
      calls.add("account " + username);
      return CompletableFuture.completedFuture(Done.getInstance());
    }

    @Override
    public CompletionStage<Done> revokeTokens(String userId) {
      calls.add("tokens");
      return CompletableFuture.completedFuture(Done.getInstance());
    }

    @Override
    public CompletionStage<List<String>> closeInbox(String userId) {
      calls.add("inbox");
      if (inboxHangs) return new CompletableFuture<>();
      if (inboxFailures.getAndDecrement() > 0) {
        return CompletableFuture.failedFuture(new IllegalStateException("inbox unreachable"));
      }
      return CompletableFuture.completedFuture(List.of("g-1", "g-2"));
    }

    @Override
    public CompletionStage<Done> leaveGroup(String userId, String conversationId) {
      calls.add("leave " + conversationId);
      return CompletableFuture.completedFuture(Done.getInstance());
    }
  }

  private static ActorRef<AccountClosure.Command> spawn(
      String userId, Recorded steps, TestProbe<Object> passivated) {
    return KIT.spawn(
        AccountClosure.create(userId, steps, self -> passivated.ref().tell("passivate")));
  }

  @Test
  void everyStepRunsOnceInOrderAndTheAnswerComesWhenAllAreDone() {
    var steps = new Recorded();
    TestProbe<Object> passivated = KIT.createTestProbe();
    TestProbe<Done> answer = KIT.createTestProbe();
    var closure = spawn("u-" + UUID.randomUUID(), steps, passivated);

    closure.tell(new AccountClosure.Close("alice", answer.ref()));

    answer.expectMessage(WAIT, Done.getInstance());
    assertEquals(
        List.of("account alice", "tokens", "inbox", "leave g-1", "leave g-2"), steps.calls);
    passivated.expectMessage(WAIT, "passivate");
    TestProbe<AccountClosure.State> status = KIT.createTestProbe();
    closure.tell(new AccountClosure.GetStatus(status.ref()));
    assertTrue(status.receiveMessage(WAIT) instanceof AccountClosure.Closed);
  }

  @Test
  void aFailedStepIsTriedAgainAndTheClosureStillFinishes() {
    var steps = new Recorded();
    steps.inboxFailures.set(1);
    TestProbe<Done> answer = KIT.createTestProbe();
    var closure = spawn("u-" + UUID.randomUUID(), steps, KIT.createTestProbe());

    closure.tell(new AccountClosure.Close("bob", answer.ref()));

    answer.expectMessage(WAIT, Done.getInstance());
    assertEquals(
        List.of("account bob", "tokens", "inbox", "inbox", "leave g-1", "leave g-2"), steps.calls);
  }

  @Test
  void afterARestartTheClosureGoesOnFromTheStepThatWasNotFinished() {
    String userId = "u-" + UUID.randomUUID();
    var steps = new Recorded();
    steps.inboxHangs = true;
    TestProbe<Done> first = KIT.createTestProbe();
    var closure = spawn(userId, steps, KIT.createTestProbe());
    closure.tell(new AccountClosure.Close("carol", first.ref()));
    TestProbe<AccountClosure.State> status = KIT.createTestProbe();
    awaitInbox(steps);
    KIT.stop(closure);

    steps.inboxHangs = false;
    steps.calls.clear();
    TestProbe<Object> passivated = KIT.createTestProbe();
    var again = spawn(userId, steps, passivated);

    // Nobody asks again: the recovered closure finishes by itself.
    passivated.expectMessage(WAIT, "passivate");
    assertEquals(List.of("inbox", "leave g-1", "leave g-2"), steps.calls);
    again.tell(new AccountClosure.GetStatus(status.ref()));
    assertTrue(status.receiveMessage(WAIT) instanceof AccountClosure.Closed);
    TestProbe<Done> later = KIT.createTestProbe();
    again.tell(new AccountClosure.Close("carol", later.ref()));
    later.expectMessage(WAIT, Done.getInstance());
    assertEquals(3, steps.calls.size());
  }

  private static void awaitInbox(Recorded steps) {
    messenger.testing.Polling.until(WAIT, () -> steps.calls.contains("inbox"), "the inbox step");
  }
}
