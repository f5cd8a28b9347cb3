package messenger.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import messenger.chat.ChatMessage;
import messenger.chat.ConversationInfo;
import messenger.chat.ConversationType;
import messenger.chat.SystemChange;
import messenger.delivery.OfflinePush.Push;
import messenger.push.Notification;
import messenger.push.PushKind;
import messenger.push.PushSubscription;
import org.junit.jupiter.api.Test;

/**
 * The offline-push decision, on summaries moved by the inbox's own functions ({@link
 * ConversationSummary#append}) and endpoints registered by its event handlers.
 */
class OfflinePushTest {

  private static final String ME = "me";
  private static final String BOB = "bob";
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  private static final PushSubscription PHONE = subscription("phone");
  private static final PushSubscription LAPTOP = subscription("laptop");

  private UserInbox.State state = UserInbox.State.empty();
  private ConversationSummary summary;

  private static PushSubscription subscription(String device) {
    return new PushSubscription(
        PushKind.UNIFIED_PUSH, "https://push.example/" + device, null, null);
  }

  private void join(ConversationInfo info, long fromSeq) {
    summary = ConversationSummary.joined(info, fromSeq);
  }

  private void registerPush(String deviceId, PushSubscription subscription, boolean previews) {
    var registration = new PushRegistration(subscription, previews);
    state =
        InboxStateChanges.pushRegistered(
            state, new UserInbox.PushRegistered(ME, deviceId, registration));
  }

  /** The inbox hears of the message; what its push would be, with {@code connected} online. */
  private List<Push> append(ChatMessage message, String... connected) {
    summary = summary.append(ME, message);
    return notifications(message, connected);
  }

  private List<Push> notifications(ChatMessage latest, String... connected) {
    return OfflinePush.notifications(ME, state.push(), summary, latest, Set.of(connected));
  }

  private static ChatMessage text(String conversationId, long seq, String sender, String body) {
    return new ChatMessage(conversationId, seq, "m-" + seq, sender, body, T0.plusSeconds(seq));
  }

  private static ChatMessage system(String conversationId, long seq, SystemChange change) {
    return new ChatMessage(conversationId, seq, "m-" + seq, BOB, "", T0.plusSeconds(seq), change);
  }

  private void directWithBob() {
    join(new ConversationInfo("c-1", ConversationType.DIRECT, List.of(ME, BOB), T0), 1);
  }

  private void group(long fromSeq) {
    join(new ConversationInfo("g-1", ConversationType.GROUP, List.of(), T0, "climbing"), fromSeq);
  }

  @Test
  void aMessageFromAnotherReachesEachDeviceWithAPushEndpointWithTheUnreadCountAndPreview() {
    directWithBob();
    registerPush("phone", PHONE, true);
    append(text("c-1", 1, BOB, "hi"));

    List<Push> pushes = append(text("c-1", 2, BOB, "there?"));

    assertEquals(
        List.of(new Push("phone", PHONE, new Notification("c-1", 2, "there?", null, 2))), pushes);
  }

  @Test
  void withoutAnyPushEndpointNothingIsSent() {
    directWithBob();

    assertEquals(List.of(), append(text("c-1", 1, BOB, "hi")));
  }

  @Test
  void connectedDevicesGetNoPush() {
    directWithBob();
    registerPush("phone", PHONE, true);
    registerPush("laptop", LAPTOP, true);

    List<Push> pushes = append(text("c-1", 1, BOB, "hi"), "phone");

    assertEquals(List.of("laptop"), pushes.stream().map(Push::deviceId).toList());
    assertEquals(List.of(), append(text("c-1", 2, BOB, "hi"), "phone", "laptop"));
  }

  @Test
  void aDeviceWithPreviewsOffGetsNoText() {
    directWithBob();
    registerPush("phone", PHONE, false);

    Push push = append(text("c-1", 1, BOB, "secret")).get(0);

    assertNull(push.notification().preview());
    assertEquals(1, push.notification().unreadCount());
  }

  @Test
  void theUsersOwnMessagesAreNoNews() {
    directWithBob();
    registerPush("phone", PHONE, true);

    assertEquals(List.of(), append(text("c-1", 1, ME, "sent from my laptop")));
  }

