package messenger.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import messenger.chat.ChatMessage;
import messenger.chat.ConversationInfo;
import messenger.chat.Notice;
import messenger.chat.SystemChange;
import messenger.push.PushKind;
import messenger.testing.EntityTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Devices: what {@link ConnectReply.Connected} tells a connection to fetch of each conversation,
 * the connection limit, the device list, presence and what every connection is told.
 */
class UserInboxDevicesTest extends InboxFixture {

  private static final ActorTestKit KIT = ActorTestKit.create(EntityTests.config());

  UserInboxDevicesTest() {
    super(KIT);
  }

  @AfterAll
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  /** A range of a conversation the user is in from its start. */
  private static ConnectReply.Visible visible(long after, long upTo) {
    return visible(after, upTo, 1);
  }

  private static ConnectReply.Visible visible(long after, long upTo, long joinedFrom) {
    return new ConnectReply.Visible(after, upTo, joinedFrom);
  }

  // ---- what a connection should hold ----

  @Test
  void connectGivesEachConversationsRangeFromTheDevicesPositionsHeldOrWritten() {
    joinWithBob("c-1");
    join(conversation("c-2", CAROL, T0));
    append("c-1", messages("c-1", 1, 5, BOB));
    append("c-2", messages("c-2", 1, 2, CAROL));
    ack("phone", 7, Map.of("c-1", 2L));

    ConnectReply.Connected held = connect("phone", "conn-1", testKit.createTestProbe());
    flush();
    ConnectReply.Connected written = connect("phone", "conn-2", testKit.createTestProbe());
    ConnectReply.Connected tablet = connect("tablet", "conn-3", testKit.createTestProbe());

    var expected =
        new ConnectReply.Connected(7, Map.of("c-1", visible(2, 5), "c-2", visible(0, 2)));
    assertEquals(expected, held, "held acks count before they are written");
    assertEquals(expected, written);
    assertEquals(
        new ConnectReply.Connected(0, Map.of("c-1", visible(0, 5), "c-2", visible(0, 2))), tablet);
  }

  @Test
  void aDeviceThatAckedOnlyByCursorIsPlacedByItFromTheInboxJournalOfBefore() {
    // An inbox journal written while the inbox stored entries, and a device that acked cursor 3.
    ConversationInfo c1 = conversation("c-1", BOB, T0);
    ConversationInfo c2 = conversation("c-2", CAROL, T0);
    List<ChatMessage> c1Messages = messages("c-1", 1, 3, BOB);
    ChatMessage c2Message = message("c-2", 1, CAROL);
    inbox
        .persistenceTestKit()
        .persistForRecovery(
            persistenceId(),
            List.of(
                new UserInbox.ConversationJoined(userId, c1, 1),
                new UserInbox.ConversationJoined(userId, c2, 1),
                new UserInbox.MessageAppended(userId, 1, c1Messages.get(0)),
                new UserInbox.MessageAppended(userId, 2, c1Messages.get(1)),
                new UserInbox.MessageAppended(userId, 3, c2Message),
                new UserInbox.MessageAppended(userId, 4, c1Messages.get(2)),
                new UserInbox.DeviceAcked(userId, "phone", 3, null)));
    logs.posted(c1Messages);
    logs.posted(List.of(c2Message));
    inbox.restart();

    ConnectReply.Connected phone = connect("phone", "conn-1", testKit.createTestProbe());

    // Cursor 3 covers all of c-2 (its last entry had cursor 3), not c-1 (cursor 4).
    assertEquals(
        new ConnectReply.Connected(3, Map.of("c-1", visible(0, 3), "c-2", visible(1, 1))), phone);
  }

  @Test
  void aMemberAddedLaterIsGivenTheGroupFromItsJoinPointOnly() {
    joinGroup("g-1", 7);
    append(
        "g-1",
        List.of(systemEntry("g-1", 7, BOB, SystemChange.added(userId)), message("g-1", 8, BOB)));

    ConnectReply.Connected phone = connect("phone", "conn-1", testKit.createTestProbe());

    assertEquals(Map.of("g-1", visible(6, 8, 7)), phone.conversations());
  }

