package messenger.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import messenger.ErrorDetail;
import messenger.ErrorDetail.Rule;
import org.junit.jupiter.api.Test;

class ReportRulesTest {

  private static Optional<Rule> rule(
      String conversationId, Long seq, String userId, String reason, String note) {
    return ReportRules.check(conversationId, seq, userId, reason, note).map(ErrorDetail::rule);
  }

  @Test
  void aMessageReportNamesTheConversationAndAPositiveSeq() {
    assertEquals(Optional.empty(), rule("c-1", 3L, null, "spam", null));
    assertEquals(Optional.of(Rule.REQUIRED), rule("c-1", null, null, "spam", null));
    assertEquals(Optional.of(Rule.REQUIRED), rule(null, 3L, null, "spam", null));
    assertEquals(Optional.of(Rule.POSITIVE), rule("c-1", 0L, null, "spam", null));
    assertEquals(Optional.of(Rule.AT_MOST_CHARS), rule("c".repeat(129), 1L, null, "spam", null));
  }

  @Test
  void aReportNamesAMessageOrAUserButNotBothOrNeither() {
    assertEquals(Optional.empty(), rule(null, null, "u-1", "harassment", null));
    assertEquals(Optional.of(Rule.REPORT_TARGET), rule(null, null, null, "spam", null));
    assertEquals(Optional.of(Rule.REPORT_TARGET), rule("c-1", 3L, "u-1", "spam", null));
    assertEquals(Optional.of(Rule.LENGTH), rule(null, null, " ", "spam", null));
  }

  @Test
  void theReasonIsOneOfTheFixedSet() {
    for (ReportReason reason : ReportReason.values()) {
      assertEquals(Optional.empty(), rule(null, null, "u-1", reason.wire(), null));
    }
    assertEquals(Optional.of(Rule.REQUIRED), rule(null, null, "u-1", null, null));
    assertEquals(Optional.of(Rule.REPORT_REASON), rule(null, null, "u-1", "SPAM", null));
    assertEquals(Optional.of(Rule.REPORT_REASON), rule(null, null, "u-1", "annoying", null));
  }

  @Test
  void theNoteIsOptionalAndAtMostAThousandCharacters() {
    assertEquals(Optional.empty(), rule(null, null, "u-1", "other", "x".repeat(1000)));
    // Counted in characters, not UTF-16 units: 1,000 emoji are allowed.
    assertEquals(Optional.empty(), rule(null, null, "u-1", "other", "😀".repeat(1000)));
    assertEquals(
        Optional.of(Rule.AT_MOST_CHARS), rule(null, null, "u-1", "other", "x".repeat(1001)));
  }
}
