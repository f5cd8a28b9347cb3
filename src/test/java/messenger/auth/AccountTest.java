package messenger.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import messenger.ErrorCode;
import messenger.testing.EntityTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AccountTest {
  private static ActorTestKit testKit;
  private static EventSourcedBehaviorTestKit<Account.Command, Account.Event, Account.State> account;

  @BeforeAll
  static void startTestKit() {
    testKit = ActorTestKit.create(EntityTests.config());
    account = EventSourcedBehaviorTestKit.create(testKit.system(), Account.create("alice"));
  }

  @AfterAll
  static void stopTestKit() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void clear() {
    account.clear();
  }

  @Test
  void registerPersistsTheAccount() {
    var result =
        account.<StatusReply<Done>>runCommand(
            replyTo -> new Account.Register("user-1", "$argon2id$hash", "Alice", replyTo));

    assertTrue(result.reply().isSuccess());
    Account.AccountRegistered event = result.eventOfType(Account.AccountRegistered.class);
    assertEquals("alice", event.username());
    assertEquals("user-1", event.userId());
    assertEquals("$argon2id$hash", event.passwordHash());
    assertEquals("Alice", event.displayName());
    assertEquals(new Account.Registered("user-1", "$argon2id$hash", "Alice"), result.state());
  }

  @Test
  void anUnregisteredAccountReportsItselfUnregistered() {
    var result = account.<Account.AccountView>runCommand(Account.GetAccount::new);
    assertFalse(result.reply().registered());
    assertTrue(result.hasNoEvents());
  }

  @Test
  void registeringAgainForTheSameUserIsIdempotent() {
    account.<StatusReply<Done>>runCommand(
        replyTo -> new Account.Register("user-1", "$argon2id$hash", "Alice", replyTo));

    var again =
        account.<StatusReply<Done>>runCommand(
            replyTo -> new Account.Register("user-1", "$argon2id$other", "Other", replyTo));

    assertTrue(again.reply().isSuccess());
    assertTrue(again.hasNoEvents());
    assertEquals(new Account.Registered("user-1", "$argon2id$hash", "Alice"), again.state());
  }

  @Test
  void registeringForAnotherUserIsRefusedAsUsernameTaken() {
    account.<StatusReply<Done>>runCommand(
        replyTo -> new Account.Register("user-1", "$argon2id$hash", "Alice", replyTo));

    var other =
        account.<StatusReply<Done>>runCommand(
            replyTo -> new Account.Register("user-2", "$argon2id$evil", "Mallory", replyTo));

    assertTrue(other.reply().isError());
    assertEquals(ErrorCode.USERNAME_TAKEN.wire(), other.reply().getError().getMessage());
    assertTrue(other.hasNoEvents());
    assertEquals("user-1", ((Account.Registered) other.state()).userId());
  }

  @Test
  void aRegistrationWithoutUserIdOrHashIsRefusedAsBadRequest() {
    var result =
        account.<StatusReply<Done>>runCommand(
            replyTo -> new Account.Register("", "$argon2id$hash", "Alice", replyTo));

    assertTrue(result.reply().isError());
    assertEquals(ErrorCode.BAD_REQUEST.wire(), result.reply().getError().getMessage());
    assertTrue(result.hasNoEvents());
  }

  @Test
  void theAccountSurvivesARestart() {
    account.<StatusReply<Done>>runCommand(
        replyTo -> new Account.Register("user-1", "$argon2id$hash", "Alice", replyTo));

    var restarted = account.restart();
    assertEquals(new Account.Registered("user-1", "$argon2id$hash", "Alice"), restarted.state());

    var view = account.<Account.AccountView>runCommand(Account.GetAccount::new).reply();
    assertEquals(new Account.AccountView(true, "user-1", "$argon2id$hash", "Alice", false), view);
  }

  @Test
  void theOwnerChangesThePasswordAndDisplayNameAndBothSurviveARestart() {
    account.<StatusReply<Done>>runCommand(
        replyTo -> new Account.Register("user-1", "$argon2id$hash", "Alice", replyTo));

    var password =
        account.<StatusReply<Done>>runCommand(
            replyTo -> new Account.ChangePassword("user-1", "$argon2id$new", replyTo));
    var name =
        account.<StatusReply<Done>>runCommand(
            replyTo -> new Account.ChangeDisplayName("user-1", "Alice A.", replyTo));

    assertTrue(password.reply().isSuccess());
    assertTrue(name.reply().isSuccess());
    account.restart();
    var view = account.<Account.AccountView>runCommand(Account.GetAccount::new).reply();
    assertEquals("$argon2id$new", view.passwordHash());
    assertEquals("Alice A.", view.displayName());
  }

  @Test
  void anotherUserIdCannotChangeTheAccountAndNorCanAnyoneChangeAFreeName() {
    var free =
        account.<StatusReply<Done>>runCommand(
            replyTo -> new Account.ChangePassword("user-1", "$argon2id$new", replyTo));
    assertEquals("not_found", free.reply().getError().getMessage());

    account.<StatusReply<Done>>runCommand(
        replyTo -> new Account.Register("user-1", "$argon2id$hash", "Alice", replyTo));
    var other =
        account.<StatusReply<Done>>runCommand(
            replyTo -> new Account.ChangePassword("user-2", "$argon2id$new", replyTo));
    var otherName =
        account.<StatusReply<Done>>runCommand(
            replyTo -> new Account.ChangeDisplayName("user-2", "Mallory", replyTo));

    assertEquals("not_found", other.reply().getError().getMessage());
    assertEquals("not_found", otherName.reply().getError().getMessage());
    assertTrue(other.hasNoEvents());
    assertEquals("$argon2id$hash", ((Account.Registered) other.state()).passwordHash());
  }

  @Test
  void renamingToTheSameNameWritesNothing() {
    account.<StatusReply<Done>>runCommand(
        replyTo -> new Account.Register("user-1", "$argon2id$hash", "Alice", replyTo));

    var same =
        account.<StatusReply<Done>>runCommand(
            replyTo -> new Account.ChangeDisplayName("user-1", "Alice", replyTo));

    assertTrue(same.reply().isSuccess());
    assertTrue(same.hasNoEvents());
  }

  @Test
  void closingErasesEveryEventThatHeldAPasswordHashAndKeepsTheNameTaken() {
    account.<StatusReply<Done>>runCommand(
        replyTo -> new Account.Register("user-1", "$argon2id$hash", "Alice", replyTo));
    account.<StatusReply<Done>>runCommand(
        replyTo -> new Account.ChangePassword("user-1", "$argon2id$new", replyTo));

    var closed =
        account.<StatusReply<Done>>runCommand(replyTo -> new Account.Close("user-1", replyTo));

    assertTrue(closed.reply().isSuccess());
    String pid = akka.persistence.typed.PersistenceId.of("Account", "alice").id();
    var kept = account.persistenceTestKit().persistedInStorage(pid);
    assertTrue(
        kept.stream()
            .noneMatch(
                e ->
                    e instanceof Account.AccountRegistered || e instanceof Account.PasswordChanged),
        kept::toString);
    assertFalse(kept.toString().contains("argon2id"), kept::toString);
    assertTrue(kept.stream().anyMatch(e -> e instanceof Account.AccountErased), kept::toString);
    account.restart();
    var view = account.<Account.AccountView>runCommand(Account.GetAccount::new).reply();
    assertFalse(view.registered());
    assertTrue(view.closed());
    var again =
        account.<StatusReply<Done>>runCommand(
            replyTo -> new Account.Register("user-2", "$argon2id$other", "Mallory", replyTo));
    assertEquals("username_taken", again.reply().getError().getMessage());
    var closeAgain =
        account.<StatusReply<Done>>runCommand(replyTo -> new Account.Close("user-1", replyTo));
    assertTrue(closeAgain.reply().isSuccess());
    assertTrue(closeAgain.hasNoEvents());
  }
}
