package messenger.chat;

import akka.Done;
import akka.actor.typed.javadsl.ActorContext;
import akka.persistence.typed.javadsl.EffectFactories;
import akka.persistence.typed.javadsl.ReplyEffect;
import java.util.List;
import java.util.Optional;
import messenger.ErrorCode;
import messenger.chat.Conversation.BlocksAnswered;
import messenger.chat.Conversation.Command;
import messenger.chat.Conversation.Event;
import messenger.chat.Conversation.Open;
import messenger.chat.Conversation.Post;
import messenger.chat.Conversation.SetBlocked;
import messenger.chat.Conversation.State;

/**
 * {@link Conversation}'s handlers for blocks between the two members of a direct conversation
 * ({@link DirectBlocks}, in memory). The conversation's journal holds only its log (entry {@code n
 * + 1} is seq {@code n}), so the fact is not written there: the block lists are its durable source,
 * asked at the first post after a start (posts wait, stashed, for the answer), and every change
 * afterwards is told by the block service, which answers its client only once the conversation has
 * it. A group never asks: blocks do not stop posts there.
 */
final class ConversationBlocks {

  private final DirectBlockLookup lookup;
  private final EffectFactories<Event, State> effect;
  private final ActorContext<Command> context;
  private final DirectBlocks blocks;

  ConversationBlocks(
      DirectBlockLookup lookup,
      EffectFactories<Event, State> effect,
      ActorContext<Command> context) {
    this.lookup = lookup;
    this.effect = effect;
    this.context = context;
    this.blocks = new DirectBlocks(lookup == DirectBlockLookup.NONE);
  }

  /**
   * What stops {@code cmd} in {@code state}, if anything: a refusal ({@code blocked}), or waiting
   * (stashed) for the block lists' answer.
   */
  Optional<ReplyEffect<Event, State>> stops(Open state, Post cmd, ConversationReplies replies) {
    if (state.isGroup()) return Optional.empty();
    return switch (blocks.status()) {
      case KNOWN ->
          blocks.blocked()
              ? Optional.of(replies.refused(cmd.replyTo(), ErrorCode.BLOCKED))
              : Optional.empty();
      case ASKING -> Optional.of(effect.stash());
      case UNKNOWN -> {
        ask(state.info().members());
        yield Optional.of(effect.stash());
      }
    };
  }

  private void ask(List<String> members) {
    blocks.asking();
    context.pipeToSelf(
        lookup.between(members.get(0), members.get(1)),
        (facts, failure) ->
            failure == null
                ? new BlocksAnswered(facts, false)
                : new BlocksAnswered(List.of(), true));
  }

  ReplyEffect<Event, State> onSetBlocked(State state, SetBlocked cmd) {
    blocks.heard(new BlockFact(cmd.blockerId(), cmd.blocked(), cmd.version()));
    return effect.reply(cmd.replyTo(), Done.getInstance());
  }

  /**
   * The block lists answered: the waiting posts go on. If the question failed, they come back to
   * {@link #stops}, which asks again (each try bounded by the ask's timeout; their senders' own
   * asks may time out meanwhile and are answered {@code unavailable}).
   */
  ReplyEffect<Event, State> onAnswered(State state, BlocksAnswered answered) {
    if (answered.failed()) {
      context
          .getLog()
          .warn("Asking the block lists for {} failed", context.getSelf().path().name());
      blocks.askFailed();
    } else {
      blocks.answered(answered.facts());
    }
    return effect.noReply().thenUnstashAll();
  }
}
