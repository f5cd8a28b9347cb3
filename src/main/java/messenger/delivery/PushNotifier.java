package messenger.delivery;

import messenger.push.Notification;
import messenger.push.PushSubscription;

/** Where an inbox hands notifications for its devices that are not connected. Never blocks. */
@FunctionalInterface
public interface PushNotifier {

  PushNotifier NONE = (userId, deviceId, subscription, notification) -> {};

  void notify(
      String userId, String deviceId, PushSubscription subscription, Notification notification);
}
