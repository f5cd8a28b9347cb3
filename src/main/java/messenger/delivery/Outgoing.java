package messenger.delivery;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import messenger.ErrorCode;
import messenger.chat.Notice;
import org.slf4j.Logger;

/**
 * A session's writing side: hands frames to the transport's {@link Outbox} without ever waiting. A
 * frame that does not fit means the client reads slower than messages arrive; the connection is
 * then aborted, and nothing is lost: the device has not acknowledged what was buffered and gets it
 * on reconnect. Each method answers whether the connection goes on.
 */
final class Outgoing {

  /** Up to this many receipts go out as one frame each; more (a busy group) as a single frame. */
  private static final int RECEIPT_FRAMES = 16;

  private final Outbox outbox;
  private final DeliveryEvents events;
  private final Logger log;
  private final String connection;

  /** The users the connection's user blocks, as the inbox last said. */
  private Set<String> blocked = Set.of();

  /**
   * @param connection who the connection is, for the log
   */
  Outgoing(Outbox outbox, DeliveryEvents events, Logger log, String connection) {
    this.outbox = outbox;
    this.events = events;
    this.log = log;
    this.connection = connection;
  }

  /** The users the user blocks now: their items go out flagged from here on. */
  void blocking(Set<String> blocked) {
    this.blocked = Set.copyOf(blocked);
  }

  boolean offer(Outbound out) {
    if (outbox.offer(out)) return true;
    overflowed();
    return false;
  }

  /** Each run of entries as one frame, in order. */
  boolean frames(List<List<InboxEntry>> frames, boolean live) {
    for (List<InboxEntry> entries : frames) {
      if (!messages(entries, live)) return false;
    }
    return true;
  }

  /** The entries as one frame; none, no frame. */
  boolean messages(List<InboxEntry> entries, boolean live) {
    return entries.isEmpty() || offer(new Outbound.Messages(entries, live, blockedAmong(entries)));
  }

  private Set<String> blockedAmong(List<InboxEntry> entries) {
    if (blocked.isEmpty()) return Set.of();
    Set<String> senders = new HashSet<>();
    for (InboxEntry entry : entries) {
      if (blocked.contains(entry.message().senderId())) senders.add(entry.message().senderId());
    }
    return senders;
  }

  /** A notice, so that receipts never flood the outgoing queue. */
  boolean notice(Notice notice) {
    if (notice instanceof Notice.Receipts batch && batch.receipts().size() <= RECEIPT_FRAMES) {
      for (Notice.Receipt receipt : batch.receipts()) {
        if (!offer(new Outbound.Told(receipt))) return false;
      }
      return true;
    }
    return offer(new Outbound.Told(notice));
  }

  /** The reason as the last word, if it fits, and close after what is buffered. */
  void closeWith(ErrorCode reason) {
    outbox.offer(new Outbound.Failure(reason, null, null));
    outbox.close();
  }

  /** Close without a word (the session stopped). */
  void close() {
    outbox.close();
  }

  private void overflowed() {
    if (outbox.isClosed()) {
      // Not a slow reader: the connection ended under a push that was on its way.
      log.debug("{}: a frame arrived after the connection closed", connection);
      return;
    }
    log.info("Aborting {}: outgoing buffer full", connection);
    events.closed(ErrorCode.SLOW_CONSUMER);
    outbox.abort();
  }
}
