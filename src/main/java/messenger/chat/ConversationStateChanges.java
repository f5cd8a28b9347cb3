package messenger.chat;

import java.util.ArrayList;
import java.util.List;
import messenger.chat.Conversation.ConversationCreated;
import messenger.chat.Conversation.MessagePosted;
import messenger.chat.Conversation.Open;
import messenger.chat.Conversation.Posted;

/**
 * How each {@link Conversation} event changes its state: pure functions, one per event, used by the
 * entity's event handler (and by tests that build states).
 */
final class ConversationStateChanges {

  private ConversationStateChanges() {}

  /** The conversation exists, with its founding members (a group's creator its first admin). */
  static Open founded(ConversationCreated created) {
    ConversationInfo info = created.info();
    boolean group = info.type() == ConversationType.GROUP;
    Roster roster = Roster.founded(info.members(), created.creatorId(), group);
    return new Open(info, 0, info.createdAt(), DedupWindow.empty(), roster, info.title());
  }

  private static boolean deletes(ChatMessage deletion, ChatMessage earlier) {
    Amendment a = deletion.amendment();
    Amendment e = earlier.amendment();
    return a.kind() == Amendment.Kind.DELETE
        && e.kind() == Amendment.Kind.EDIT
        && e.targetSeq() == a.targetSeq();
  }

  /**
   * The entry is now the last of the log; a client's retry of it within {@code dedupWindow} answers
   * gets the same answer, a membership or title change takes effect from its seq, and an amendment
   * is among the recent ones.
   */
  static Open posted(Open state, MessagePosted posted, int dedupWindow) {
    ChatMessage m = posted.message();
    DedupWindow sends = state.recentSends();
    if (posted.clientMsgId() != null) {
      sends =
          sends.with(
              m.senderId(),
              posted.clientMsgId(),
              new Posted(m.conversationId(), m.messageId(), m.seq(), m.timestamp()),
              dedupWindow);
    }
    Roster roster = m.isSystem() ? state.roster().apply(m.change(), m.seq()) : state.roster();
    String title =
        m.isSystem() && m.change().kind() == SystemChange.Kind.RENAMED
            ? m.change().title()
            : state.title();
    List<ChatMessage> amendments = state.recentAmendments();
    if (m.isAmendmentEntry()) {
      var kept = new ArrayList<ChatMessage>(amendments.size() + 1);
      // A deleted message's edits keep no text here either (the state is snapshotted).
      for (ChatMessage earlier : amendments)
        kept.add(deletes(m, earlier) ? earlier.redacted() : earlier);
      kept.add(m);
      if (kept.size() > Open.AMENDMENTS_KEPT) kept.remove(0);
      amendments = kept;
    }
    return new Open(state.info(), m.seq(), m.timestamp(), sends, roster, title, amendments);
  }
}
