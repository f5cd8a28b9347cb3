package messenger.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import messenger.ErrorCode;
import org.junit.jupiter.api.Test;

class AmendmentRulesTest {

  private static final Instant SENT = Instant.parse("2026-12-07T10:00:00Z");
  private static final String UP = "\uD83D\uDC4D";
  private static final AmendmentRules RULES = new AmendmentRules(Duration.ofHours(48), List.of(UP));

  private static ChatMessage message() {
    return new ChatMessage("g-1", 3, "id-3", "alice", "hi", SENT);
  }

  private static Optional<ErrorCode> check(String user, Amendment a, ChatMessage target) {
    return RULES.check(user, a, target, SENT.plus(Duration.ofHours(1)));
  }

  @Test
  void theSenderEditsWithinTheWindowAndNotAfter() {
    assertEquals(Optional.empty(), check("alice", Amendment.edit(3, "x"), message()));
    assertEquals(
        Optional.of(ErrorCode.EDIT_WINDOW_PASSED),
        RULES.check("alice", Amendment.edit(3, "x"), message(), SENT.plus(Duration.ofHours(49))));
  }

  @Test
  void nobodyElseEditsButAnyoneMayAskToDeleteForTheConversationToDecide() {
    assertEquals(
        Optional.of(ErrorCode.NOT_SENDER), check("bob", Amendment.edit(3, "x"), message()));
    // Whether bob is an admin is the conversation's to say.
    assertEquals(Optional.empty(), check("bob", Amendment.delete(3), message()));
  }

  @Test
  void onlyAllowedEmojiAreReactions() {
    assertEquals(Optional.empty(), check("bob", Amendment.reaction(3, UP, true), message()));
    assertEquals(
        Optional.of(ErrorCode.REACTION_NOT_ALLOWED),
        check("bob", Amendment.reaction(3, "\uD83E\uDD84", true), message()));
  }

  @Test
  void systemEntriesAmendmentsTombstonesAndUnseenMessagesCannotBeChanged() {
    var rename = new ChatMessage("g-1", 4, "id-4", "alice", "", SENT, SystemChange.renamed("t"));
    var edit =
        new ChatMessage(
            "g-1", 5, "id-5", "alice", "", SENT, null, List.of(), Amendment.edit(3, "x"), null);
    var deleted = message().revised(new Revision(null, SENT, Map.of()), null);
    for (Amendment a :
        List.of(Amendment.edit(3, "x"), Amendment.delete(3), Amendment.reaction(3, UP, true))) {
      assertEquals(Optional.of(ErrorCode.NOT_A_MESSAGE), check("alice", a, rename));
      assertEquals(Optional.of(ErrorCode.NOT_A_MESSAGE), check("alice", a, edit));
      assertEquals(Optional.of(ErrorCode.MESSAGE_DELETED), check("alice", a, deleted));
      assertEquals(Optional.of(ErrorCode.NOT_FOUND), check("alice", a, null));
    }
  }

  @Test
  void aDeletedMessageKeepsNoTextFilesOrReactionsAndAnEditedOneShowsTheLatestText() {
    var withFile =
        new ChatMessage(
            "g-1",
            3,
            "id-3",
            "alice",
            "secret",
            SENT,
            null,
            List.of(new Attachment("u", "image/png", 1, "a.png", null, null, null)));
    var deleted =
        withFile.revised(new Revision(SENT, SENT, Map.of(UP, List.of("bob"))), "edited secret");
    assertEquals("", deleted.body());
    assertEquals(List.of(), deleted.attachments());
    assertEquals(Map.of(), deleted.later().reactions());
    assertEquals(null, deleted.later().editedAt());

    var edited = withFile.revised(new Revision(SENT, null, Map.of()), "edited");
    assertEquals("edited", edited.body());
    assertEquals(1, edited.attachments().size());
    assertEquals(SENT, edited.later().editedAt());
    assertEquals("", withFile.redacted().body());
    assertEquals(List.of(), withFile.redacted().attachments());
  }

  @Test
  void historyRevisesOnlyMessagesAndOnlyThoseThatChanged() {
    var first = new ChatMessage("g-1", 1, "id-1", "alice", "one", SENT);
    var second = new ChatMessage("g-1", 2, "id-2", "alice", "two", SENT);
    var changes =
        Map.of(2L, new MessageChanges.Current("two!", new Revision(SENT, null, Map.of())));
    List<ChatMessage> served = AmendedConversationLog.revised(List.of(first, second), changes);
    assertEquals(first, served.get(0));
    assertEquals("two!", served.get(1).body());
    assertEquals(SENT, served.get(1).later().editedAt());
  }
}
