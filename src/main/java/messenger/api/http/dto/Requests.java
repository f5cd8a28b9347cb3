package messenger.api.http.dto;

import java.util.List;

/** Request bodies of the HTTP API, one record each. */
public final class Requests {
  private Requests() {}

  public record Register(String username, String password, String displayName) {}

  public record Login(String username, String password) {}

  public record ChangePassword(String currentPassword, String newPassword) {}

  public record ChangeAccount(String displayName) {}

  public record CloseAccount(String password) {}

  public record AvatarUpload(String mime, Long size) {}

  public record SetAvatar(String uploadId) {}

  /** Admin: create {@code count} users named {@code usernamePrefix0 …}, all with this password. */
  public record CreateUsers(String usernamePrefix, Integer count, String password) {}

  /**
   * @param title a group's name (groups only)
   */
  public record CreateConversation(String type, List<String> members, String title) {}

  public record AddMember(String userId) {}

  public record Rename(String title) {}

  public record SetRole(String role) {}

  public record CreateInvite(Long expiresInSeconds) {}

  public record JoinInvite(String token) {}

  public record Permissions(String addMembers, String rename) {}

  public record ConversationSettings(Boolean muted) {}

  /**
   * @param body may be empty when there are attachments
   * @param attachments uploads made through {@code POST /api/v1/uploads}; may be absent
   */
  /**
   * @param replyTo the message this one answers; null for none
   * @param mentions members the message mentions; null for none
   */
  public record SendMessage(
      String clientMsgId,
      String body,
      List<Attachments.AttachmentJson> attachments,
      Quotes.ReplyTo replyTo,
      List<String> mentions) {}

  /**
   * An edit, deletion or reaction of the message in the path.
   *
   * @param kind "edit", "delete" or "reaction"
   * @param body the new text (edit)
   * @param emoji the reaction (reaction)
   * @param on put on (true, the default) or taken off (reaction)
   */
  public record Amend(String clientMsgId, String kind, String body, String emoji, Boolean on) {}

  public record Upload(String conversationId, String mime, Long size, String name) {}

  /**
   * A device's push endpoint, shaped like a browser's {@code PushSubscription.toJSON()} plus a kind
   * and the privacy switch; or a native app's token.
   *
   * @param kind "web-push" (default), "unified-push", "apns" or "fcm"
   * @param endpoint the push service URL, for "web-push" and "unified-push"
   * @param token the APNs device token (hex) or the FCM registration token, for "apns" and "fcm"
   * @param previews whether notifications may carry message text (default true)
   */
  public record RegisterPush(
      String kind, String endpoint, PushKeys keys, String token, Boolean previews) {}

  public record PushKeys(String p256dh, String auth) {}
}
