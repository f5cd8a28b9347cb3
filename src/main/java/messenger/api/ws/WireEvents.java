package messenger.api.ws;

import messenger.ErrorCode;

/** What the WebSocket edge reports for metrics. Implementations must be cheap and thread-safe. */
public interface WireEvents {

  WireEvents NONE =
      new WireEvents() {
        @Override
        public void refused(ErrorCode reason) {}

        @Override
        public void frameIn() {}

        @Override
        public void frameOut(long[] liveTimestamps) {}
      };

  /** A WebSocket upgrade was refused before a connection opened. */
  void refused(ErrorCode reason);

  void frameIn();

  /**
   * A frame left the outgoing queue for the socket.
   *
   * @param liveTimestamps the server timestamps (epoch millis) of the live messages it carries,
   *     from which delivery latency is measured; empty for other frames and for catch-up
   */
  void frameOut(long[] liveTimestamps);
}
