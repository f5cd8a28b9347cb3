package messenger.delivery;

import messenger.ErrorCode;

/** What the delivery path reports for metrics. Implementations must be cheap and thread-safe. */
public interface DeliveryEvents {

  DeliveryEvents NONE =
      new DeliveryEvents() {
        @Override
        public void refused(ErrorCode reason) {}

        @Override
        public void closed(ErrorCode reason) {}

        @Override
        public void caughtUp(long entries) {}
      };

  /** A connection was turned away before it attached (device limit). */
  void refused(ErrorCode reason);

  /** The server closed a connection for this reason (timeout, slow consumer, replaced, drain). */
  void closed(ErrorCode reason);

  /** A catch-up replay finished after emitting this many entries. */
  void caughtUp(long entries);
}
