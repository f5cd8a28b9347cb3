package messenger.chat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import messenger.CborSerializable;

/**
 * Who is in a conversation now, with their role and the seq from which they may read. Immutable;
 * every change returns a new roster. A group always has an admin: when the last one goes, the
 * member who joined first is promoted.
 */
public record Roster(TreeMap<String, Roster.Membership> members, GroupPermissions permissions)
    implements CborSerializable {

  public Roster {
    // Absent in snapshots from before permissions: everyone may add and rename.
    if (permissions == null) permissions = GroupPermissions.DEFAULT;
  }

  public Roster(TreeMap<String, Membership> members) {
    this(members, GroupPermissions.DEFAULT);
  }

  public enum Role {
    ADMIN,
    MEMBER
  }

  /**
   * @param joinedSeq the first seq the member may read: 1 for founders, else their "added" entry
   */
  public record Membership(Role role, long joinedSeq) implements CborSerializable {}

  public static Roster founded(List<String> userIds, String creatorId, boolean groupRoles) {
    TreeMap<String, Membership> members = new TreeMap<>();
    for (String userId : userIds) {
      Role role = groupRoles && userId.equals(creatorId) ? Role.ADMIN : Role.MEMBER;
      members.put(userId, new Membership(role, 1));
    }
    return new Roster(members);
  }

  public boolean contains(String userId) {
    return members.containsKey(userId);
  }

  public boolean isAdmin(String userId) {
    Membership m = members.get(userId);
    return m != null && m.role() == Role.ADMIN;
  }

  /** How many admins the group has. */
  public long admins() {
    return members.values().stream().filter(m -> m.role() == Role.ADMIN).count();
  }

  public int size() {
    return members.size();
  }

  /** The first seq {@code userId} may read, or -1 if not a member. */
  public long joinedSeq(String userId) {
    Membership m = members.get(userId);
    return m == null ? -1 : m.joinedSeq();
  }

  public Map<String, Long> joinedSeqs() {
    Map<String, Long> seqs = new TreeMap<>();
    members.forEach((id, m) -> seqs.put(id, m.joinedSeq()));
    return seqs;
  }

  Roster apply(SystemChange change, long seq) {
    TreeMap<String, Membership> next = new TreeMap<>(members);
    GroupPermissions nextPermissions = permissions;
    switch (change.kind()) {
      case MEMBER_ADDED -> next.putIfAbsent(change.userId(), new Membership(Role.MEMBER, seq));
      case MEMBER_REMOVED, MEMBER_LEFT -> {
        next.remove(change.userId());
        boolean adminLeft = next.values().stream().noneMatch(m -> m.role() == Role.ADMIN);
        if (adminLeft && !next.isEmpty()) {
          List<Map.Entry<String, Membership>> byJoin = new ArrayList<>(next.entrySet());
          byJoin.sort(
              Comparator.comparingLong(
                      (Map.Entry<String, Membership> e) -> e.getValue().joinedSeq())
                  .thenComparing(Map.Entry::getKey));
          var successor = byJoin.get(0);
          next.put(
              successor.getKey(), new Membership(Role.ADMIN, successor.getValue().joinedSeq()));
        }
      }
      case RENAMED -> {}
      case ROLE_CHANGED ->
          next.computeIfPresent(
              change.userId(), (id, m) -> new Membership(change.role(), m.joinedSeq()));
      case PERMISSIONS_CHANGED -> nextPermissions = change.permissions();
    }
    return new Roster(next, nextPermissions);
  }
}
