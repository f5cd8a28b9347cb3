package messenger.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import messenger.ErrorCode;
import messenger.chat.GroupPermissions.Who;
import org.junit.jupiter.api.Test;

/** Roles and permissions in a group, on plain states: who may change them, and what they allow. */
class GroupAdministrationRulesTest {

  private static final ConversationRules RULES = new ConversationRules(10);
  private static final Optional<ErrorCode> ALLOWED = Optional.empty();

  /** Alice (admin, the creator), Bob and Carol. */
  private static Conversation.Open group() {
    var info =
        new ConversationInfo(
            "g-1", ConversationType.GROUP, List.of("alice", "bob", "carol"), Instant.EPOCH, "t");
    return ConversationStateChanges.founded(new Conversation.ConversationCreated(info, "alice"));
  }

  /** The group after {@code change}, as the log's next entry. */
  private static Conversation.Open after(Conversation.Open state, SystemChange change) {
    var entry =
        new ChatMessage(
            "g-1",
            state.lastSeq() + 1,
            "m-" + (state.lastSeq() + 1),
            "alice",
            "",
            Instant.EPOCH,
            change,
            List.of(),
            null,
            null);
    return ConversationStateChanges.posted(state, new Conversation.MessagePosted(entry, null), 100);
  }

  @Test
  void onlyAnAdminChangesRolesAndTheLastAdminCannotStepDown() {
    var group = group();

    assertEquals(ALLOWED, RULES.setRole(group, "alice", "bob", Roster.Role.ADMIN));
    assertEquals(
        Optional.of(ErrorCode.NOT_ADMIN), RULES.setRole(group, "bob", "carol", Roster.Role.ADMIN));
    assertEquals(
        Optional.of(ErrorCode.NOT_FOUND), RULES.setRole(group, "alice", "dave", Roster.Role.ADMIN));
    assertEquals(
        Optional.of(ErrorCode.LAST_ADMIN),
        RULES.setRole(group, "alice", "alice", Roster.Role.MEMBER));

    var twoAdmins = after(group, SystemChange.roleChanged("bob", Roster.Role.ADMIN));
    assertEquals(true, twoAdmins.roster().isAdmin("bob"));
    assertEquals(ALLOWED, RULES.setRole(twoAdmins, "bob", "alice", Roster.Role.MEMBER));
    var demoted = after(twoAdmins, SystemChange.roleChanged("alice", Roster.Role.MEMBER));
    assertEquals(false, demoted.roster().isAdmin("alice"));
    assertEquals(1, demoted.roster().joinedSeq("alice"), "a role change keeps the join point");
  }

  @Test
  void adminOnlyPermissionsStopMembersAddingAndRenamingButNotAdmins() {
    var group = group();
    assertEquals(ALLOWED, RULES.addMember(group, "bob", "dave"));
    assertEquals(ALLOWED, RULES.rename(group, "bob", "new"));
    assertEquals(Optional.of(ErrorCode.NOT_ADMIN), RULES.setPermissions(group, "bob"));

    var strict =
        after(group, SystemChange.permissionsChanged(new GroupPermissions(Who.ADMINS, Who.ADMINS)));

    assertEquals(Optional.of(ErrorCode.NOT_ADMIN), RULES.addMember(strict, "bob", "dave"));
    assertEquals(Optional.of(ErrorCode.NOT_ADMIN), RULES.rename(strict, "bob", "new"));
    assertEquals(ALLOWED, RULES.addMember(strict, "alice", "dave"));
    assertEquals(ALLOWED, RULES.rename(strict, "alice", "new"));
    var addOnly =
        after(
            strict,
            SystemChange.permissionsChanged(new GroupPermissions(Who.ADMINS, Who.EVERYONE)));
    assertEquals(ALLOWED, RULES.rename(addOnly, "bob", "new"));
    assertEquals(Optional.of(ErrorCode.NOT_ADMIN), RULES.addMember(addOnly, "bob", "dave"));
  }

  @Test
  void rolesAndPermissionsAreForGroupsOnly() {
    var info =
        new ConversationInfo(
            "d-1", ConversationType.DIRECT, List.of("alice", "bob"), Instant.EPOCH);
    var direct =
        ConversationStateChanges.founded(new Conversation.ConversationCreated(info, "alice"));

    assertEquals(
        Optional.of(ErrorCode.BAD_REQUEST),
        RULES.setRole(direct, "alice", "bob", Roster.Role.ADMIN));
    assertEquals(Optional.of(ErrorCode.BAD_REQUEST), RULES.setPermissions(direct, "alice"));
  }
}
