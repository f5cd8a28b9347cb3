package messenger.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.pattern.StatusReply;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import messenger.chat.SystemChange;
import messenger.push.Notification;
import messenger.testing.EntityTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Push notifications to the devices that are not connected, and their endpoints. */
class UserInboxPushTest extends InboxFixture {

  private static final ActorTestKit KIT = ActorTestKit.create(EntityTests.config());

  UserInboxPushTest() {
    super(KIT);
  }

  @AfterAll
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  @Test
  void anOfflineDeviceWithPushIsNotifiedWithTheUnreadCountAndPreview() throws Exception {
    joinWithBob("c-1");
    registerPush("laptop", webPush("https://push.example/laptop"), true);

    append("c-1", messages("c-1", 1, 1, BOB));
    append("c-1", messages("c-1", 2, 3, BOB));

    Pushed first = nextPush();
    assertEquals(userId, first.userId());
    assertEquals("laptop", first.deviceId());
    assertEquals("https://push.example/laptop", first.subscription().endpoint());
    assertEquals(new Notification("c-1", 1, "body 1", null, 1), first.notification());
    assertEquals(new Notification("c-1", 3, "body 3", null, 3), nextPush().notification());
  }

  @Test
  void aDeviceThatTurnedPreviewsOffGetsNoMessageTextInItsNotification() throws Exception {
    joinWithBob("c-1");
    registerPush("laptop", webPush("https://push.example/laptop"), false);

    append("c-1", messages("c-1", 1, 1, BOB));

    assertEquals(new Notification("c-1", 1, null, null, 1), nextPush().notification());
  }

  @Test
  void onlyTheOfflineDevicesAreNotifiedAndNotForTheUsersOwnMessages() throws Exception {
    joinWithBob("c-1");
    registerPush("phone", webPush("https://push.example/phone"), true);
    registerPush("laptop", webPush("https://push.example/laptop"), true);
    connect("phone", "conn-1", testKit.createTestProbe());

    append("c-1", List.of(message("c-1", 1, userId)));
    append("c-1", messages("c-1", 2, 2, BOB));

    Pushed only = nextPush();
    assertEquals("laptop", only.deviceId());
    assertEquals(2, only.notification().latestSeq());
    assertNull(pushWithin(200));
  }

  @Test
  void aRedeliveryIsNotPushedAgain() throws Exception {
    joinWithBob("c-1");
    registerPush("laptop", webPush("https://push.example/laptop"), true);
    append("c-1", messages("c-1", 1, 1, BOB));
    nextPush();

    append("c-1", messages("c-1", 1, 1, BOB));

    assertNull(pushWithin(200));
  }

  @Test
  void aGoneEndpointIsRemovedButNotIfTheDeviceRegisteredANewOneMeanwhile() throws Exception {
    joinWithBob("c-1");
    registerPush("laptop", webPush("https://push.example/old"), true);
    registerPush("laptop", webPush("https://push.example/new"), true);

    inbox.runCommand(new UserInbox.PushEndpointGone("laptop", "https://push.example/old"));
    append("c-1", messages("c-1", 1, 1, BOB));
    assertEquals("https://push.example/new", nextPush().subscription().endpoint());

    var result =
        inbox.runCommand(new UserInbox.PushEndpointGone("laptop", "https://push.example/new"));
    assertEquals(List.of(new UserInbox.PushUnregistered(userId, "laptop")), result.events());
    append("c-1", messages("c-1", 2, 2, BOB));
    assertNull(pushWithin(200));
  }

  @Test
  void pushRegistrationsSurviveARestart() throws Exception {
    joinWithBob("c-1");
    registerPush("laptop", webPush("https://push.example/laptop"), false);

    inbox.restart();
    append("c-1", messages("c-1", 1, 1, BOB));

    Pushed next = nextPush();
    assertEquals("https://push.example/laptop", next.subscription().endpoint());
    assertNull(next.notification().preview());
  }

