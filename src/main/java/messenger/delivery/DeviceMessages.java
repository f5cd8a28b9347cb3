package messenger.delivery;

import java.util.function.Function;

/**
 * Dispatch over {@link DeviceMessage} with a branch for each kind and no default: an unknown kind
 * fails loudly, and {@code DeviceMessagesTest} walks the permitted subclasses so that a new kind
 * fails a test until it has its branch here.
 */
final class DeviceMessages {

  private DeviceMessages() {}

  static <T> T match(
      DeviceMessage message,
      Function<DeviceMessage.Deliver, T> deliver,
      Function<DeviceMessage.Replaced, T> replaced,
      Function<DeviceMessage.Ephemeral, T> ephemeral,
      Function<DeviceMessage.Revoked, T> revoked,
      Function<DeviceMessage.Blocking, T> blocking) {
    if (message instanceof DeviceMessage.Deliver d) return deliver.apply(d);
    if (message instanceof DeviceMessage.Replaced r) return replaced.apply(r);
    if (message instanceof DeviceMessage.Ephemeral e) return ephemeral.apply(e);
    if (message instanceof DeviceMessage.Revoked r) return revoked.apply(r);
    if (message instanceof DeviceMessage.Blocking b) return blocking.apply(b);
    throw new IllegalStateException("no branch for inbox message " + message);
  }
}
