package messenger.delivery;

import akka.Done;
import akka.persistence.typed.javadsl.EffectFactories;
import akka.persistence.typed.javadsl.ReplyEffect;
import messenger.delivery.UserInbox.BlockingChanged;
import messenger.delivery.UserInbox.Event;
import messenger.delivery.UserInbox.SetBlocking;
import messenger.delivery.UserInbox.State;

/**
 * {@link UserInbox}'s handler for the users the user blocks: written, so that it holds across
 * restarts without asking anyone per delivered item; then the summaries ({@link InboxHeads}: not
 * unread) and every live connection ({@link DeviceMessage.Blocking}: flagged) hear of it before the
 * block service is answered. Relayed notices and pushes read it from the state.
 */
final class InboxBlocks {

  private final String userId;
  private final EffectFactories<Event, State> effect;
  private final InboxHeads heads;
  private final InboxDevices devices;

  InboxBlocks(
      String userId, EffectFactories<Event, State> effect, InboxHeads heads, InboxDevices devices) {
    this.userId = userId;
    this.effect = effect;
    this.heads = heads;
    this.devices = devices;
  }

  void recovered(State state) {
    heads.blocking(state.blocked());
  }

  /** Idempotent: a retry of a change already written is answered at once. */
  ReplyEffect<Event, State> onSetBlocking(State state, SetBlocking cmd) {
    if (state.blocked().contains(cmd.otherId()) == cmd.blocked()) {
      return effect.reply(cmd.replyTo(), Done.getInstance());
    }
    return effect
        .persist(new BlockingChanged(userId, cmd.otherId(), cmd.blocked()))
        .thenRun(
            s -> {
              heads.blocking(s.blocked());
              devices.tellAll(new DeviceMessage.Blocking(s.blocked()));
            })
        .thenReply(cmd.replyTo(), s -> Done.getInstance());
  }
}
