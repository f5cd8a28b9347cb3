package messenger.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import messenger.ErrorCode;
import org.junit.jupiter.api.Test;

/** Who may do what, on plain states: no actors, no journal. */
class ConversationRulesTest {

  private static final ConversationRules RULES = new ConversationRules(3);
  private static final Optional<ErrorCode> ALLOWED = Optional.empty();

  /** Alice (admin), Bob and Carol; a group of three, which is full at max-group-size 3. */
  private static Conversation.Open group() {
    return open(ConversationType.GROUP, List.of("alice", "bob", "carol"), "climbing");
  }

  private static Conversation.Open direct() {
    return open(ConversationType.DIRECT, List.of("alice", "bob"), null);
  }

  private static Conversation.Open open(ConversationType type, List<String> members, String title) {
    var info = new ConversationInfo("c-1", type, members, Instant.EPOCH, title);
    return ConversationStateChanges.founded(new Conversation.ConversationCreated(info, "alice"));
  }

  private static Optional<ErrorCode> refused(ErrorCode code) {
    return Optional.of(code);
  }

  @Test
  void membersAreNormalizedToEachOnceInOrder() {
    assertEquals(List.of("a", "b"), ConversationRules.normalized(List.of("b", "a", "b")));
  }

  @Test
  void aDirectConversationIsTwoPeopleOneOfThemTheCreator() {
    var direct = ConversationType.DIRECT;
    assertEquals(ALLOWED, RULES.create(direct, List.of("alice", "bob"), "alice", null));
    assertEquals(
        refused(ErrorCode.BAD_REQUEST), RULES.create(direct, List.of("alice"), "alice", null));
    assertEquals(
        refused(ErrorCode.BAD_REQUEST),
        RULES.create(direct, List.of("bob", "carol"), "alice", null));
  }

  @Test
  void aGroupHasATitleAndAtMostMaxGroupSizeMembers() {
    var group = ConversationType.GROUP;
    assertEquals(ALLOWED, RULES.create(group, List.of("alice", "bob", "carol"), "alice", "t"));
    assertEquals(ALLOWED, RULES.create(group, List.of("alice"), "alice", "alone"));
    assertEquals(
        refused(ErrorCode.BAD_REQUEST),
        RULES.create(group, List.of("alice", "bob", "carol", "dave"), "alice", "t"));
    assertEquals(
        refused(ErrorCode.BAD_REQUEST), RULES.create(group, List.of("alice"), "alice", " "));
    assertEquals(
        refused(ErrorCode.BAD_REQUEST), RULES.create(group, List.of("alice"), "alice", null));
  }

  @Test
  void titlesAreNonBlankAndAtMostAHundredChars() {
    assertTrue(ConversationRules.validTitle("x".repeat(ConversationRules.MAX_TITLE_CHARS)));
    assertFalse(ConversationRules.validTitle("x".repeat(ConversationRules.MAX_TITLE_CHARS + 1)));
    assertFalse(ConversationRules.validTitle(""));
    assertFalse(ConversationRules.validTitle(null));
  }

  @Test
  void creatingAgainIsAnsweredOnlyForTheSameConversationAskedByAMember() {
    var existing = direct();
    var type = ConversationType.DIRECT;
    assertEquals(
        ALLOWED, RULES.createExisting(existing, type, List.of("bob", "alice", "bob"), "bob"));
    assertEquals(
        refused(ErrorCode.BAD_REQUEST),
        RULES.createExisting(existing, type, List.of("alice", "bob"), "carol"));
    assertEquals(
        refused(ErrorCode.BAD_REQUEST),
        RULES.createExisting(existing, ConversationType.GROUP, List.of("alice", "bob"), "alice"));
    assertEquals(
        refused(ErrorCode.BAD_REQUEST),
        RULES.createExisting(existing, type, List.of("alice", "carol"), "alice"));
  }

  @Test
  void onlyMembersPostReadAndType() {
    assertEquals(ALLOWED, RULES.member(group().roster(), "bob"));
    assertEquals(refused(ErrorCode.NOT_MEMBER), RULES.member(group().roster(), "dave"));
  }

  @Test
  void membershipChangesAreForGroupsOnlyAndByMembersOnly() {
    assertEquals(refused(ErrorCode.BAD_REQUEST), RULES.addMember(direct(), "alice", "carol"));
    assertEquals(refused(ErrorCode.BAD_REQUEST), RULES.removeMember(direct(), "alice", "bob"));
    assertEquals(refused(ErrorCode.BAD_REQUEST), RULES.rename(direct(), "alice", "t"));
    assertEquals(refused(ErrorCode.NOT_MEMBER), RULES.addMember(group(), "dave", "erin"));
    assertEquals(refused(ErrorCode.NOT_MEMBER), RULES.removeMember(group(), "dave", "dave"));
    assertEquals(refused(ErrorCode.NOT_MEMBER), RULES.rename(group(), "dave", "t"));
  }

  @Test
  void aFullGroupTakesNobodyNewButAddingAMemberAgainIsAllowed() {
    assertEquals(refused(ErrorCode.GROUP_FULL), RULES.addMember(group(), "bob", "dave"));
    assertEquals(ALLOWED, RULES.addMember(group(), "bob", "carol"));
    assertEquals(ALLOWED, new ConversationRules(4).addMember(group(), "bob", "dave"));
  }

  @Test
  void anAdminRemovesAnyoneAndEveryoneMayLeave() {
    assertEquals(ALLOWED, RULES.removeMember(group(), "alice", "bob"));
    assertEquals(ALLOWED, RULES.removeMember(group(), "bob", "bob"));
    assertEquals(refused(ErrorCode.NOT_ADMIN), RULES.removeMember(group(), "bob", "carol"));
    assertEquals(refused(ErrorCode.NOT_FOUND), RULES.removeMember(group(), "alice", "dave"));
  }

  @Test
  void aBadTitleIsRefusedBeforeAskingWhoRenames() {
    assertEquals(ALLOWED, RULES.rename(group(), "bob", "bouldering"));
    assertEquals(refused(ErrorCode.BAD_REQUEST), RULES.rename(group(), "dave", " "));
    assertEquals(refused(ErrorCode.BAD_REQUEST), RULES.rename(direct(), "dave", "t"));
  }
}
