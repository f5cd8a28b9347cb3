package messenger.push;

/**
 * What the dispatcher counts, for metrics. Called on the dispatcher's thread: must not block. Every
 * method defaults to doing nothing.
 */
public interface PushEvents {
  PushEvents NONE = new PushEvents() {};

  /** A push service accepted a notification. */
  default void sent() {}

  /** A notification was refused (4xx other than 404/410) or could not be built; not retried. */
  default void failed() {}

  /** A notification was given up after its last attempt, or pushed out of a full queue. */
  default void dropped() {}

  /** An attempt failed and another is scheduled. */
  default void retried() {}

  /** A push service said the subscription is gone (404/410). */
  default void gone() {}
}
