package messenger.chat;

import akka.persistence.typed.javadsl.ReplyEffect;
import java.util.Optional;
import messenger.ErrorCode;
import messenger.chat.Conversation.Access;
import messenger.chat.Conversation.Create;
import messenger.chat.Conversation.Created;
import messenger.chat.Conversation.Details;
import messenger.chat.Conversation.Event;
import messenger.chat.Conversation.GetAccess;
import messenger.chat.Conversation.GetDetails;
import messenger.chat.Conversation.Open;
import messenger.chat.Conversation.State;

/**
 * {@link Conversation}'s handlers that only read an open conversation: opening it again (a direct
 * conversation is the same whoever opens it), a member's access (where their view of the log
 * starts) and the details with the roster.
 */
final class ConversationReads {

  private final ConversationReplies replies;
  private final ConversationRules rules;
  private final ConversationWrites writes;

  ConversationReads(
      ConversationReplies replies, ConversationRules rules, ConversationWrites writes) {
    this.replies = replies;
    this.rules = rules;
    this.writes = writes;
  }

  ReplyEffect<Event, State> onCreateExisting(Open state, Create cmd) {
    writes.touch();
    Optional<ErrorCode> refusal =
        rules.createExisting(state, cmd.type(), cmd.members(), cmd.creatorId());
    if (refusal.isPresent()) return replies.refused(cmd.replyTo(), refusal.get());
    return replies.answer(cmd.replyTo(), new Created(state.info(), true));
  }

  ReplyEffect<Event, State> onGetAccess(Open state, GetAccess cmd) {
    Optional<ErrorCode> refusal = rules.member(state.roster(), cmd.userId());
    if (refusal.isPresent()) return replies.refused(cmd.replyTo(), refusal.get());
    long visibleFrom = state.roster().joinedSeq(cmd.userId());
    return replies.answer(
        cmd.replyTo(), new Access(state.inboxInfo(), state.lastSeq(), visibleFrom));
  }

  ReplyEffect<Event, State> onGetDetails(Open state, GetDetails cmd) {
    Optional<ErrorCode> refusal = rules.member(state.roster(), cmd.userId());
    if (refusal.isPresent()) return replies.refused(cmd.replyTo(), refusal.get());
    var details = new Details(state.inboxInfo(), state.title(), state.lastSeq(), state.roster());
    return replies.answer(cmd.replyTo(), details);
  }
}
