package messenger.delivery;

import messenger.CborSerializable;
import messenger.push.PushSubscription;

/**
 * A device's push endpoint.
 *
 * @param previews whether its notifications may carry message text; off keeps the text away from
 *     the push service and the lock screen
 */
public record PushRegistration(PushSubscription subscription, boolean previews)
    implements CborSerializable {}
