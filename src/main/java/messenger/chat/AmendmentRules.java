package messenger.chat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import messenger.ErrorCode;

/**
 * Whether a user may make an {@link Amendment} to a message, from what the server knows of the
 * message: pure, like {@link ConversationRules}. The target is the message as history serves it now
 * (edited, deleted), or null when the user cannot see it (it does not exist, or is before where
 * they joined). Membership and who may delete whose message in a group are the conversation's to
 * check: it holds the roster.
 *
 * @param editWindow how long after sending a message may be edited ({@code edit-window})
 * @param reactions the emoji a user may react with ({@code reactions})
 */
public record AmendmentRules(Duration editWindow, List<String> reactions) {

  public AmendmentRules {
    reactions = List.copyOf(reactions);
  }

  /** The refusal, or empty when the amendment may be recorded. In the order clients see them. */
  public Optional<ErrorCode> check(
      String userId, Amendment amendment, ChatMessage target, Instant now) {
    if (target == null) return Optional.of(ErrorCode.NOT_FOUND);
    if (!target.isUserMessage()) return Optional.of(ErrorCode.NOT_A_MESSAGE);
    if (target.later().deleted()) return Optional.of(ErrorCode.MESSAGE_DELETED);
    return switch (amendment.kind()) {
      case EDIT -> edit(userId, target, now);
      case DELETE -> Optional.empty();
      case REACTION ->
          reactions.contains(amendment.emoji())
              ? Optional.empty()
              : Optional.of(ErrorCode.REACTION_NOT_ALLOWED);
    };
  }

  private Optional<ErrorCode> edit(String userId, ChatMessage target, Instant now) {
    if (!target.senderId().equals(userId)) return Optional.of(ErrorCode.NOT_SENDER);
    if (now.isAfter(target.timestamp().plus(editWindow))) {
      return Optional.of(ErrorCode.EDIT_WINDOW_PASSED);
    }
    return Optional.empty();
  }
}
