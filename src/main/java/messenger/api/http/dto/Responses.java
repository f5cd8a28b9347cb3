package messenger.api.http.dto;

import java.time.Instant;
import java.util.List;

/** Response bodies of the HTTP API, one record each; the domain's records never go on the wire. */
public final class Responses {
  private Responses() {}

  public record UserCreated(String userId, String username) {}

  public record Token(String token, String userId, Instant expiresAt) {}

  public record ConversationView(
      String conversationId, String type, List<String> members, Instant createdAt) {}

  public record LastMessage(long seq, String senderId, String preview, Instant timestamp) {}

  public record ConversationListItem(
      String conversationId,
      String type,
      List<String> members,
      Instant createdAt,
      long lastSeq,
      LastMessage lastMessage,
      int unreadCount) {}

  public record ConversationList(List<ConversationListItem> conversations) {}

  public record MessageView(
      String messageId,
      String conversationId,
      long seq,
      String senderId,
      String body,
      Instant timestamp) {}

  public record History(List<MessageView> messages, boolean hasMore) {}

  public record Sent(String messageId, String conversationId, long seq, Instant timestamp) {}

  public record Error(String code, String message) {}

  public record Health(String status) {}

  /** @param push "web-push", "unified-push", or null without an endpoint */
  public record Device(String deviceId, boolean online, long ackedCursor, String push) {}

  public record DeviceList(List<Device> devices) {}

  /** The server's VAPID public key (base64url), a browser's {@code applicationServerKey}. */
  public record VapidKey(String publicKey) {}
}
