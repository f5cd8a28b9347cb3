package messenger.chat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a direct conversation knows of blocks between its two members, in memory only: unknown after
 * a start until the block lists have answered, then kept current by the changes it is told. Of two
 * facts about one blocker, the one of the later version of their list stands. Posts wait while it
 * is unknown, and are refused {@code blocked} while either member blocks the other.
 */
final class DirectBlocks {

  enum Status {
    /** Nothing asked yet (or the last question failed): the next post asks. */
    UNKNOWN,
    ASKING,
    KNOWN
  }

  private final Map<String, BlockFact> byBlocker = new HashMap<>();
  private Status status;

  /**
   * @param known true when there is nothing to ask (no block lists: entity tests)
   */
  DirectBlocks(boolean known) {
    this.status = known ? Status.KNOWN : Status.UNKNOWN;
  }

  Status status() {
    return status;
  }

  void asking() {
    status = Status.ASKING;
  }

  /** A change told by the block service, whatever the status: it may be newer than an answer. */
  void heard(BlockFact fact) {
    BlockFact known = byBlocker.get(fact.blockerId());
    if (known == null || fact.version() >= known.version()) byBlocker.put(fact.blockerId(), fact);
  }

  void answered(List<BlockFact> facts) {
    facts.forEach(this::heard);
    status = Status.KNOWN;
  }

  void askFailed() {
    status = Status.UNKNOWN;
  }

  /** Whether either member blocks the other (as far as is known). */
  boolean blocked() {
    return byBlocker.values().stream().anyMatch(BlockFact::blocked);
  }
}
