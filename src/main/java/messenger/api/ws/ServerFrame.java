package messenger.api.ws;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** What the server sends over the WebSocket; each record is one JSON text frame. */
public final class ServerFrame {
  private ServerFrame() {}

  /**
   * @param system set for a membership or title change, else null (see Responses.SystemChange)
   * @param fromBlocked true when the reader blocks the sender (absent otherwise)
   */
  public record Item(
      long cursor,
      String messageId,
      String conversationId,
      long seq,
      String senderId,
      String body,
      Instant timestamp,
      messenger.api.http.dto.Responses.SystemChange system,
      @JsonInclude(JsonInclude.Include.NON_NULL)
          List<messenger.api.http.dto.Attachments.AttachmentJson> attachments,
      @JsonInclude(JsonInclude.Include.NON_NULL)
          messenger.api.http.dto.Amendments.AmendmentJson amendment,
      @JsonInclude(JsonInclude.Include.NON_NULL) Instant editedAt,
      @JsonInclude(JsonInclude.Include.NON_NULL) Boolean deleted,
      @JsonInclude(JsonInclude.Include.NON_NULL)
          List<messenger.api.http.dto.Amendments.ReactionJson> reactions,
      @JsonInclude(JsonInclude.Include.NON_NULL) messenger.api.http.dto.Quotes.QuoteJson replyTo,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<String> mentions,
      @JsonInclude(JsonInclude.Include.NON_NULL) Boolean fromBlocked) {}

  public record Messages(String type, List<Item> items) {
    public Messages(List<Item> items) {
      this("messages", items);
    }
  }

  public record Sent(
      String type,
      String clientMsgId,
      String messageId,
      String conversationId,
      long seq,
      Instant timestamp) {
    public Sent(
        String clientMsgId, String messageId, String conversationId, long seq, Instant timestamp) {
      this("sent", clientMsgId, messageId, conversationId, seq, timestamp);
    }
  }

  /**
   * @param ref the clientMsgId of the send it answers, or the conversation id of a refused typing
   *     notice or read marker; null otherwise
   * @param retryAfterMs for {@code overloaded}: how long to wait before retrying; absent otherwise
   */
  public record Error(
      String type,
      String code,
      String message,
      String ref,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long retryAfterMs) {
    public Error(String code, String message, String ref) {
      this("error", code, message, ref, null);
    }

    public Error(String code, String message, String ref, Long retryAfterMs) {
      this("error", code, message, ref, retryAfterMs);
    }
  }

  public record Pong(String type) {
    public Pong() {
      this("pong");
    }
  }

  /** The heartbeat; the client answers {"type":"pong"}. */
  public record Ping(String type) {
    public Ping() {
      this("ping");
    }
  }

  public record Typing(String type, String conversationId, String userId) {
    public Typing(String conversationId, String userId) {
      this("typing", conversationId, userId);
    }
  }

  /**
   * @param kind "delivered" or "read"
   */
  public record Receipt(String type, String conversationId, String userId, String kind, long seq) {
    public Receipt(String conversationId, String userId, String kind, long seq) {
      this("receipt", conversationId, userId, kind, seq);
    }
  }

  /** Many receipts at once (a busy group): items shaped like {@link Receipt} frames. */
  public record ReceiptBatch(String type, List<Receipt> items) {
    public ReceiptBatch(List<Receipt> items) {
      this("receipts", items);
    }
  }

  /**
   * @param lastSeen when the user's last device went away; null while online
   */
  public record Presence(String type, String userId, boolean online, Instant lastSeen) {
    public Presence(String userId, boolean online, Instant lastSeen) {
      this("presence", userId, online, lastSeen);
    }
  }
}
