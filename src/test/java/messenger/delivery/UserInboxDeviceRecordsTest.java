package messenger.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.pattern.StatusReply;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import messenger.testing.EntityTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * What the inbox keeps of each device for the device list and for logging it out: the label and
 * token it connected with, when it left, and that logging it out ends it and drops all of it.
 */
class UserInboxDeviceRecordsTest extends InboxFixture {

  private static final ActorTestKit KIT = ActorTestKit.create(EntityTests.config());

  UserInboxDeviceRecordsTest() {
    super(KIT);
  }

  @AfterAll
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  private static Credential token(String id) {
    return new Credential(id, 0, Instant.now().plus(1, ChronoUnit.DAYS));
  }

  private ConnectReply connectWith(
      String deviceId, String connectionId, TestProbe<DeviceMessage> device, Credential c) {
    return inbox
        .<ConnectReply>runCommand(
            replyTo ->
                new UserInbox.Connect(
                    deviceId, connectionId, device.ref(), replyTo, c, "Firefox on Linux"))
        .reply();
  }

  private UserInbox.DeviceView device(String deviceId) {
    return inbox
        .<UserInbox.Devices>runCommand(UserInbox.ListDevices::new)
        .reply()
        .devices()
        .stream()
        .filter(d -> d.deviceId().equals(deviceId))
        .findFirst()
        .orElse(null);
  }

  @Test
  void aNewTokenOnADeviceIsWrittenOnceAndReattachingWithItWritesNothing() {
    TestProbe<DeviceMessage> phone = testKit.createTestProbe();
    int before = written().size();

    connectWith("phone", "conn-1", phone, token("jti-1"));
    connectWith("phone", "conn-1", phone, token("jti-1"));

    List<Object> events = written().subList(before, written().size());
    assertEquals(1, events.size(), events::toString);
    var signedIn = (UserInbox.DeviceSignedIn) events.get(0);
    assertEquals("jti-1", signedIn.tokenId());
    assertEquals("Firefox on Linux", signedIn.client());
    assertEquals(
        Map.of("jti-1", signedIn.tokenExpiresAt()),
        inbox.getState().deviceRecord("phone").tokens());
  }

  @Test
  void theDeviceListShowsTheClientLabelAndWhenTheDeviceWasLastConnected() {
    TestProbe<DeviceMessage> phone = testKit.createTestProbe();
    connectWith("phone", "conn-1", phone, token("jti-1"));

    var online = device("phone");
    assertTrue(online.online());
    assertEquals("Firefox on Linux", online.client());
    assertNull(online.lastSeen());

    Instant before = Instant.now();
    inbox.runCommand(new InboxInternal.DeviceGone("phone", phone.ref()));

    var offline = device("phone");
    assertFalse(offline.online());
    assertEquals("Firefox on Linux", offline.client());
    assertNotNull(offline.lastSeen());
    assertFalse(offline.lastSeen().isBefore(before.truncatedTo(ChronoUnit.MILLIS)));
  }

  @Test
  void theTokensOfADeviceAreWhatItConnectedWithAndAnUnknownDeviceIsNotKnown() {
    TestProbe<DeviceMessage> phone = testKit.createTestProbe();
    connectWith("phone", "conn-1", phone, token("jti-1"));
    connectWith("phone", "conn-2", phone, token("jti-2"));

    var tokens = tokensOf("phone");
    assertTrue(tokens.known());
    assertEquals(java.util.Set.of("jti-1", "jti-2"), tokens.tokens().keySet());
    assertFalse(tokensOf("tablet").known());
  }

  @Test
  void loggingADeviceOutEndsItsConnectionAndDropsItsCursorPushAndRecordButNoOtherDevices()
      throws Exception {
    joinWithBob("c-1");
    registerPush("laptop", webPush("https://push.example/laptop"), true);
    append("c-1", messages("c-1", 1, 1, BOB));
    nextPush();
    ack("laptop", 1, Map.of("c-1", 1L));
    flush();
    TestProbe<DeviceMessage> phone = testKit.createTestProbe();
    TestProbe<DeviceMessage> laptop = testKit.createTestProbe();
    connectWith("phone", "conn-1", phone, token("jti-phone"));
    connectWith("laptop", "conn-2", laptop, token("jti-laptop"));
    assertTrue(inbox.getState().knowsDevice("laptop"));

    var done = inbox.<Done>runCommand(replyTo -> new UserInbox.ForgetDevice("laptop", replyTo));

    assertEquals(Done.getInstance(), done.reply());
    assertEquals(List.of(new UserInbox.DeviceForgotten(userId, "laptop")), done.events());
    DeviceMessage told = laptop.expectMessageClass(DeviceMessage.Revoked.class);
    assertTrue(new Credential("jti-laptop", 0, null).isRevokedBy((DeviceMessage.Revoked) told));
    var state = inbox.getState();
    assertFalse(state.knowsDevice("laptop"));
    assertNull(device("laptop"));
    assertNotNull(device("phone"));
    assertTrue(device("phone").online());
    phone.expectNoMessage(java.time.Duration.ofMillis(100));

    // Its connection ending afterwards writes nothing back, and nothing is pushed to it.
    int before = written().size();
    inbox.runCommand(new InboxInternal.DeviceGone("laptop", laptop.ref()));
    assertEquals(before, written().size());
    inbox.runCommand(new InboxInternal.DeviceGone("phone", phone.ref()));
    append("c-1", messages("c-1", 2, 2, BOB));
    assertNull(pushWithin(300));
  }

  @Test
  void loggingOutADeviceTheInboxDoesNotKnowWritesNothing() {
    var done = inbox.<Done>runCommand(replyTo -> new UserInbox.ForgetDevice("tablet", replyTo));

    assertEquals(Done.getInstance(), done.reply());
    assertTrue(done.events().isEmpty());
  }

  @Test
  void deviceRecordsAndADisplayNameChangeSurviveARestart() {
    register("alice", "Alice");
    TestProbe<DeviceMessage> phone = testKit.createTestProbe();
    connectWith("phone", "conn-1", phone, token("jti-1"));
    inbox.runCommand(new InboxInternal.DeviceGone("phone", phone.ref()));
    var renamed =
        inbox.<StatusReply<Done>>runCommand(
            replyTo -> new UserInbox.ChangeDisplayName("Alice A.", replyTo));
    assertTrue(renamed.reply().isSuccess());
    var before = inbox.getState();

    inbox.restart();

    assertEquals(before.deviceRecords(), inbox.getState().deviceRecords());
    assertEquals("Alice A.", inbox.getState().displayName());
    var profile = inbox.<UserInbox.Profile>runCommand(UserInbox.GetProfile::new).reply();
    assertEquals("Alice A.", profile.displayName());
  }

  @Test
  void aDisplayNameChangeOfAnUnregisteredUserIsRefused() {
    var refused =
        inbox.<StatusReply<Done>>runCommand(
            replyTo -> new UserInbox.ChangeDisplayName("Nobody", replyTo));

    assertTrue(refused.reply().isError());
    assertTrue(refused.events().isEmpty());
  }

  private UserInbox.DeviceTokens tokensOf(String deviceId) {
    return inbox
        .<UserInbox.DeviceTokens>runCommand(
            replyTo -> new UserInbox.GetDeviceTokens(deviceId, replyTo))
        .reply();
  }
}
