package messenger.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How each event changes a conversation's state, on plain values: no actors, no journal. */
class ConversationStateChangesTest {

  private static final Instant CREATED = Instant.parse("2026-12-01T12:00:00Z");
  private static final int DEDUP_WINDOW = 100;

  private static Conversation.Open founded(ConversationType type, List<String> members) {
    String title = type == ConversationType.GROUP ? "climbing" : null;
    var info = new ConversationInfo("c-1", type, members, CREATED, title);
    return ConversationStateChanges.founded(new Conversation.ConversationCreated(info, "alice"));
  }

  private static Conversation.Open group() {
    return founded(ConversationType.GROUP, List.of("alice", "bob"));
  }

  private static Conversation.MessagePosted post(long seq, String sender, String clientMsgId) {
    var message =
        new ChatMessage("c-1", seq, "m" + seq, sender, "hi", CREATED.plusSeconds(seq), null);
    return new Conversation.MessagePosted(message, clientMsgId);
  }

  private static Conversation.MessagePosted change(long seq, SystemChange change) {
    var message = new ChatMessage("c-1", seq, "m" + seq, "alice", "", CREATED, change);
    return new Conversation.MessagePosted(message, null);
  }

  private static Conversation.Open posted(Conversation.Open state, Conversation.MessagePosted e) {
    return ConversationStateChanges.posted(state, e, DEDUP_WINDOW);
  }

  @Test
  void aFoundedConversationHasItsMembersFromSeqOneAndNothingPosted() {
    var open = founded(ConversationType.DIRECT, List.of("alice", "bob"));

    assertEquals(0, open.lastSeq());
    assertEquals(CREATED, open.lastTimestamp());
    assertEquals(0, open.recentSends().size());
    assertEquals(1, open.roster().joinedSeq("alice"));
    assertEquals(1, open.roster().joinedSeq("bob"));
    assertFalse(open.roster().isAdmin("alice"), "a direct conversation has no admin");
    assertNull(open.title());
  }

  @Test
  void aFoundedGroupHasItsCreatorAsAdminAndItsTitle() {
    var open = group();

    assertTrue(open.roster().isAdmin("alice"));
    assertFalse(open.roster().isAdmin("bob"));
    assertEquals("climbing", open.title());
  }

  @Test
  void aPostBecomesTheLastEntryAndItsAnswerIsRememberedForRetries() {
    var open = posted(group(), post(1, "bob", "retry-me"));

    assertEquals(1, open.lastSeq());
    assertEquals(CREATED.plusSeconds(1), open.lastTimestamp());
    assertEquals(
        new Conversation.Posted("c-1", "m1", 1, CREATED.plusSeconds(1)),
        open.previousAnswer("bob", "retry-me"));
    assertNull(open.previousAnswer("alice", "retry-me"), "the answer is the sender's");
  }

  @Test
  void aPostWithoutAClientMessageIdLeavesNothingToRetry() {
    var open = posted(group(), post(1, "bob", null));

    assertEquals(1, open.lastSeq());
    assertEquals(0, open.recentSends().size());
  }

  @Test
  void aMembershipChangeTakesEffectFromItsSeq() {
    var open = posted(posted(group(), post(1, "bob", "m")), change(2, SystemChange.added("carol")));

    assertEquals(2, open.lastSeq());
    assertEquals(2, open.roster().joinedSeq("carol"));

    var left = posted(open, change(3, SystemChange.left("alice")));

    assertFalse(left.roster().contains("alice"));
    assertTrue(left.roster().isAdmin("bob"), "the member who joined first is promoted");
  }

  @Test
  void aRenameChangesTheTitleAndOtherEntriesKeepIt() {
    var renamed = posted(group(), change(1, SystemChange.renamed("bouldering")));

    assertEquals("bouldering", renamed.title());
    assertEquals("bouldering", posted(renamed, post(2, "bob", "m")).title());
    assertEquals("climbing", renamed.info().title(), "the info stays as created");
  }
}
