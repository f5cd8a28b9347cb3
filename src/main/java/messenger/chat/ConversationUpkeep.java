package messenger.chat;

import akka.persistence.typed.javadsl.ReplyEffect;
import java.time.Duration;
import messenger.chat.Conversation.Event;
import messenger.chat.Conversation.Loaded;
import messenger.chat.Conversation.Open;
import messenger.chat.Conversation.State;
import messenger.chat.Conversation.WrappedProgress;

/**
 * {@link Conversation}'s handlers for what it sends itself, but for the group commit's flush: the
 * inboxes' answers to fan-out and the log reads fan-out asked for, both handed to the {@link
 * FanoutDriver}, and the tick. At each tick unanswered fan-out goes again, the gathered receipts go
 * out, and a conversation that was asked nothing for {@code idle-passivation} and whose members'
 * inboxes all hold its whole log asks to be passivated.
 */
final class ConversationUpkeep {

  private final ConversationReplies replies;
  private final FanoutDriver fanout;
  private final ConversationNotices notices;
  private final ConversationWrites writes;
  private final Duration idlePassivation;
  private final Runnable passivate;

  ConversationUpkeep(
      ConversationReplies replies,
      FanoutDriver fanout,
      ConversationNotices notices,
      ConversationWrites writes,
      Duration idlePassivation,
      Runnable passivate) {
    this.replies = replies;
    this.fanout = fanout;
    this.notices = notices;
    this.writes = writes;
    this.idlePassivation = idlePassivation;
    this.passivate = passivate;
  }

  ReplyEffect<Event, State> onProgress(State state, WrappedProgress wrapped) {
    return replies.noReply(() -> fanout.progress(wrapped.progress(), state));
  }

  ReplyEffect<Event, State> onLoaded(Loaded loaded) {
    return replies.noReply(() -> fanout.loaded(loaded));
  }

  ReplyEffect<Event, State> onTick(State state) {
    return replies.noReply(
        () -> {
          long now = System.nanoTime();
          fanout.tick(state, now);
          if (state instanceof Open open) notices.flush(open);
          long lastSeq = state instanceof Open open ? open.lastSeq() : 0;
          if (writes.quietFor(idlePassivation, now) && fanout.caughtUp(lastSeq)) passivate.run();
        });
  }
}