  @Test
  void nothingUnreadIsNoNews() {
    directWithBob();
    registerPush("phone", PHONE, true);
    append(text("c-1", 1, BOB, "hi"));
    summary = summary.readUpTo(1);

    // A late push about a message already read: the summary the rule sees has nothing unread.
    assertEquals(0, summary.unread());
    assertEquals(List.of(), notifications(text("c-1", 1, BOB, "hi")));
  }

  @Test
  void aMutedConversationIsNotPushed() {
    directWithBob();
    registerPush("phone", PHONE, true);
    summary = summary.muted(true);

    assertEquals(List.of(), append(text("c-1", 1, BOB, "hi")));
  }

  @Test
  void aMentionPushesEvenFromAMutedConversationAndOnlyTheMentionedMember() {
    group(1);
    registerPush("phone", PHONE, true);
    summary = summary.muted(true);

    var mentionsMe = text("g-1", 1, BOB, "@me look").withMentions(List.of(ME));
    assertEquals(1, append(mentionsMe).size());
    var mentionsSomeoneElse = text("g-1", 2, BOB, "@carol look").withMentions(List.of("carol"));
    assertEquals(List.of(), append(mentionsSomeoneElse));
  }

  @Test
  void membershipAndTitleChangesAreNoNews() {
    group(1);
    registerPush("phone", PHONE, true);

    assertEquals(List.of(), append(system("g-1", 1, SystemChange.renamed("bouldering"))));
    assertEquals(List.of(), append(system("g-1", 2, SystemChange.added("carol"))));
    assertEquals(List.of(), append(system("g-1", 3, SystemChange.removed("carol"))));
  }

  @Test
  void beingAddedToAGroupIsPushedWithTheGroupsTitleEvenWithNothingUnread() {
    group(5);
    registerPush("phone", PHONE, true);
    registerPush("laptop", LAPTOP, false);

    List<Push> pushes = append(system("g-1", 5, SystemChange.added(ME)));

    assertEquals(0, summary.unread());
    assertEquals(
        Set.of(
            new Push(
                "phone",
                PHONE,
                new Notification("g-1", 0, "You were added to “climbing”", null, 5)),
            new Push("laptop", LAPTOP, new Notification("g-1", 0, null, null, 5))),
        Set.copyOf(pushes));
  }

  @Test
  void aMessageOfAConversationTheInboxDoesNotHoldIsNotPushed() {
    registerPush("phone", PHONE, true);

    assertEquals(
        List.of(),
        OfflinePush.notifications(ME, state.push(), null, text("c-9", 1, BOB, "hi"), Set.of()));
  }

  @Test
  void aReactionAfterAMessageInTheSameDeliveryDoesNotHideTheMessageAndAloneIsNoNews() {
    var message = new ChatMessage("c-1", 1, "m-1", "bob", "hi", java.time.Instant.EPOCH);
    var reaction =
        new ChatMessage(
            "c-1",
            2,
            "m-2",
            "bob",
            "",
            java.time.Instant.EPOCH,
            null,
            List.of(),
            messenger.chat.Amendment.reaction(1, "x", true),
            null);
    assertEquals(
        java.util.Optional.of(message), OfflinePush.latestNews(List.of(message, reaction)));
    assertEquals(java.util.Optional.empty(), OfflinePush.latestNews(List.of(reaction)));
  }

  // ---- messages of users the member blocks ----

  @Test
  void theLatestNewsIsTheLastMessageOfSomeoneNotBlocked() {
    ChatMessage fromCarol = text("g-1", 1, "carol", "hi");
    ChatMessage fromBob = text("g-1", 2, BOB, "blocked words");

    assertEquals(
        java.util.Optional.of(fromCarol),
        OfflinePush.latestFrom(List.of(fromCarol, fromBob), java.util.Set.of(BOB)));
    assertEquals(
        java.util.Optional.empty(),
        OfflinePush.latestFrom(List.of(fromBob), java.util.Set.of(BOB)));
    assertEquals(
        java.util.Optional.of(fromBob),
        OfflinePush.latestFrom(List.of(fromCarol, fromBob), java.util.Set.of()));
    assertEquals(
        List.of(fromCarol),
        OfflinePush.notFrom(List.of(fromCarol, fromBob), java.util.Set.of(BOB)));
  }
}
