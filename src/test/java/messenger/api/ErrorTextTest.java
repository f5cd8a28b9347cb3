package messenger.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.regex.Pattern;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.ErrorDetail;
import messenger.ErrorDetail.Rule;
import org.junit.jupiter.api.Test;

/** The one place that words refusals: every code and rule has a sentence, none names Java. */
class ErrorTextTest {

  /** A Java class (a dotted lower-case package, a nested class) or an exception's name. */
  private static final Pattern JAVA_NAME =
      Pattern.compile("[a-z]+\\.[a-z]+\\.[A-Z]|\\$|Exception|null");

  @Test
  void everyCodeAndEveryRuleHasASentenceThatNamesNoJavaType() {
    for (ErrorCode code : ErrorCode.values()) {
      assertWords(ErrorText.of(code), code.name());
      assertWords(ErrorText.onSocket(code, "c-1"), code.name());
      assertWords(ErrorText.onSocket(code, null), code.name());
    }
    for (Rule rule : Rule.values()) {
      assertWords(ErrorText.of(new ErrorDetail(rule, "field", 1, 9)), rule.name());
      assertWords(ErrorText.of(ErrorDetail.of(rule)), rule.name());
    }
  }

  @Test
  void aRuleNamesItsFieldAndBounds() {
    assertEquals(
        "`title` must be 1-100 characters",
        ErrorText.of(ErrorDetail.between(Rule.LENGTH, "title", 1, 100)));
    assertEquals(
        "`body` is larger than 65536 bytes (UTF-8)",
        ErrorText.of(
            new DomainException(
                ErrorCode.TOO_LARGE, ErrorDetail.atMost(Rule.BYTES, "body", 65536))));
    assertEquals(
        "field `members` must be a list of user ids",
        ErrorText.of(DomainException.of(ErrorCode.BAD_REQUEST, Rule.USER_IDS, "members")));
  }

  @Test
  void aRefusalWithoutDetailReadsAsItsCode() {
    assertEquals("the group is full", ErrorText.of(new DomainException(ErrorCode.GROUP_FULL)));
    assertEquals(
        "you are not a member of conversation g-7",
        ErrorText.onSocket(ErrorCode.NOT_MEMBER, "g-7"));
    assertEquals("no conversation g-7", ErrorText.onSocket(ErrorCode.NOT_FOUND, "g-7"));
  }

  private static void assertWords(String sentence, String of) {
    assertFalse(sentence == null || sentence.isBlank(), of + " has no sentence");
    assertFalse(JAVA_NAME.matcher(sentence).find(), of + ": " + sentence);
  }
}
