package messenger.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import messenger.chat.Amendment;
import messenger.chat.Attachment;
import messenger.chat.ChatMessage;
import messenger.chat.ConversationInfo;
import messenger.chat.ConversationType;
import messenger.chat.SystemChange;
import org.junit.jupiter.api.Test;

/**
 * A conversation as its member's inbox sees it: what of a delivery it takes, how it counts unread,
 * and where a device stands in it.
 */
class ConversationSummaryTest {

  private static final String ME = "me";
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  private static final ConversationInfo DIRECT =
      new ConversationInfo("c-1", ConversationType.DIRECT, List.of(ME, "bob"), T0);
  private static final ConversationInfo GROUP =
      new ConversationInfo("g-1", ConversationType.GROUP, List.of(), T0, "climbing");

  /** Joined from seq 4 on: the inbox holds everything up to 3. */
  private static final ConversationSummary HOLDS_THREE = ConversationSummary.joined(DIRECT, 4);

  private static List<ChatMessage> seqs(long... seqs) {
    return LongStream.of(seqs).mapToObj(seq -> text(seq, "bob")).toList();
  }

  private static ChatMessage text(long seq, String sender) {
    return new ChatMessage("g-1", seq, "m-" + seq, sender, "body " + seq, T0.plusSeconds(seq));
  }

  private static ChatMessage change(long seq, SystemChange change) {
    return new ChatMessage("g-1", seq, "m-" + seq, "bob", "", T0.plusSeconds(seq), change);
  }

  private static List<Long> seqsOf(List<ChatMessage> messages) {
    return messages.stream().map(ChatMessage::seq).toList();
  }

  // ---- what of a delivery is taken ----

  @Test
  void redeliveriesAreDroppedAndTheNewPartKept() {
    assertEquals(
        List.of(4L, 5L),
        seqsOf(ConversationSummary.following(HOLDS_THREE.lastSeq(), seqs(2, 3, 4, 5))));
  }

  @Test
  void aGapEndsTheRun() {
    assertEquals(
        List.of(4L), seqsOf(ConversationSummary.following(HOLDS_THREE.lastSeq(), seqs(4, 6, 7))));
    assertEquals(
        List.of(), seqsOf(ConversationSummary.following(HOLDS_THREE.lastSeq(), seqs(5, 6))));
  }

  @Test
  void whatIsHeldAlreadyIsNothingNew() {
    assertEquals(
        List.of(), seqsOf(ConversationSummary.following(HOLDS_THREE.lastSeq(), seqs(1, 2, 3))));
  }

  // ---- preview ----

  @Test
  void aMessageOfFilesOnlyIsPreviewedByItsFirstFilesNameAndTextWinsOverFiles() {
    var cat = new Attachment("a-1", "image/png", 5, "cat.png", null, null, null);
    var dog = new Attachment("a-2", "image/png", 5, "dog.png", null, null, null);
    ChatMessage files = new ChatMessage("g-1", 1, "m-1", "bob", "", T0, null, List.of(cat, dog));
    ChatMessage oneFile = new ChatMessage("g-1", 2, "m-2", "bob", "", T0, null, List.of(cat));
    ChatMessage captioned = new ChatMessage("g-1", 3, "m-3", "bob", "look", T0, null, List.of(cat));

    var summary = ConversationSummary.joined(GROUP, 1);
    assertEquals("\uD83D\uDCCE cat.png (+1)", summary.append(ME, files).last().preview());
    assertEquals("\uD83D\uDCCE cat.png", oneFile.previewText());
    assertEquals("look", captioned.previewText());
  }

  // ---- unread ----

  @Test
  void unreadCountsOthersMessagesNotSystemChangesAndAnOwnMessageReadsAll() {
    var summary =
        ConversationSummary.joined(GROUP, 1)
            .appendAll(
                ME, List.of(text(1, "bob"), change(2, SystemChange.renamed("x")), text(3, "bob")));
    assertEquals(2, summary.unread());

    var posted = summary.append(ME, text(4, ME));
    assertEquals(0, posted.unread());
    assertEquals(4, posted.readSeq());
  }

  @Test
  void aReadMarkerInTheMiddleCountsExactlyWhatFollowsItAmongSystemChanges() {
    var summary =
        ConversationSummary.joined(GROUP, 1)
            .appendAll(
                ME,
                List.of(
                    text(1, "bob"),
                    change(2, SystemChange.renamed("x")),
                    change(3, SystemChange.added("carol")),
                    text(4, "carol"),
                    change(5, SystemChange.renamed("y")),
                    text(6, "bob")));
    assertEquals(3, summary.unread());

    assertEquals(2, summary.readUpTo(1).unread(), "4 and 6");
    assertEquals(2, summary.readUpTo(3).unread(), "4 and 6");
    assertEquals(1, summary.readUpTo(4).unread(), "6");
    assertEquals(1, summary.readUpTo(5).unread(), "6");
    assertEquals(0, summary.readUpTo(6).unread());
    assertEquals(1, summary.readUpTo(2).readUpTo(4).unread(), "markers moved twice count the same");
  }

