package messenger.push;

/**
 * Told when a push service says a subscription no longer exists (404/410), so that whoever stores
 * subscriptions forgets it. It is called on the dispatcher's thread: it must return quickly (tell
 * an actor, do not wait). It may be called again for the same endpoint if pushes to it were already
 * on their way, so removing must be idempotent.
 */
@FunctionalInterface
public interface EndpointGone {
  EndpointGone IGNORE = (userId, deviceId, endpoint) -> {};

  void gone(String userId, String deviceId, String endpoint);
}
