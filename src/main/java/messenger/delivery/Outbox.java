package messenger.delivery;

/** A {@link Session}'s way to its transport's outgoing side. Nothing here may block. */
public interface Outbox {
  /** False if the buffer is full; the frame was not taken. */
  boolean offer(Outbound out);

  /** Whether the buffer is at most half full, so a replay may go on. */
  boolean hasRoom();

  /**
   * Whether the connection is over (closed by either side), so offers fail for that reason and not
   * for want of room.
   */
  boolean isClosed();

  /** Runs {@code callback} once, as soon as {@link #hasRoom()} (now, if it already does). */
  void whenRoom(Runnable callback);

  /** Close after what is buffered has been written. */
  void close();

  /** Close now, dropping what is buffered. */
  void abort();
}
