package messenger.chat;

import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import akka.persistence.typed.javadsl.EffectFactories;
import akka.persistence.typed.javadsl.ReplyEffect;
import messenger.ErrorCode;
import messenger.chat.Conversation.Event;
import messenger.chat.Conversation.State;

/**
 * The shapes of a {@link Conversation}'s answers, shared by its handler classes. A refusal is its
 * code alone: the edge words it.
 */
final class ConversationReplies {

  private final String conversationId;
  private final EffectFactories<Event, State> effect;

  ConversationReplies(String conversationId, EffectFactories<Event, State> effect) {
    this.conversationId = conversationId;
    this.effect = effect;
  }

  <T> ReplyEffect<Event, State> refused(ActorRef<StatusReply<T>> replyTo, ErrorCode code) {
    return effect.reply(replyTo, StatusReply.error(code.wire()));
  }

  <T> ReplyEffect<Event, State> answer(ActorRef<StatusReply<T>> replyTo, T value) {
    return effect.reply(replyTo, StatusReply.success(value));
  }

  /** For commands nobody waits on: do it, answer nothing. */
  ReplyEffect<Event, State> noReply(Runnable action) {
    action.run();
    return effect.noReply();
  }

  /** Fire-and-forget commands are refused only to whoever asked to hear of it (may be null). */
  void tellRefusal(ActorRef<Refusal> refusedTo, ErrorCode code) {
    if (refusedTo != null) refusedTo.tell(new Refusal(conversationId, code));
  }
}