  @Test
  void messagesAtOrBelowAReadMarkerWrittenAheadOfTheSummaryAreNotUnread() {
    // The marker was written at once, the summary that had heard of 2 and 3 was not.
    var summary = ConversationSummary.joined(GROUP, 1).readUpTo(3);

    var caughtUp =
        summary.appendAll(
            ME, List.of(text(1, "bob"), change(2, SystemChange.renamed("x")), text(3, "bob")));
    assertEquals(0, caughtUp.unread());
    assertEquals(1, caughtUp.append(ME, text(4, "bob")).unread());
    assertEquals(0, caughtUp.append(ME, text(4, "bob")).readUpTo(4).unread());
  }

  // ---- membership ----

  @Test
  void beingRemovedLeavesTheGroupAndBeingAddedAgainEndsThat() {
    var removed =
        ConversationSummary.joined(GROUP, 1)
            .appendAll(ME, List.of(text(1, "bob"), change(2, SystemChange.removed(ME))));
    assertTrue(removed.left());

    var rejoined = removed.rejoined(GROUP, 3);
    assertFalse(rejoined.left());
    assertEquals(2, rejoined.lastSeq());
    assertEquals(3, rejoined.joinedFrom());
  }

  // ---- where a device stands ----

  @Test
  void aDeviceWithoutAPositionStandsAtTheJoinPoint() {
    var later = ConversationSummary.joined(GROUP, 7).appendAll(ME, List.of(text(7, "bob")));

    assertEquals(6, later.positionWithout(0));
    assertEquals(6, later.visibleAfter(later.positionWithout(0)));
    assertEquals(6, later.visibleAfter(2), "a position before the join point is floored");
    assertEquals(7, later.visibleAfter(7));
    assertEquals(7, later.visibleAfter(99), "never past the head");
  }

  @Test
  void aDeviceWithoutAPositionHoldsWhatItsCursorCoveredInTheInboxJournalOfBefore() {
    var summary =
        ConversationSummary.joined(DIRECT, 1)
            .appendedAt(ME, 4, text(1, "bob"))
            .appendedAt(ME, 6, text(2, "bob"));

    assertEquals(2, summary.positionWithout(6));
    assertEquals(2, summary.positionWithout(9));
    assertEquals(0, summary.positionWithout(5), "the last entry, cursor 6, is not covered");
  }

  // ---- amendments ----

  private static ChatMessage amendment(long seq, String sender, Amendment amendment) {
    return new ChatMessage(
        "g-1", seq, "m-" + seq, sender, "", T0.plusSeconds(seq), null, List.of(), amendment, null);
  }

  @Test
  void editsDeletionsAndReactionsAreNeverUnreadAndAReadMarkerPastThemCountsExactly() {
    var summary =
        ConversationSummary.joined(GROUP, 1)
            .appendAll(
                ME,
                List.of(
                    text(1, "bob"),
                    amendment(2, "bob", Amendment.reaction(1, "x", true)),
                    amendment(3, "bob", Amendment.edit(1, "body 1!")),
                    text(4, "bob")));
    assertEquals(2, summary.unread());
    assertEquals(1, summary.readUpTo(3).unread(), "only seq 4 is after the marker");
  }

  @Test
  void anEditOfTheLastMessageShowsTheNewTextAndItsDeletionNoneOfIt() {
    var summary = ConversationSummary.joined(GROUP, 1).appendAll(ME, List.of(text(1, "bob")));
    var edited = summary.append(ME, amendment(2, "bob", Amendment.edit(1, "new words")));
    assertEquals("new words", edited.last().preview());
    assertEquals(1, edited.last().seq());
    var deleted = edited.append(ME, amendment(3, "bob", Amendment.delete(1)));
    assertEquals(ConversationSummary.DELETED, deleted.last().preview());
    var older =
        deleted.append(ME, text(4, "bob")).append(ME, amendment(5, "bob", Amendment.delete(1)));
    assertEquals("body 4", older.last().preview(), "a deletion of an older message");
  }

  // ---- messages of users the member blocks ----

  @Test
  void aMessageFromABlockedUserIsNeitherUnreadNorTheLastMessageAndReadMarkersStillCountExactly() {
    ConversationSummary group = ConversationSummary.joined(GROUP, 1);
    group = group.append(ME, text(1, "carol"), false);
    group = group.append(ME, text(2, "bob"), true);
    group = group.append(ME, text(3, "carol"), false);

    assertEquals(2, group.unread());
    assertEquals(3, group.last().seq());
    group = group.append(ME, text(4, "bob"), true);
    assertEquals(3, group.last().seq(), "bob's message does not show as the last");
    assertEquals(2, group.unread());
    assertEquals(1, group.readUpTo(2).unread(), "carol's 3 is left after reading to 2");
    assertEquals(0, group.readUpTo(3).unread());
  }
}
