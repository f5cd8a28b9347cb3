package messenger.delivery;

import akka.Done;
import akka.persistence.typed.javadsl.EffectFactories;
import akka.persistence.typed.javadsl.ReplyEffect;
import messenger.delivery.UserInbox.Event;
import messenger.delivery.UserInbox.PushEndpointGone;
import messenger.delivery.UserInbox.PushRegistered;
import messenger.delivery.UserInbox.PushUnregistered;
import messenger.delivery.UserInbox.RegisterPush;
import messenger.delivery.UserInbox.State;
import messenger.delivery.UserInbox.UnregisterPush;

/**
 * {@link UserInbox}'s handlers for its devices' push endpoints, one per device: a registration
 * replaces the device's endpoint, repeating one persists nothing, and the push service's "gone"
 * removes an endpoint only while it is still the registered one.
 */
final class InboxPushEndpoints {

  private final String userId;
  private final EffectFactories<Event, State> effect;

  InboxPushEndpoints(String userId, EffectFactories<Event, State> effect) {
    this.userId = userId;
    this.effect = effect;
  }

  ReplyEffect<Event, State> onRegister(State state, RegisterPush cmd) {
    if (cmd.registration().equals(state.push().get(cmd.deviceId()))) {
      return effect.reply(cmd.replyTo(), Done.getInstance());
    }
    return effect
        .persist(new PushRegistered(userId, cmd.deviceId(), cmd.registration()))
        .thenReply(cmd.replyTo(), s -> Done.getInstance());
  }

  ReplyEffect<Event, State> onUnregister(State state, UnregisterPush cmd) {
    if (!state.push().containsKey(cmd.deviceId())) {
      return effect.reply(cmd.replyTo(), Done.getInstance());
    }
    return effect
        .persist(new PushUnregistered(userId, cmd.deviceId()))
        .thenReply(cmd.replyTo(), s -> Done.getInstance());
  }

  /** A late answer about an old endpoint never removes the device's newer one. */
  ReplyEffect<Event, State> onGone(State state, PushEndpointGone cmd) {
    PushRegistration current = state.push().get(cmd.deviceId());
    if (current == null || !current.subscription().endpoint().equals(cmd.endpoint())) {
      return effect.noReply();
    }
    return effect.persist(new PushUnregistered(userId, cmd.deviceId())).thenNoReply();
  }
}