  @Test
  void aMessageThatWakesAStoppedInboxIsPushedOnceToItsOfflineDevices() throws Exception {
    joinWithBob("c-1");
    registerPush("laptop", webPush("https://push.example/laptop"), true);
    // The conversation writes its log before it tells the inbox: a stopped inbox that the telling
    // wakes reads the message at its start, and the append it stashed meanwhile is a redelivery.
    logs.posted(messages("c-1", 1, 1, BOB));

    inbox.restart();
    append("c-1", messages("c-1", 1, 1, BOB));

    assertEquals(new Notification("c-1", 1, "body 1", null, 1), nextPush().notification());
    assertNull(pushWithin(200));
  }

  @Test
  void aRestartAfterTheSummariesWereWrittenPushesNothingAgain() throws Exception {
    joinWithBob("c-1");
    registerPush("laptop", webPush("https://push.example/laptop"), true);
    append("c-1", messages("c-1", 1, 2, BOB));
    nextPush();
    flush();

    inbox.restart();

    assertEquals(2, summaries().get("c-1").lastSeq());
    assertNull(pushWithin(200));
  }

  @Test
  void aMutedConversationSendsNoPushWhileOthersStillDo() throws Exception {
    joinWithBob("c-1");
    joinWithBob("c-2");
    registerPush("laptop", webPush("https://push.example/laptop"), true);
    var muted =
        inbox.<StatusReply<Done>>runCommand(
            replyTo -> new UserInbox.SetMuted("c-1", true, replyTo));
    assertTrue(muted.reply().isSuccess());

    append("c-1", messages("c-1", 1, 1, BOB));
    append("c-2", messages("c-2", 1, 1, BOB));

    assertEquals("c-2", nextPush().notification().conversationId());
    assertNull(pushWithin(200), "nothing for c-1");
    assertTrue(summaries().get("c-1").muted());
  }

  @Test
  void aMuteSurvivesARestart() throws Exception {
    joinWithBob("c-1");
    registerPush("laptop", webPush("https://push.example/laptop"), true);
    inbox.<StatusReply<Done>>runCommand(replyTo -> new UserInbox.SetMuted("c-1", true, replyTo));

    inbox.restart();
    append("c-1", messages("c-1", 1, 1, BOB));

    assertNull(pushWithin(300));
    assertTrue(summaries().get("c-1").muted());
  }

  @Test
  void membershipChangesSendNoPush() throws Exception {
    joinGroup("g-1", 1);
    registerPush("laptop", webPush("https://push.example/laptop"), true);

    append("g-1", List.of(systemEntry("g-1", 1, BOB, SystemChange.renamed("x"))));
    append("g-1", messages("g-1", 2, 2, BOB));

    assertEquals(2, nextPush().notification().latestSeq());
  }

  @Test
  void beingAddedToAGroupIsPushedToOfflineDevicesWithTheGroupsTitle() throws Exception {
    registerPush("laptop", webPush("https://push.example/laptop"), true);
    registerPush("phone", webPush("https://push.example/phone"), false);
    joinGroup("g-1", 5);

    append("g-1", List.of(systemEntry("g-1", 5, BOB, SystemChange.added(userId))));

    Map<String, Notification> byDevice = new HashMap<>();
    for (int i = 0; i < 2; i++) {
      Pushed push = nextPush();
      byDevice.put(push.deviceId(), push.notification());
    }
    assertEquals("g-1", byDevice.get("laptop").conversationId());
    assertEquals(5, byDevice.get("laptop").latestSeq());
    assertEquals("You were added to \u201Cclimbing\u201D", byDevice.get("laptop").preview());
    assertNull(byDevice.get("phone").preview(), "no previews on this device");
    // Someone else being added is no news.
    append("g-1", List.of(systemEntry("g-1", 6, BOB, SystemChange.added(CAROL))));
    assertNull(pushWithin(300));
  }
}
