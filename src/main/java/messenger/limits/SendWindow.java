package messenger.limits;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One connection's unanswered sends, at most {@code size} at once ({@code
 * messenger.limits.send-window}). A send beyond it is not refused: its {@link #acquire()} completes
 * only when an earlier send is answered, and the transport reads nothing more from the client until
 * then, so TCP pushes back on a client that sends faster than the node answers. Nothing waits on a
 * thread: a full window is a stage that is not complete yet.
 *
 * <p>Thread-safe: the transport acquires from its stream, the session releases from its actor.
 */
public final class SendWindow {

  private static final CompletableFuture<Void> FREE = CompletableFuture.completedFuture(null);

  private final int size;
  private final ArrayDeque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
  private int unanswered;

  public SendWindow(int size) {
    if (size < 1) throw new IllegalArgumentException("send-window must be at least 1: " + size);
    this.size = size;
  }

  /**
   * Takes a place for one send: complete at once while fewer than {@code size} are unanswered, else
   * when one is answered (waiters are served in order).
   */
  public CompletionStage<Void> acquire() {
    synchronized (this) {
      if (unanswered < size) {
        unanswered++;
        return FREE;
      }
      CompletableFuture<Void> place = new CompletableFuture<>();
      waiting.add(place);
      return place;
    }
  }

  /**
   * A send was answered: its place goes to the first waiter, or back to the window. A release with
   * nothing unanswered changes nothing, so the window never grows past {@code size}.
   */
  public void release() {
    CompletableFuture<Void> next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        if (unanswered > 0) unanswered--;
        return;
      }
    }
    // Outside the lock: completing runs the stream's callback, which may acquire again.
    next.complete(null);
  }

  /** Sends taken and not yet answered, the waiting ones included. */
  public synchronized int unanswered() {
    return unanswered + waiting.size();
  }
}
