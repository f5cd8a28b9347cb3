package messenger.api.http.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Response bodies of the HTTP API, one record each; the domain's records never go on the wire. */
public final class Responses {
  private Responses() {}

  public record UserCreated(String userId, String username) {}

  /**
   * Who a user is, as other people see them.
   *
   * @param deleted true for a user who closed their account (username empty, display name "Deleted
   *     user"); left out otherwise
   */
  public record User(
      String userId,
      String username,
      String displayName,
      @com.fasterxml.jackson.annotation.JsonInclude(
              com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
          Boolean deleted) {
    public User(String userId, String username, String displayName) {
      this(userId, username, displayName, null);
    }
  }

  public record Token(String token, String userId, Instant expiresAt) {}

  public record CreatedUser(String userId, String username, String token) {}

  /**
   * @param expiresAt when the tokens expire (the same time for all, to the second or so)
   */
  public record UsersCreated(List<CreatedUser> users, Instant expiresAt) {}

  /**
   * @param title a group's name; null for a direct conversation
   */
  public record ConversationView(
      String conversationId, String type, String title, List<String> members, Instant createdAt) {}

  public record Member(String userId, String role, long joinedSeq) {}

  public record ConversationDetails(
      String conversationId,
      String type,
      String title,
      Instant createdAt,
      long lastSeq,
      List<Member> members,
      Permissions permissions) {}

  public record MemberReceipts(String userId, long deliveredSeq, long readSeq) {}

  public record Receipts(String conversationId, List<MemberReceipts> members) {}

  /**
   * @param lastSeen when the user's last device went away; null while online or unknown
   */
  public record Presence(String userId, boolean online, Instant lastSeen) {}

  /**
   * @param seq the log entry that records the change
   */
  public record Changed(long seq) {}

  /**
   * A membership or title change; {@code kind} is member_added, member_removed, member_left or
   * renamed.
   */
  /**
   * @param role for {@code role_changed}: "admin" or "member"; left out otherwise
   * @param permissions for {@code permissions_changed}: the new ones; left out otherwise
   */
  public record SystemChange(
      String kind,
      String userId,
      String title,
      @com.fasterxml.jackson.annotation.JsonInclude(
              com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
          String role,
      @com.fasterxml.jackson.annotation.JsonInclude(
              com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
          Permissions permissions) {}

  /** The picture a user shows: {@code avatarId} changes with every new picture. */
  public record Avatar(String avatarId, String mime) {}

  /** An invite link: {@code token} is its secret, which a join presents. */
  public record Invite(String inviteId, String creatorId, Instant expiresAt, String token) {}

  public record Invites(List<Invite> invites) {}

  /** Where joining with an invite put the user. */
  public record Joined(String conversationId, long seq) {}

  /** Who may add members and who may rename a group: "everyone" or "admins". */
  public record Permissions(String addMembers, String rename) {}

  public record LastMessage(long seq, String senderId, String preview, Instant timestamp) {}

  /**
   * @param members the two users of a direct conversation; empty for a group (see its details)
   * @param left the user is no longer a member of this group
   */
  public record ConversationListItem(
      String conversationId,
      String type,
      String title,
      List<String> members,
      Instant createdAt,
      long lastSeq,
      LastMessage lastMessage,
      int unreadCount,
      boolean left,
      boolean muted) {}

  public record ConversationList(List<ConversationListItem> conversations) {}

  /**
   * @param system set for a membership or title change (whose body is empty), else null
   * @param amendment set for an edit, deletion or reaction (whose body is empty), else left out
   * @param editedAt when the message was last edited; left out if never
   * @param deleted true for a message deleted for everyone (no body, no files); left out otherwise
   * @param reactions per emoji, how many reacted and whether the reader did; left out if none
   * @param replyTo for a reply, the message it answers; left out otherwise
   * @param mentions the members it mentions; left out if none
   * @param fromBlocked true when the reader blocks its sender; left out otherwise
   */
  public record MessageView(
      String messageId,
      String conversationId,
      long seq,
      String senderId,
      String body,
      Instant timestamp,
      SystemChange system,
      int deliveredTo,
      int readBy,
      int recipients,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<Attachments.AttachmentJson> attachments,
      @JsonInclude(JsonInclude.Include.NON_NULL) Amendments.AmendmentJson amendment,
      @JsonInclude(JsonInclude.Include.NON_NULL) Instant editedAt,
      @JsonInclude(JsonInclude.Include.NON_NULL) Boolean deleted,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<Amendments.ReactionJson> reactions,
      @JsonInclude(JsonInclude.Include.NON_NULL) Quotes.QuoteJson replyTo,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<String> mentions,
      @JsonInclude(JsonInclude.Include.NON_NULL) Boolean fromBlocked) {}

  /**
   * Where to PUT an upload: {@code method} to {@code url} with exactly {@code headers}, before
   * {@code expiresAt}; a message then names it by {@code uploadId}.
   */
  public record UploadTicket(
      String uploadId, String method, String url, Map<String, String> headers, Instant expiresAt) {}

  /** Where to GET an attachment: {@code url} until {@code expiresAt}. */
  public record Download(String url, Instant expiresAt) {}

  public record History(List<MessageView> messages, boolean hasMore) {}

  /** The users the caller blocks, oldest block first. */
  public record Blocks(List<BlockedUser> blocked) {}

  public record BlockedUser(String userId, Instant since) {}

  public record Sent(String messageId, String conversationId, long seq, Instant timestamp) {}

  /**
   * @param retryAfterMs for {@code overloaded}: how long to wait before retrying; absent otherwise
   */
  public record Error(
      String code,
      String message,
      @com.fasterxml.jackson.annotation.JsonInclude(
              com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
          Long retryAfterMs) {
    public Error(String code, String message) {
      this(code, message, null);
    }
  }

  public record Health(String status) {}

  /**
   * @param push "web-push", "unified-push", or null without an endpoint
   */
  /**
   * @param client the label the device's client gave (or its User-Agent), null if none
   * @param lastSeen when its last connection ended; null while connected or if not known
   */
  public record Device(
      String deviceId,
      boolean online,
      long ackedCursor,
      String push,
      String client,
      java.time.Instant lastSeen) {}

  public record DeviceList(List<Device> devices) {}

  /** The server's VAPID public key (base64url), a browser's {@code applicationServerKey}. */
  public record VapidKey(String publicKey) {}
}
