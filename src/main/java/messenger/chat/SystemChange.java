package messenger.chat;

import messenger.CborSerializable;

/**
 * A membership or title change of a group. It is recorded in the conversation's log as a message
 * with its own seq (sent by whoever made the change), so every member's timeline shows it in order
 * and delivery treats it like any message.
 *
 * @param userId whom the change is about (null for a rename)
 * @param title the new title (rename only)
 */
public record SystemChange(Kind kind, String userId, String title) implements CborSerializable {

  public enum Kind {
    MEMBER_ADDED,
    /** An admin removed the member. */
    MEMBER_REMOVED,
    /** The member removed themselves. */
    MEMBER_LEFT,
    RENAMED
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

  /** Whether someone stops being a member with this change. */
  public boolean isRemoval() {
    return kind == Kind.MEMBER_REMOVED || kind == Kind.MEMBER_LEFT;
  }

  /** Whether {@code user} stops being a member with this change. */
  public boolean removes(String user) {
    return isRemoval() && user.equals(userId);
  }
}
