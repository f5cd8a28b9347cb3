package messenger.api.http;

import messenger.DomainException;
import messenger.ErrorCode;
import messenger.ErrorDetail.Rule;
import messenger.chat.GroupPermissions;
import messenger.chat.Roster;

/** A group's roles and permissions as requests spell them. */
final class GroupAdminWire {

  private GroupAdminWire() {}

  /** "admin" or "member"; anything else is a 400. */
  static Roster.Role role(String wire) {
    if ("admin".equals(wire)) return Roster.Role.ADMIN;
    if ("member".equals(wire)) return Roster.Role.MEMBER;
    throw DomainException.of(ErrorCode.BAD_REQUEST, Rule.GROUP_ROLE);
  }

  /** "everyone" or "admins"; absent keeps the default (everyone); anything else is a 400. */
  static GroupPermissions.Who who(String field, String wire) {
    if (wire == null || "everyone".equals(wire)) return GroupPermissions.Who.EVERYONE;
    if ("admins".equals(wire)) return GroupPermissions.Who.ADMINS;
    throw DomainException.of(ErrorCode.BAD_REQUEST, Rule.GROUP_PERMISSION, field);
  }
}
