package messenger.safety;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import messenger.chat.Notice;

/**
 * What of a notice (typing, receipts, presence) reaches a user who blocks some others: nothing that
 * comes from a blocked user. A batch of receipts keeps the others' receipts.
 */
public final class BlockedNotices {

  private BlockedNotices() {}

  /** {@code notice} as the user who blocks {@code blocked} is told it, or empty: not at all. */
  public static Optional<Notice> forBlocker(Notice notice, Set<String> blocked) {
    if (blocked.isEmpty()) return Optional.of(notice);
    if (notice instanceof Notice.Typing t) return from(t.userId(), notice, blocked);
    if (notice instanceof Notice.Receipt r) return from(r.userId(), notice, blocked);
    if (notice instanceof Notice.Presence p) return from(p.userId(), notice, blocked);
    if (notice instanceof Notice.Receipts batch) {
      List<Notice.Receipt> kept =
          batch.receipts().stream().filter(r -> !blocked.contains(r.userId())).toList();
      if (kept.isEmpty()) return Optional.empty();
      return Optional.of(
          kept.size() == batch.receipts().size() ? batch : new Notice.Receipts(kept));
    }
    // Notice is sealed; BlockedNoticesTest walks its kinds, so a new one fails there first.
    throw new IllegalStateException("no rule for notice " + notice.getClass().getName());
  }

  private static Optional<Notice> from(String userId, Notice notice, Set<String> blocked) {
    return blocked.contains(userId) ? Optional.empty() : Optional.of(notice);
  }
}
