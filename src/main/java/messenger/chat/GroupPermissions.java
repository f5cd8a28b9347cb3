package messenger.chat;

import messenger.CborSerializable;

/**
 * Who in a group may add members and who may rename it: everyone (the default) or its admins only.
 * Removing others and changing roles or these permissions are always for admins.
 */
public record GroupPermissions(Who addMembers, Who rename) implements CborSerializable {

  public enum Who {
    EVERYONE,
    ADMINS
  }

  public static final GroupPermissions DEFAULT = new GroupPermissions(Who.EVERYONE, Who.EVERYONE);

  public GroupPermissions {
    if (addMembers == null) addMembers = Who.EVERYONE;
    if (rename == null) rename = Who.EVERYONE;
  }

  /** Whether a member who is {@code admin} or not may do what {@code who} allows. */
  static boolean allows(Who who, boolean admin) {
    return who == Who.EVERYONE || admin;
  }
}
