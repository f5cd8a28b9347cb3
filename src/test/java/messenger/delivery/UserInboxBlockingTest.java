package messenger.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.util.List;
import java.util.Set;
import messenger.chat.ChatMessage;
import messenger.chat.Notice;
import messenger.push.Notification;
import messenger.testing.EntityTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The users a user blocks, as the inbox holds them: written, given to every connection, and kept
 * from the user's devices as notices, pushes and unread counts.
 */
class UserInboxBlockingTest extends InboxFixture {

  private static final ActorTestKit KIT = ActorTestKit.create(EntityTests.config());

  UserInboxBlockingTest() {
    super(KIT);
  }

  @AfterAll
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  private akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply<
          UserInbox.Command, UserInbox.Event, UserInbox.State, Done>
      setBlocking(String otherId, boolean blocked) {
    return inbox.runCommand(replyTo -> new UserInbox.SetBlocking(otherId, blocked, replyTo));
  }

  @Test
  void aBlockIsWrittenOnceAndToldToLiveConnectionsAndToEveryConnectionThatAttaches() {
    TestProbe<DeviceMessage> phone = testKit.createTestProbe();
    connect("phone", "conn-1", phone);

    var blocked = setBlocking(BOB, true);
    assertEquals(new UserInbox.BlockingChanged(userId, BOB, true), blocked.event());
    assertEquals(new DeviceMessage.Blocking(Set.of(BOB)), phone.receiveMessage());
    assertTrue(setBlocking(BOB, true).hasNoEvents(), "idempotent");
    assertEquals(Set.of(BOB), connect("laptop", "conn-2", testKit.createTestProbe()).blocked());

    assertEquals(
        new UserInbox.BlockingChanged(userId, BOB, false), setBlocking(BOB, false).event());
    assertEquals(new DeviceMessage.Blocking(Set.of()), phone.receiveMessage());
  }

  @Test
  void noticesOfABlockedUserReachNoDeviceWhileOthersStillDo() {
    TestProbe<DeviceMessage> phone = testKit.createTestProbe();
    connect("phone", "conn-1", phone);
    setBlocking(BOB, true);
    phone.receiveMessage();

    inbox.runCommand(new UserInbox.Relay(new Notice.Typing("c-1", BOB)));
    inbox.runCommand(new UserInbox.Relay(new Notice.Presence(BOB, true, null)));
    inbox.runCommand(new UserInbox.Relay(new Notice.Typing("c-1", CAROL)));

    // The first to arrive is carol's: bob's two, sent before it, went nowhere.
    assertEquals(
        new DeviceMessage.Ephemeral(new Notice.Typing("c-1", CAROL)), phone.receiveMessage());
  }

  @Test
  void messagesOfABlockedUserAreNeitherPushedNorUnreadWhileOthersAre() throws Exception {
    joinGroup("g-1", 1);
    registerPush("laptop", webPush("https://push.example/laptop"), true);
    setBlocking(BOB, true);

    append("g-1", List.of(message("g-1", 1, BOB)));
    append("g-1", List.of(message("g-1", 2, CAROL)));

    // Carol's is the first push, and counts one unread: bob's was none.
    assertEquals(new Notification("g-1", 1, "body 2", null, 2), nextPush().notification());
    ConversationSummary summary = summaries().get("g-1");
    assertEquals(1, summary.unread());
    assertEquals(2, summary.last().seq());
  }

  @Test
  void theBlockHoldsAfterARestart() throws Exception {
    joinGroup("g-1", 1);
    registerPush("laptop", webPush("https://push.example/laptop"), true);
    setBlocking(BOB, true);

    inbox.restart();

    assertEquals(Set.of(BOB), connect("phone", "conn-1", testKit.createTestProbe()).blocked());
    ChatMessage fromBob = message("g-1", 1, BOB);
    append("g-1", List.of(fromBob, message("g-1", 2, CAROL)));
    assertEquals(new Notification("g-1", 1, "body 2", null, 2), nextPush().notification());
    assertEquals(null, pushWithin(200));
  }
}
