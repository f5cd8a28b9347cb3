package messenger.delivery;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import messenger.ErrorCode;
import messenger.ErrorDetail;
import messenger.chat.Conversation;
import messenger.chat.Notice;
import messenger.chat.Refusal;

/**
 * What a {@link Session} hands to its transport, through the {@link Outbox}: the edge turns each
 * into a frame. Nothing here is worded; refusals are codes.
 */
public sealed interface Outbound
    permits Outbound.Messages,
        Outbound.Sent,
        Outbound.SendRefused,
        Outbound.Failure,
        Outbound.Pong,
        Outbound.Ping,
        Outbound.Told {

  /** A notice for the device: typing, a receipt, presence. */
  record Told(Notice notice) implements Outbound {}

  /**
   * @param live pushed as the messages arrived, rather than replayed from the journal
   * @param fromBlocked the senders of items whom the reader blocks: their items are flagged
   */
  record Messages(List<InboxEntry> items, boolean live, Set<String> fromBlocked)
      implements Outbound {
    public Messages {
      fromBlocked = fromBlocked == null ? Set.of() : Set.copyOf(fromBlocked);
    }

    public Messages(List<InboxEntry> items, boolean live) {
      this(items, live, Set.of());
    }
  }

  /** A client's send was stored: one of the two answers to a send (with {@link SendRefused}). */
  record Sent(
      String clientMsgId, String messageId, String conversationId, long seq, Instant timestamp)
      implements Outbound {
    static Sent of(String clientMsgId, Conversation.Posted posted) {
      return new Sent(
          clientMsgId,
          posted.messageId(),
          posted.conversationId(),
          posted.seq(),
          posted.timestamp());
    }
  }

  /**
   * A client's send was not stored: the other answer to a send. Every send a session takes gets
   * exactly one {@link Sent} or {@code SendRefused} while the connection lasts; that answer is what
   * frees the send's place in the connection's send window.
   *
   * @param detail what more the client is told (for {@code overloaded}: when to retry), or null
   */
  record SendRefused(ErrorCode code, String clientMsgId, String conversationId, ErrorDetail detail)
      implements Outbound {}

  /**
   * A refusal of anything but a send, or the reason for closing, as a code only: the edge words it.
   *
   * @param ref the conversation id of a refused typing notice or read marker; null otherwise
   * @param conversationId the conversation concerned, if any
   */
  record Failure(ErrorCode code, String ref, String conversationId) implements Outbound {
    /** A refused typing notice or read marker: no clientMsgId, the conversation is the ref. */
    static Failure of(Refusal refusal) {
      return new Failure(refusal.code(), refusal.conversationId(), refusal.conversationId());
    }
  }

  enum Pong implements Outbound {
    INSTANCE
  }

  /** The heartbeat: the client answers with a pong frame. */
  enum Ping implements Outbound {
    INSTANCE
  }
}
