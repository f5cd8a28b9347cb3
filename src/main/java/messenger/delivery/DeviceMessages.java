package messenger.delivery;

import java.util.function.Function;

/**
 * Dispatch over {@link UserInbox.DeviceMessage} with a branch for each kind and no default: an
 * unknown kind fails loudly, and {@code DeviceMessagesTest} walks the permitted subclasses so that
 * a new kind fails a test until it has its branch here.
 */
final class DeviceMessages {

  private DeviceMessages() {}

  static <T> T match(
      UserInbox.DeviceMessage message,
      Function<UserInbox.Deliver, T> deliver,
      Function<UserInbox.Replaced, T> replaced,
      Function<UserInbox.Ephemeral, T> ephemeral,
      Function<UserInbox.Revoked, T> revoked) {
    if (message instanceof UserInbox.Deliver d) return deliver.apply(d);
    if (message instanceof UserInbox.Replaced r) return replaced.apply(r);
    if (message instanceof UserInbox.Ephemeral e) return ephemeral.apply(e);
    if (message instanceof UserInbox.Revoked r) return revoked.apply(r);
    throw new IllegalStateException("no branch for inbox message " + message);
  }
}
