package messenger.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The frames a {@link WsClient} has received and not yet taken, in arrival order. The socket's
 * listener adds while test threads take, and a reader may take the first frame of one kind and
 * leave the others where they are, so that they are still read in the order they arrived.
 *
 * <p>Taking and adding happen under one lock. An earlier version took frames off a queue and put
 * back the ones it had skipped; a frame that arrived while they were being put back went ahead of
 * them, and a device saw seq 65 before seq 1 although the server had sent them in order.
 */
final class ArrivedFrames {

  private final List<JsonNode> frames = new ArrayList<>();

  /** How many frames were taken so far: while it stands still, rejected frames need no new look. */
  private long taken;

  synchronized void add(JsonNode frame) {
    frames.add(frame);
    notifyAll();
  }

  /**
   * Removes and returns the earliest frame that {@code wanted} accepts, waiting for one until
   * {@code deadlineNanos} ({@link System#nanoTime()}); null if none came. The other frames keep
   * their places.
   */
  synchronized JsonNode take(Predicate<JsonNode> wanted, long deadlineNanos)
      throws InterruptedException {
    int rejected = 0;
    long takenBefore = taken;
    while (true) {
      // Adds only append; if another reader took a frame while this one waited, look again.
      if (taken != takenBefore) rejected = 0;
      takenBefore = taken;
      for (int i = rejected; i < frames.size(); i++) {
        JsonNode frame = frames.get(i);
        if (wanted.test(frame)) {
          frames.remove(i);
          taken++;
          return frame;
        }
        rejected = i + 1;
      }
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) return null;
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** Removes and returns the earliest frame, waiting until {@code deadlineNanos}; null if none. */
  JsonNode take(long deadlineNanos) throws InterruptedException {
    return take(frame -> true, deadlineNanos);
  }

  @Override
  public synchronized String toString() {
    return frames.toString();
  }
}
