package messenger.safety;

import java.util.Optional;
import messenger.ErrorDetail;
import messenger.ErrorDetail.Rule;

/**
 * What a report must say, as pure rules: a target that is either a message ({@code conversationId}
 * and a positive {@code seq}) or a user ({@code userId}), never both; a reason of {@link
 * ReportReason}; a note of at most {@value #MAX_NOTE_CHARS} characters, or none. Each check answers
 * what is wrong (a {@code bad_request}), or empty.
 */
public final class ReportRules {
  public static final int MAX_NOTE_CHARS = 1000;
  static final int MAX_ID_CHARS = 128;

  private ReportRules() {}

  /** What is wrong with a report, in the order clients see it; empty if it may be filed. */
  public static Optional<ErrorDetail> check(
      String conversationId, Long seq, String userId, String reason, String note) {
    boolean message = conversationId != null || seq != null;
    boolean user = userId != null;
    if (message == user) return refused(ErrorDetail.of(Rule.REPORT_TARGET));
    if (message) {
      if (conversationId == null || conversationId.isBlank()) {
        return refused(ErrorDetail.of(Rule.REQUIRED, "conversationId"));
      }
      if (conversationId.length() > MAX_ID_CHARS) {
        return refused(ErrorDetail.atMost(Rule.AT_MOST_CHARS, "conversationId", MAX_ID_CHARS));
      }
      if (seq == null) return refused(ErrorDetail.of(Rule.REQUIRED, "seq"));
      if (seq < 1) return refused(ErrorDetail.of(Rule.POSITIVE, "seq"));
    } else if (userId.isBlank() || userId.length() > MAX_ID_CHARS) {
      return refused(ErrorDetail.between(Rule.LENGTH, "userId", 1, MAX_ID_CHARS));
    }
    if (reason == null) return refused(ErrorDetail.of(Rule.REQUIRED, "reason"));
    if (ReportReason.fromWire(reason) == null) return refused(ErrorDetail.of(Rule.REPORT_REASON));
    return noteProblem(note, "note");
  }

  /** A note (of a report or a resolution) is optional, at most {@value #MAX_NOTE_CHARS} chars. */
  public static Optional<ErrorDetail> noteProblem(String note, String field) {
    if (note != null && note.codePointCount(0, note.length()) > MAX_NOTE_CHARS) {
      return refused(ErrorDetail.atMost(Rule.AT_MOST_CHARS, field, MAX_NOTE_CHARS));
    }
    return Optional.empty();
  }

  private static Optional<ErrorDetail> refused(ErrorDetail detail) {
    return Optional.of(detail);
  }
}
