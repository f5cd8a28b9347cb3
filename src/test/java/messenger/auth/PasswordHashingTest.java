package messenger.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.ErrorDetail.Rule;
import messenger.api.ErrorText;
import org.junit.jupiter.api.Test;

class PasswordHashingTest {

  @Test
  void whenTheThreadIsBusyAndTheQueueFullTheNextCallIsRefusedAtOnceAndTheQueuedOnesComplete()
      throws Exception {
    try (var hashing =
        new PasswordHashing(new PasswordHasher(), new PasswordHashing.Settings(1, 2))) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch running = new CountDownLatch(1);
      CompletableFuture<Boolean> blocker =
          hashing
              .submit(
                  () -> {
                    running.countDown();
                    try {
                      return release.await(1, TimeUnit.MINUTES);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                      return false;
                    }
                  })
              .toCompletableFuture();
      assertTrue(running.await(30, TimeUnit.SECONDS), "the one thread took the blocker");
      CompletableFuture<String> first = hashing.hash("password-1").toCompletableFuture();
      CompletableFuture<String> second = hashing.hash("password-2").toCompletableFuture();

      CompletableFuture<Boolean> third =
          hashing.matches("password-3", "$argon2id$x").toCompletableFuture();

      // Refused without waiting for the thread: the stage has already failed.
      assertTrue(third.isCompletedExceptionally(), "the overflow is refused at once");
      ExecutionException refused = assertThrows(ExecutionException.class, third::get);
      DomainException busy = assertInstanceOf(DomainException.class, refused.getCause());
      assertEquals(ErrorCode.RATE_LIMITED, busy.code());
      assertEquals(Rule.PASSWORD_CHECKS_BUSY, busy.detail().orElseThrow().rule());
      assertEquals(
          "too many logins and registrations at once; try again in a moment", ErrorText.of(busy));

      release.countDown();
      assertTrue(blocker.get(30, TimeUnit.SECONDS));
      PasswordHasher check = new PasswordHasher();
      assertTrue(check.matches("password-1", first.get(30, TimeUnit.SECONDS)));
      assertTrue(check.matches("password-2", second.get(30, TimeUnit.SECONDS)));
      // With the queue drained there is room again.
      assertTrue(
          hashing
              .matches("password-1", first.get())
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS));
    }
  }

  @Test
  void theNodeHashesOnOneThreadWithThirtyTwoWaiting() {
    assertEquals(
        new PasswordHashing.Settings(1, 32),
        PasswordHashing.Settings.fromConfig(ConfigFactory.load()));
  }
}
