package messenger.safety;

import java.util.Map;
import java.util.Optional;
import messenger.ErrorCode;

/**
 * Whether a user may block another, as pure rules: each answers the refusal, or empty when the
 * block may go ahead. Blocking someone already blocked is allowed (and changes nothing), even at
 * the bound, so that a client's retry gets the same answer as the first try.
 *
 * @param maxBlocks {@code messenger.safety.max-blocks}: the most users one user may block
 */
public record BlockRules(int maxBlocks) {

  /** Oneself: refused before anything else (the edge checks it, the entity too). */
  public static Optional<ErrorCode> target(String blockerId, String userId) {
    return blockerId.equals(userId) ? Optional.of(ErrorCode.BAD_REQUEST) : Optional.empty();
  }

  /** A new block beyond {@code maxBlocks} is refused with {@code too_many_blocks}. */
  public Optional<ErrorCode> block(Map<String, ?> blocked, String blockerId, String userId) {
    Optional<ErrorCode> self = target(blockerId, userId);
    if (self.isPresent()) return self;
    if (!blocked.containsKey(userId) && blocked.size() >= maxBlocks) {
      return Optional.of(ErrorCode.TOO_MANY_BLOCKS);
    }
    return Optional.empty();
  }
}
