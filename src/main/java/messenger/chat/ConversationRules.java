package messenger.chat;

import java.util.List;
import java.util.Optional;
import messenger.ErrorCode;

/**
 * Who may do what in a conversation, as pure rules: each check answers the refusal, or empty when
 * the command may go ahead. The conversation only replies with what these say. Within a check the
 * order is the one clients see, so a request that breaks two rules gets the same code as before.
 *
 * @param maxGroupSize {@code max-group-size}: the most members a group may have
 */
record ConversationRules(int maxGroupSize) {

  static final int MAX_TITLE_CHARS = 100;

  private static final Optional<ErrorCode> ALLOWED = Optional.empty();

  /** Members as a conversation holds them: each once, in order, so equal sets compare equal. */
  static List<String> normalized(List<String> members) {
    return members.stream().distinct().sorted().toList();
  }

  static boolean validTitle(String title) {
    return title != null && !title.isBlank() && title.length() <= MAX_TITLE_CHARS;
  }

  /**
   * A new conversation of {@code members} (normalized): the creator is one of them, a direct one
   * has exactly two, a group has a title and at most max-group-size members.
   */
  Optional<ErrorCode> create(
      ConversationType type, List<String> members, String creatorId, String title) {
    boolean group = type == ConversationType.GROUP;
    boolean valid =
        members.contains(creatorId)
            && (group ? members.size() <= maxGroupSize && validTitle(title) : members.size() == 2);
    return valid ? ALLOWED : refused(ErrorCode.BAD_REQUEST);
  }

  /**
   * Creating a conversation that exists is answered with it only when a member asks for the same
   * one (type and members), as a client that retries or reopens a direct chat does.
   */
  Optional<ErrorCode> createExisting(
      Conversation.Open existing, ConversationType type, List<String> members, String creatorId) {
    boolean same =
        existing.roster().contains(creatorId)
            && existing.info().type() == type
            && existing.info().members().equals(normalized(members));
    return same ? ALLOWED : refused(ErrorCode.BAD_REQUEST);
  }

  /** Posting, reading, typing: members only. */
  Optional<ErrorCode> member(Roster roster, String userId) {
    return roster.contains(userId) ? ALLOWED : refused(ErrorCode.NOT_MEMBER);
  }

  /**
   * Any member adds anyone to a group that has room. Adding a member again is allowed (the entity
   * answers with the entry that added them), even to a full group.
   */
  Optional<ErrorCode> addMember(Conversation.Open group, String actorId, String userId) {
    Optional<ErrorCode> refusal = memberOfGroup(group, actorId);
    if (refusal.isPresent()) return refusal;
    Roster roster = group.roster();
    if (!GroupPermissions.allows(roster.permissions().addMembers(), roster.isAdmin(actorId))) {
      return refused(ErrorCode.NOT_ADMIN);
    }
    if (!roster.contains(userId) && roster.size() >= maxGroupSize) {
      return refused(ErrorCode.GROUP_FULL);
    }
    return ALLOWED;
  }

  /** An admin removes any member; any member removes themselves (leaves). */
  Optional<ErrorCode> removeMember(Conversation.Open group, String actorId, String userId) {
    Optional<ErrorCode> refusal = memberOfGroup(group, actorId);
    if (refusal.isPresent()) return refusal;
    Roster roster = group.roster();
    if (!actorId.equals(userId) && !roster.isAdmin(actorId)) return refused(ErrorCode.NOT_ADMIN);
    if (!roster.contains(userId)) return refused(ErrorCode.NOT_FOUND);
    return ALLOWED;
  }

  /**
   * A member renames a group to a valid title (a bad title is refused before anything else); only
   * an admin if the group's permissions say so.
   */
  Optional<ErrorCode> rename(Conversation.Open group, String actorId, String title) {
    if (!validTitle(title)) return refused(ErrorCode.BAD_REQUEST);
    Optional<ErrorCode> refusal = memberOfGroup(group, actorId);
    if (refusal.isPresent()) return refusal;
    Roster roster = group.roster();
    if (!GroupPermissions.allows(roster.permissions().rename(), roster.isAdmin(actorId))) {
      return refused(ErrorCode.NOT_ADMIN);
    }
    return ALLOWED;
  }

