package messenger.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import messenger.ErrorCode;
import messenger.testing.EntityTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The inbox's profile: the first registration wins. */
class UserInboxProfileTest extends InboxFixture {

  private static final ActorTestKit KIT = ActorTestKit.create(EntityTests.config());

  UserInboxProfileTest() {
    super(KIT);
  }

  @AfterAll
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  @Test
  void registerPersistsTheProfileAndGetProfileReturnsIt() {
    var result = register("alice", "Alice");

    assertTrue(result.reply().isSuccess());
    var event = result.eventOfType(UserInbox.UserRegistered.class);
    assertEquals(userId, event.userId());
    assertEquals("alice", event.username());
    assertEquals("Alice", event.displayName());
    UserInbox.Profile profile =
        inbox.<UserInbox.Profile>runCommand(UserInbox.GetProfile::new).reply();
    assertEquals(new UserInbox.Profile(userId, "alice", "Alice", true, false), profile);
  }

  @Test
  void getProfileOfAnUnregisteredUserSaysSo() {
    var result = inbox.<UserInbox.Profile>runCommand(UserInbox.GetProfile::new);

    assertFalse(result.reply().registered());
    assertEquals(userId, result.reply().userId());
    assertTrue(result.hasNoEvents());
  }

  @Test
  void registeringAgainWithTheSameUsernameIsDoneAndPersistsNothing() {
    register("alice", "Alice");

    var again = register("alice", "Someone Else");

    assertTrue(again.reply().isSuccess());
    assertTrue(again.hasNoEvents());
    assertEquals("Alice", again.state().displayName());
  }

  @Test
  void registeringWithAnotherUsernameIsRefusedAsUsernameTaken() {
    register("alice", "Alice");

    var other = register("mallory", "Mallory");

    assertTrue(other.reply().isError());
    assertEquals(ErrorCode.USERNAME_TAKEN.wire(), other.reply().getError().getMessage());
    assertTrue(other.hasNoEvents());
    assertEquals("alice", other.state().username());
  }
}
