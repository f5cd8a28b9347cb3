package messenger.chat;

import akka.persistence.typed.javadsl.ReplyEffect;
import messenger.chat.Conversation.Event;
import messenger.chat.Conversation.MemberReceipt;
import messenger.chat.Conversation.Open;
import messenger.chat.Conversation.PresenceOf;
import messenger.chat.Conversation.State;
import messenger.chat.Conversation.Typing;

/**
 * {@link Conversation}'s handlers for what members tell each other and it never stores: typing,
 * receipts and presence, passed on by its {@link NoticeRelay}. Nobody waits on an answer; only a
 * non-member's typing is refused, to whoever asked to hear of it.
 */
final class ConversationNotices {

  private final ConversationReplies replies;
  private final ConversationRules rules;
  private final NoticeRelay relay;

  ConversationNotices(
      String conversationId,
      ChatSettings settings,
      MemberInboxes inboxes,
      ConversationReplies replies,
      ConversationRules rules) {
    this.replies = replies;
    this.rules = rules;
    this.relay =
        new NoticeRelay(
            conversationId, inboxes, settings.typingInterval(), settings.presenceMaxGroup());
  }

  ReplyEffect<Event, State> onTyping(Open state, Typing cmd) {
    return replies.noReply(
        () ->
            rules
                .member(state.roster(), cmd.userId())
                .ifPresentOrElse(
                    code -> replies.tellRefusal(cmd.refusedTo(), code),
                    () -> relay.typing(state.roster(), cmd.userId(), System.nanoTime())));
  }

  /** Receipts and presence come one per member, so in bulk through the lane: no effect each. */
  void onMemberReceipt(Open state, MemberReceipt cmd) {
    relay.receipt(state.roster(), cmd.receipt());
  }

  void onPresenceOf(Open state, PresenceOf cmd) {
    relay.presence(state.roster(), cmd.presence());
  }

  /** At the tick: the receipts gathered since the last one go out. */
  void flush(Open state) {
    relay.flush(state.roster());
  }
}
