package messenger.delivery;

import akka.pattern.StatusReply;
import akka.persistence.typed.javadsl.EffectFactories;
import akka.persistence.typed.javadsl.ReplyEffect;
import java.util.Comparator;
import java.util.List;
import messenger.ErrorCode;
import messenger.chat.Notice;
import messenger.chat.Refusal;
import messenger.delivery.UserInbox.ConversationMuted;
import messenger.delivery.UserInbox.ConversationRead;
import messenger.delivery.UserInbox.Conversations;
import messenger.delivery.UserInbox.Event;
import messenger.delivery.UserInbox.ListConversations;
import messenger.delivery.UserInbox.MarkRead;
import messenger.delivery.UserInbox.SetMuted;
import messenger.delivery.UserInbox.State;

/**
 * {@link UserInbox}'s handlers for the user's view of each conversation: the list (most recent
 * activity first), muting, and the read marker, which only moves forward and is passed on to the
 * conversation as a receipt. A conversation the inbox does not know is one the user is not in.
 */
final class InboxConversations {

  private final String userId;
  private final EffectFactories<Event, State> effect;
  private final InboxSignals signals;
  private final InboxHeads heads;

  InboxConversations(
      String userId, EffectFactories<Event, State> effect, InboxSignals signals, InboxHeads heads) {
    this.userId = userId;
    this.effect = effect;
    this.signals = signals;
    this.heads = heads;
  }

  ReplyEffect<Event, State> onList(State state, ListConversations cmd) {
    List<ConversationSummary> list =
        heads.all().stream()
            .sorted(Comparator.comparing(ConversationSummary::lastActivity).reversed())
            .toList();
    return effect.reply(cmd.replyTo(), new Conversations(list));
  }

  ReplyEffect<Event, State> onSetMuted(State state, SetMuted cmd) {
    ConversationSummary known = heads.get(cmd.conversationId());
    if (known == null) {
      // Not in it, whether or not it exists: the inbox cannot tell, nor need the caller know.
      return effect.reply(cmd.replyTo(), StatusReply.error(ErrorCode.NOT_MEMBER.wire()));
    }
    if (known.muted() == cmd.muted()) return effect.reply(cmd.replyTo(), StatusReply.ack());
    return effect
        .persist(new ConversationMuted(userId, cmd.conversationId(), cmd.muted()))
        .thenRun(s -> heads.change(cmd.conversationId(), summary -> summary.muted(cmd.muted())))
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  ReplyEffect<Event, State> onMarkRead(State state, MarkRead cmd) {
    ConversationSummary known = heads.get(cmd.conversationId());
    if (known == null) {
      if (cmd.refusedTo() != null) {
        cmd.refusedTo().tell(new Refusal(cmd.conversationId(), ErrorCode.NOT_MEMBER));
      }
      return effect.noReply();
    }
    long seq = Math.min(cmd.seq(), known.lastSeq());
    if (seq <= known.readSeq()) return effect.noReply();
    var receipt = new Notice.Receipt(cmd.conversationId(), userId, Notice.Kind.READ, seq);
    return effect
        .persist(new ConversationRead(userId, cmd.conversationId(), seq))
        .thenRun(
            s -> {
              heads.change(cmd.conversationId(), summary -> summary.readUpTo(seq));
              signals.receipt(receipt);
            })
        .thenNoReply();
  }
}