  @Test
  void aPositionFromBeforeLeavingIsFlooredAtTheNewJoinPoint() {
    joinGroup("g-1", 1);
    append(
        "g-1",
        List.of(message("g-1", 1, BOB), systemEntry("g-1", 2, BOB, SystemChange.removed(userId))));
    ack("phone", 1, Map.of("g-1", 1L));
    joinGroup("g-1", 10);
    append(
        "g-1",
        List.of(systemEntry("g-1", 10, BOB, SystemChange.added(userId)), message("g-1", 11, BOB)));

    ConnectReply.Connected phone = connect("phone", "conn-1", testKit.createTestProbe());

    assertEquals(Map.of("g-1", visible(9, 11, 10)), phone.conversations());
  }

  @Test
  void aLeftConversationsRangeEndsAtTheRemovalEntry() {
    joinGroup("g-1", 1);
    append(
        "g-1",
        List.of(
            message("g-1", 1, BOB),
            systemEntry("g-1", 2, BOB, SystemChange.removed(userId)),
            message("g-1", 3, BOB)));
    append("g-1", messages("g-1", 4, 4, BOB));

    ConnectReply.Connected phone = connect("phone", "conn-1", testKit.createTestProbe());

    assertEquals(Map.of("g-1", visible(0, 2)), phone.conversations());
  }

  // ---- the connection limit ----

  @Test
  void aDeviceBeyondTheConnectionLimitIsRefusedWhileTheOthersKeepReceiving() {
    joinWithBob("c-1");
    List<TestProbe<DeviceMessage>> devices = new ArrayList<>();
    for (int i = 0; i < MAX_DEVICES; i++) {
      TestProbe<DeviceMessage> device = testKit.createTestProbe();
      devices.add(device);
      connect("device-" + i, "conn-" + i, device);
    }

    var refused = tryConnect("one-too-many", "conn-x", testKit.createTestProbe());

    assertEquals(new ConnectReply.Refused(MAX_DEVICES), refused);
    append("c-1", messages("c-1", 1, 1, BOB));
    for (var device : devices) {
      device.expectMessage(new DeviceMessage.Deliver("c-1", 0, messages("c-1", 1, 1, BOB)));
    }
  }

  @Test
  void aReconnectOfAnAlreadyConnectedDeviceAtTheLimitReplacesTheOldConnection() {
    TestProbe<DeviceMessage> oldPhone = testKit.createTestProbe();
    connect("phone", "conn-1", oldPhone);
    for (int i = 1; i < MAX_DEVICES; i++) {
      connect("device-" + i, "conn-" + (i + 1), testKit.createTestProbe());
    }

    var reply = tryConnect("phone", "conn-9", testKit.createTestProbe());

    assertTrue(reply instanceof ConnectReply.Connected, "got " + reply);
    oldPhone.expectMessage(new DeviceMessage.Replaced("phone"));
  }

  @Test
  void aDeviceWhoseConnectionEndedFreesItsPlace() {
    List<TestProbe<DeviceMessage>> devices = new ArrayList<>();
    for (int i = 0; i < MAX_DEVICES; i++) {
      TestProbe<DeviceMessage> device = testKit.createTestProbe();
      devices.add(device);
      connect("device-" + i, "conn-" + i, device);
    }
    devices.get(0).stop();

    testKit
        .createTestProbe()
        .awaitAssert(
            () -> {
              var reply = tryConnect("laptop", "conn-l", testKit.createTestProbe());
              assertTrue(reply instanceof ConnectReply.Connected, "got " + reply);
              return null;
            });
  }

  @Test
  void theDeviceListShowsWhichDevicesAreOnlineHowFarTheyAckedAndWhoHasPush() {
    joinWithBob("c-1");
    append("c-1", messages("c-1", 1, 2, BOB));
    connect("phone", "conn-1", testKit.createTestProbe());
    ack("phone", 2, Map.of("c-1", 2L));
    registerPush("laptop", webPush("https://push.example/laptop"), true);

    var devices = inbox.<UserInbox.Devices>runCommand(UserInbox.ListDevices::new).reply().devices();

    assertEquals(
        List.of(
            new UserInbox.DeviceView("laptop", false, 0, PushKind.WEB_PUSH, null, null),
            new UserInbox.DeviceView("phone", true, 2, null, null, null)),
        devices);
  }

