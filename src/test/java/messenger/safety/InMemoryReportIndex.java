package messenger.safety;

import akka.Done;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A {@link ReportIndex} in memory, for entity tests; {@link #failing} makes the next write fail.
 */
final class InMemoryReportIndex implements ReportIndex {
  final Map<String, Status> statuses = new ConcurrentSkipListMap<>();
  final Map<String, Entry> entries = new ConcurrentSkipListMap<>();
  volatile boolean failing;

  @Override
  public CompletionStage<Done> filed(Entry entry) {
    return write(entry, Status.OPEN);
  }

  @Override
  public CompletionStage<Done> resolved(Entry entry) {
    return write(entry, Status.RESOLVED);
  }

  private CompletionStage<Done> write(Entry entry, Status status) {
    if (failing) {
      failing = false;
      return CompletableFuture.failedFuture(new IllegalStateException("index down"));
    }
    // As the Cassandra index: once resolved, a late write as open changes nothing.
    statuses.merge(entry.reportId(), status, (old, fresh) -> old == Status.RESOLVED ? old : fresh);
    entries.put(entry.reportId(), entry);
    return CompletableFuture.completedFuture(Done.getInstance());
  }

  @Override
  public CompletionStage<Page> list(Status status, int limit, String cursor) {
    List<Entry> page = new ArrayList<>();
    for (var e : statuses.entrySet()) {
      if (e.getValue() != status) continue;
      if (cursor != null && e.getKey().compareTo(cursor) <= 0) continue;
      page.add(entries.get(e.getKey()));
    }
    boolean more = page.size() > limit;
    List<Entry> shown = page.subList(0, Math.min(limit, page.size()));
    return CompletableFuture.completedFuture(
        new Page(shown, more ? shown.get(shown.size() - 1).reportId() : null));
  }
}
