package messenger.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.util.List;
import java.util.Map;
import messenger.testing.EntityTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A user who closes their account: the inbox forgets everything personal and names the groups. */
class UserInboxClosureTest extends InboxFixture {

  private static final ActorTestKit KIT = ActorTestKit.create(EntityTests.config());

  UserInboxClosureTest() {
    super(KIT);
  }

  @AfterAll
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  @Test
  void closingForgetsDevicesPushAndProfileEndsConnectionsAndNamesTheGroupsStillJoined()
      throws Exception {
    register("alice", "Alice");
    joinWithBob("c-direct");
    joinGroup("g-1", 1);
    registerPush("laptop", webPush("https://push.example/laptop"), true);
    TestProbe<DeviceMessage> phone = testKit.createTestProbe();
    connect("phone", "conn-1", phone);
    ack("phone", 0, Map.of());

    var closed = inbox.<UserInbox.ClosedUser>runCommand(UserInbox.CloseUser::new);

    assertEquals(List.of("g-1"), closed.reply().groups());
    assertEquals(1, closed.events().size());
    phone.expectMessage(DeviceMessage.Revoked.everyToken());
    var state = closed.state();
    assertTrue(state.closed());
    assertTrue(state.push().isEmpty());
    assertTrue(state.devices().isEmpty());
    assertTrue(state.deviceRecords().isEmpty());
    var profile = inbox.<UserInbox.Profile>runCommand(UserInbox.GetProfile::new).reply();
    assertEquals(new UserInbox.Profile(userId, "", UserInbox.CLOSED_NAME, false, true), profile);
    // Nothing is pushed for the messages that still come in.
    append("c-direct", messages("c-direct", 1, 1, BOB));
    assertEquals(null, pushWithin(300));
  }

  @Test
  void closingAgainWritesNothingAndARegistrationCannotBringTheUserBack() {
    register("alice", "Alice");
    inbox.runCommand(UserInbox.CloseUser::new);

    var again = inbox.<UserInbox.ClosedUser>runCommand(UserInbox.CloseUser::new);
    var registered = register("alice", "Alice");

    assertTrue(again.events().isEmpty());
    assertTrue(registered.reply().isError());
    assertTrue(registered.events().isEmpty());
    inbox.restart();
    assertTrue(inbox.getState().closed());
    assertFalse(inbox.getState().registered());
  }
}