  // ---- presence ----

  @Test
  void theFirstDeviceToConnectAndTheLastToGoSignalPresenceWithTheUsersConversations()
      throws Exception {
    joinWithBob("c-1");
    TestProbe<DeviceMessage> phone = testKit.createTestProbe();
    TestProbe<DeviceMessage> laptop = testKit.createTestProbe();

    connect("phone", "conn-1", phone);
    connect("laptop", "conn-2", laptop);
    PresenceSignal online = (PresenceSignal) nextSignal();
    assertTrue(online.presence().online());
    assertEquals(
        List.of("c-1"),
        online.conversations().stream().map(ConversationInfo::conversationId).toList());

    phone.stop();
    laptop.stop();
    PresenceSignal offline = (PresenceSignal) nextSignal();
    assertFalse(offline.presence().online());
    assertNotNull(offline.presence().lastSeen());
    assertNull(signalWithin(200), "one each");
    var presence = inbox.<Notice.Presence>runCommand(UserInbox.GetPresence::new).reply();
    assertEquals(offline.presence(), presence);
  }

  @Test
  void aUserWhoseLastDeviceComesBackWithinTheGraceNeverShowsOffline() throws Exception {
    joinWithBob("c-1");
    TestProbe<DeviceMessage> phone = testKit.createTestProbe();
    connect("phone", "conn-1", phone);
    assertTrue(((PresenceSignal) nextSignal()).presence().online());
    // Acked, so that the device list knows the phone once it is gone.
    append("c-1", messages("c-1", 1, 1, BOB));
    ack("phone", 1, Map.of("c-1", 1L));
    assertEquals(delivered("c-1", 1), nextSignal());

    phone.stop();
    // The inbox has seen the device go once it lists it offline; the grace runs from there.
    testKit
        .createTestProbe()
        .awaitAssert(
            Duration.ofSeconds(3),
            () -> {
              var devices = inbox.<UserInbox.Devices>runCommand(UserInbox.ListDevices::new).reply();
              assertFalse(devices.devices().get(0).online());
              return null;
            });
    assertTrue(
        inbox.<Notice.Presence>runCommand(UserInbox.GetPresence::new).reply().online(),
        "online during the grace");
    connect("phone", "conn-2", testKit.createTestProbe());

    assertNull(signalWithin(PRESENCE_GRACE_MS + 500), "neither offline nor online was announced");
    assertTrue(inbox.<Notice.Presence>runCommand(UserInbox.GetPresence::new).reply().online());
  }

  // ---- what every connection is told ----

  @Test
  void aRelayedNoticeReachesEveryConnectedDeviceAndIsNotStored() {
    TestProbe<DeviceMessage> phone = testKit.createTestProbe();
    TestProbe<DeviceMessage> laptop = testKit.createTestProbe();
    connect("phone", "conn-1", phone);
    connect("laptop", "conn-2", laptop);

    var typing = new Notice.Typing("c-1", BOB);
    var result = inbox.runCommand(new UserInbox.Relay(typing));

    assertEquals(List.of(), result.events());
    phone.expectMessage(new DeviceMessage.Ephemeral(typing));
    laptop.expectMessage(new DeviceMessage.Ephemeral(typing));
  }

  @Test
  void revokedTokensAreToldToEveryConnectedDeviceAndNothingIsStored() {
    TestProbe<DeviceMessage> phone = testKit.createTestProbe();
    TestProbe<DeviceMessage> laptop = testKit.createTestProbe();
    connect("phone", "conn-1", phone);
    connect("laptop", "conn-2", laptop);

    var result = inbox.runCommand(new UserInbox.EndRevokedConnections(3, "token-7", null));

    assertEquals(List.of(), result.events());
    phone.expectMessage(new DeviceMessage.Revoked(3, "token-7", null));
    laptop.expectMessage(new DeviceMessage.Revoked(3, "token-7", null));
  }
}
