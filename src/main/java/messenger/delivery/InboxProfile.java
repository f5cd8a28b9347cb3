package messenger.delivery;

import akka.pattern.StatusReply;
import akka.persistence.typed.javadsl.EffectFactories;
import akka.persistence.typed.javadsl.ReplyEffect;
import java.time.Instant;
import messenger.ErrorCode;
import messenger.delivery.UserInbox.ChangeDisplayName;
import messenger.delivery.UserInbox.DisplayNameChanged;
import messenger.delivery.UserInbox.Event;
import messenger.delivery.UserInbox.GetProfile;
import messenger.delivery.UserInbox.Profile;
import messenger.delivery.UserInbox.Register;
import messenger.delivery.UserInbox.State;
import messenger.delivery.UserInbox.UserRegistered;

/**
 * {@link UserInbox}'s handlers for the user's profile: the first registration wins, a repeat with
 * the same username is done without a write, another username is refused as taken.
 */
final class InboxProfile {

  private final String userId;
  private final EffectFactories<Event, State> effect;

  InboxProfile(String userId, EffectFactories<Event, State> effect) {
    this.userId = userId;
    this.effect = effect;
  }

  ReplyEffect<Event, State> onRegister(State state, Register cmd) {
    if (state.closed()) {
      return effect.reply(cmd.replyTo(), StatusReply.error(ErrorCode.NOT_FOUND.wire()));
    }
    if (state.registered()) {
      return state.username().equals(cmd.username())
          ? effect.reply(cmd.replyTo(), StatusReply.ack())
          : effect.reply(cmd.replyTo(), StatusReply.error(ErrorCode.USERNAME_TAKEN.wire()));
    }
    return effect
        .persist(new UserRegistered(userId, cmd.username(), cmd.displayName(), Instant.now()))
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  ReplyEffect<Event, State> onChangeDisplayName(State state, ChangeDisplayName cmd) {
    if (!state.registered()) {
      return effect.reply(cmd.replyTo(), StatusReply.error(ErrorCode.NOT_FOUND.wire()));
    }
    if (state.displayName().equals(cmd.displayName())) {
      return effect.reply(cmd.replyTo(), StatusReply.ack());
    }
    return effect
        .persist(new DisplayNameChanged(userId, cmd.displayName()))
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  ReplyEffect<Event, State> onGetProfile(State state, GetProfile cmd) {
    var profile =
        new Profile(
            userId, state.username(), state.displayName(), state.registered(), state.closed());
    return effect.reply(cmd.replyTo(), profile);
  }
}
