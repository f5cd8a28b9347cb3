package messenger.chat;

import akka.persistence.typed.javadsl.ReplyEffect;
import java.time.Duration;
import messenger.chat.Conversation.Event;
import messenger.chat.Conversation.Loaded;
import messenger.chat.Conversation.MemberReceipt;
import messenger.chat.Conversation.Open;
import messenger.chat.Conversation.PerMember;
import messenger.chat.Conversation.PresenceOf;
import messenger.chat.Conversation.State;
import messenger.chat.Conversation.WrappedProgress;
import messenger.storage.UnstashedCommands;

/**
 * {@link Conversation}'s handlers for what it sends itself, but for the group commit's flush: what
 * came per member past the stash ({@link PerMember}: the inboxes' answers to fan-out and the log
 * reads fan-out asked for, both handed to the {@link FanoutDriver}; receipts and presence, handed
 * to {@link ConversationNotices}), and the tick. At each tick unanswered fan-out goes again, the
 * gathered receipts go out, and a conversation that was asked nothing for {@code idle-passivation}
 * and whose members' inboxes all hold its whole log asks to be passivated.
 */
final class ConversationUpkeep {

  private final ConversationReplies replies;
  private final FanoutDriver fanout;
  private final ConversationNotices notices;
  private final ConversationWrites writes;
  private final UnstashedCommands<PerMember> lane;
  private final Duration idlePassivation;
  private final Runnable passivate;

  ConversationUpkeep(
      ConversationReplies replies,
      FanoutDriver fanout,
      ConversationNotices notices,
      ConversationWrites writes,
      UnstashedCommands<PerMember> lane,
      Duration idlePassivation,
      Runnable passivate) {
    this.replies = replies;
    this.fanout = fanout;
    this.notices = notices;
    this.writes = writes;
    this.lane = lane;
    this.idlePassivation = idlePassivation;
    this.passivate = passivate;
  }

  /** Everything that waits in the lane, in the order it came, against the state as it is now. */
  ReplyEffect<Event, State> onPerMember(State state) {
    return replies.noReply(() -> drainLane(state));
  }

  private void drainLane(State state) {
    lane.drain(cmd -> cmd.handleIn(state, this));
  }

  void progress(State state, WrappedProgress wrapped) {
    fanout.progress(wrapped.progress(), state);
  }

  void loaded(State state, Loaded loaded) {
    fanout.loaded(state, loaded);
  }

  /** A conversation that does not exist has nobody to pass receipts or presence on to. */
  void receipt(State state, MemberReceipt cmd) {
    if (state instanceof Open open) notices.onMemberReceipt(open, cmd);
  }

  void presence(State state, PresenceOf cmd) {
    if (state instanceof Open open) notices.onPresenceOf(open, cmd);
  }

  ReplyEffect<Event, State> onTick(State state) {
    return replies.noReply(
        () -> {
          // Also here in case a full stash dropped the lane's wake-up.
          drainLane(state);
          long now = System.nanoTime();
          fanout.tick(state, now);
          if (state instanceof Open open) notices.flush(open);
          long lastSeq = state instanceof Open open ? open.lastSeq() : 0;
          if (writes.quietFor(idlePassivation, now) && fanout.caughtUp(lastSeq)) passivate.run();
        });
  }
}