  /**
   * An admin makes a member an admin or a member again; the last admin cannot step down (someone
   * else is made admin first), so a group always has one.
   */
  Optional<ErrorCode> setRole(
      Conversation.Open group, String actorId, String userId, Roster.Role role) {
    Optional<ErrorCode> refusal = memberOfGroup(group, actorId);
    if (refusal.isPresent()) return refusal;
    Roster roster = group.roster();
    if (!roster.isAdmin(actorId)) return refused(ErrorCode.NOT_ADMIN);
    if (!roster.contains(userId)) return refused(ErrorCode.NOT_FOUND);
    boolean demotesLast =
        role == Roster.Role.MEMBER && roster.isAdmin(userId) && roster.admins() == 1;
    return demotesLast ? refused(ErrorCode.LAST_ADMIN) : ALLOWED;
  }

  /**
   * Anyone with a working invite link joins a group that has room; a member joining again is
   * answered, even in a full group. The link's checks are the caller's.
   */
  Optional<ErrorCode> joinByInvite(Conversation.Open group, String userId) {
    if (!group.isGroup()) return refused(ErrorCode.BAD_REQUEST);
    Roster roster = group.roster();
    if (!roster.contains(userId) && roster.size() >= maxGroupSize) {
      return refused(ErrorCode.GROUP_FULL);
    }
    return ALLOWED;
  }

  /** Only an admin changes who may add members and rename. */
  Optional<ErrorCode> setPermissions(Conversation.Open group, String actorId) {
    Optional<ErrorCode> refusal = memberOfGroup(group, actorId);
    if (refusal.isPresent()) return refusal;
    return group.roster().isAdmin(actorId) ? ALLOWED : refused(ErrorCode.NOT_ADMIN);
  }

  /** A message mentions members only. */
  Optional<ErrorCode> mentions(Roster roster, List<String> mentioned) {
    for (String user : mentioned) {
      if (!roster.contains(user)) return refused(ErrorCode.MENTION_NOT_MEMBER);
    }
    return ALLOWED;
  }

  /**
   * A member amends a message: a deletion of someone else's message only by an admin of a group
   * (what else depends on the target was checked by {@link AmendmentRules} already).
   */
  Optional<ErrorCode> amend(Conversation.Open state, String actorId, Amendment amendment) {
    // The target was checked before this came; a deletion may have been recorded since.
    if (state.recentlyDeleted(amendment.targetSeq())) return refused(ErrorCode.MESSAGE_DELETED);
    boolean othersDeleted =
        amendment.kind() == Amendment.Kind.DELETE && !actorId.equals(amendment.targetSenderId());
    if (othersDeleted && !(state.isGroup() && state.roster().isAdmin(actorId))) {
      return refused(ErrorCode.NOT_SENDER);
    }
    return ALLOWED;
  }

  /** A moderator, member or not, deletes any message for everyone, and does nothing else to one. */
  Optional<ErrorCode> moderatorAmend(Conversation.Open state, Amendment amendment) {
    if (amendment.kind() != Amendment.Kind.DELETE) return refused(ErrorCode.BAD_REQUEST);
    if (state.recentlyDeleted(amendment.targetSeq())) return refused(ErrorCode.MESSAGE_DELETED);
    return ALLOWED;
  }

  /** Membership changes exist for groups only, and only their members make them. */
  private Optional<ErrorCode> memberOfGroup(Conversation.Open conversation, String actorId) {
    if (!conversation.isGroup()) return refused(ErrorCode.BAD_REQUEST);
    return member(conversation.roster(), actorId);
  }

  private static Optional<ErrorCode> refused(ErrorCode code) {
    return Optional.of(code);
  }
}
