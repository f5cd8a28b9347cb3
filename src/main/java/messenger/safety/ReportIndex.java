package messenger.safety;

import akka.Done;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import messenger.CborSerializable;

/**
 * The list of reports by status, beside the reports themselves ({@link Report} keeps each one):
 * what moderators page through. Each report is in exactly one list once its last write has landed;
 * every write can be made again (a {@link Report} makes its own again when it recovers), and a
 * report's move to {@code resolved} wins over a late write of it as {@code open}.
 */
public interface ReportIndex {

  enum Status {
    OPEN,
    RESOLVED;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The status named {@code wire}, or null. */
    public static Status fromWire(String wire) {
      for (Status status : values()) {
        if (status.wire().equals(wire)) return status;
      }
      return null;
    }
  }

  /**
   * One report in a list: enough to sort and choose; the report itself has the rest.
   *
   * @param kind {@code message} or {@code user}
   */
  record Entry(String reportId, Instant createdAt, String reason, String kind, String reporterId)
      implements CborSerializable {}

  /**
   * @param nextCursor pass it to get the next page; null at the end
   */
  record Page(List<Entry> entries, String nextCursor) {
    public Page {
      entries = List.copyOf(entries);
    }
  }

  /** The report is open. */
  CompletionStage<Done> filed(Entry entry);

  /** The report moved from the open list to the resolved one. */
  CompletionStage<Done> resolved(Entry entry);

  /**
   * Up to {@code limit} reports of {@code status}, oldest first, after the one {@code cursor} names
   * (null: from the first).
   */
  CompletionStage<Page> list(Status status, int limit, String cursor);
}
