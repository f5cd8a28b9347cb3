package messenger.delivery;

import akka.persistence.typed.javadsl.EffectFactories;
import akka.persistence.typed.javadsl.ReplyEffect;
import java.time.Instant;
import java.util.List;
import messenger.chat.ConversationType;
import messenger.delivery.UserInbox.CloseUser;
import messenger.delivery.UserInbox.ClosedUser;
import messenger.delivery.UserInbox.Event;
import messenger.delivery.UserInbox.State;
import messenger.delivery.UserInbox.UserClosed;

/**
 * {@link UserInbox}'s handler for the user closing their account: everything personal is dropped at
 * once (one event), the connections still open are ended, and the groups the user is still in are
 * named for the closure to leave.
 */
final class InboxClosure {

  private final String userId;
  private final EffectFactories<Event, State> effect;
  private final InboxHeads heads;
  private final InboxDevices devices;

  InboxClosure(
      String userId, EffectFactories<Event, State> effect, InboxHeads heads, InboxDevices devices) {
    this.userId = userId;
    this.effect = effect;
    this.heads = heads;
    this.devices = devices;
  }

  ReplyEffect<Event, State> onCloseUser(State state, CloseUser cmd) {
    if (state.closed()) return effect.reply(cmd.replyTo(), new ClosedUser(groups()));
    return effect
        .persist(new UserClosed(userId, Instant.now()))
        .thenRun(s -> devices.tellAll(DeviceMessage.Revoked.everyToken()))
        .thenReply(cmd.replyTo(), s -> new ClosedUser(groups()));
  }

  /** The groups the user is a member of now. */
  private List<String> groups() {
    return heads.all().stream()
        .filter(s -> s.info().type() == ConversationType.GROUP && !s.left())
        .map(s -> s.info().conversationId())
        .sorted()
        .toList();
  }
}
