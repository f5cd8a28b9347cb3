package messenger.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import messenger.CborSerializable;

/**
 * A membership, role, permission or title change of a group. It is recorded in the conversation's
 * log as a message with its own seq (sent by whoever made the change), so every member's timeline
 * shows it in order and delivery treats it like any message.
 *
 * @param userId whom the change is about (null for a rename or new permissions)
 * @param title the new title (rename only)
 * @param role the member's new role (role changes only)
 * @param permissions the group's new permissions (permission changes only)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SystemChange(
    Kind kind, String userId, String title, Roster.Role role, GroupPermissions permissions)
    implements CborSerializable {

  public enum Kind {
    MEMBER_ADDED,
    /** An admin removed the member. */
    MEMBER_REMOVED,
    /** The member removed themselves. */
    MEMBER_LEFT,
    RENAMED,
    /** An admin made the member an admin, or a member again. */
    ROLE_CHANGED,
    /** An admin changed who may add members and who may rename the group. */
    PERMISSIONS_CHANGED
  }

  public SystemChange(Kind kind, String userId, String title) {
    this(kind, userId, title, null, null);
  }

  public static SystemChange added(String userId) {
    return new SystemChange(Kind.MEMBER_ADDED, userId, null);
  }

  public static SystemChange removed(String userId) {
    return new SystemChange(Kind.MEMBER_REMOVED, userId, null);
  }

  public static SystemChange left(String userId) {
    return new SystemChange(Kind.MEMBER_LEFT, userId, null);
  }

  public static SystemChange renamed(String title) {
    return new SystemChange(Kind.RENAMED, null, title);
  }

  public static SystemChange roleChanged(String userId, Roster.Role role) {
    return new SystemChange(Kind.ROLE_CHANGED, userId, null, role, null);
  }

  public static SystemChange permissionsChanged(GroupPermissions permissions) {
    return new SystemChange(Kind.PERMISSIONS_CHANGED, null, null, null, permissions);
  }

  /** Whether someone stops being a member with this change. */
  public boolean isRemoval() {
    return kind == Kind.MEMBER_REMOVED || kind == Kind.MEMBER_LEFT;
  }

  /** Whether {@code user} stops being a member with this change. */
  public boolean removes(String user) {
    return isRemoval() && user.equals(userId);
  }
}
