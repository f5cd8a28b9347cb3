package messenger.safety;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.persistence.cassandra.query.javadsl.CassandraReadJournal;
import akka.persistence.query.PersistenceQuery;
import akka.stream.alpakka.cassandra.javadsl.CassandraSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.typesafe.config.Config;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link ReportIndex} in a Cassandra table beside the journal: one partition per status, a row per
 * report, clustered by report id (UUIDv7, so by when it was filed). A report is written as open
 * with write time 1 and moved (deleted from open, written to resolved, in one logged batch) with
 * write time 2: a report goes that way once, so a late or repeated write as open never brings back
 * a report that was resolved.
 *
 * <p>Bound: the {@code resolved} partition grows by one row (about 150 bytes) per report, so it
 * stays under Cassandra's advised 100 MB up to some 600,000 resolved reports; beyond that it wants
 * a time bucket in its key (docs/security.md). The open partition holds only what is open.
 */
public final class CassandraReportIndex implements ReportIndex {

  static final String TABLE = "reports_by_status";
  private static final long OPEN_WRITE_TIME = 1;
  private static final long RESOLVED_WRITE_TIME = 2;

  private final CassandraSession session;
  private final String writeProfile;
  private final String readProfile;
  private final CompletionStage<Statements> statements;

  private record Statements(
      PreparedStatement put, PreparedStatement remove, PreparedStatement page) {}

  public CassandraReportIndex(ActorSystem<?> system, String readJournalPluginId) {
    this.session =
        PersistenceQuery.get(system)
            .getReadJournalFor(CassandraReadJournal.class, readJournalPluginId)
            .session();
    Config cassandra = system.settings().config().getConfig("akka.persistence.cassandra");
    this.writeProfile = cassandra.getString("write-profile");
    this.readProfile = cassandra.getString("read-profile");
    Config journal = cassandra.getConfig("journal");
    String table = journal.getString("keyspace") + "." + TABLE;
    CompletionStage<Done> created =
        journal.getBoolean("tables-autocreate")
            ? session.executeDDL(createTable(table))
            : CompletableFuture.completedFuture(Done.getInstance());
    this.statements = created.thenCompose(done -> prepare(table));
  }

  /** The table, as conf/cql/schema.cql creates it for production. */
  static String createTable(String table) {
    return "CREATE TABLE IF NOT EXISTS "
        + table
        + " (status text, report_id text, created_at timestamp, reason text, kind text,"
        + " reporter_id text, PRIMARY KEY ((status), report_id))";
  }

  private CompletionStage<Statements> prepare(String table) {
    CompletionStage<PreparedStatement> put =
        session.prepare(
            "INSERT INTO "
                + table
                + " (status, report_id, created_at, reason, kind, reporter_id)"
                + " VALUES (?, ?, ?, ?, ?, ?) USING TIMESTAMP ?");
    CompletionStage<PreparedStatement> remove =
        session.prepare(
            "DELETE FROM " + table + " USING TIMESTAMP ? WHERE status = ? AND report_id = ?");
    CompletionStage<PreparedStatement> page =
        session.prepare(
            "SELECT report_id, created_at, reason, kind, reporter_id FROM "
                + table
                + " WHERE status = ? AND report_id > ? LIMIT ?");
    return put.thenCompose(
        p -> remove.thenCompose(r -> page.thenApply(q -> new Statements(p, r, q))));
  }

  @Override
  public CompletionStage<Done> filed(Entry entry) {
    return statements.thenCompose(
        s ->
            session.executeWrite(
                put(s, Status.OPEN, entry, OPEN_WRITE_TIME).setExecutionProfileName(writeProfile)));
  }

  @Override
  public CompletionStage<Done> resolved(Entry entry) {
    return statements.thenCompose(
        s ->
            session.executeWrite(
                BatchStatement.newInstance(
                        DefaultBatchType.LOGGED,
                        s.remove().bind(RESOLVED_WRITE_TIME, Status.OPEN.wire(), entry.reportId()),
                        put(s, Status.RESOLVED, entry, RESOLVED_WRITE_TIME))
                    .setExecutionProfileName(writeProfile)));
  }

  private static com.datastax.oss.driver.api.core.cql.BoundStatement put(
      Statements s, Status status, Entry entry, long writeTime) {
    return s.put()
        .bind(
            status.wire(),
            entry.reportId(),
            entry.createdAt(),
            entry.reason(),
            entry.kind(),
            entry.reporterId(),
            writeTime);
  }

  @Override
  public CompletionStage<Page> list(Status status, int limit, String cursor) {
    // One more than asked: whether there is a next page, without a second query.
    return statements
        .thenCompose(
            s ->
                session.selectAll(
                    s.page()
                        .bind(status.wire(), cursor == null ? "" : cursor, limit + 1)
                        .setExecutionProfileName(readProfile)))
        .thenApply(rows -> page(rows, limit));
  }

  private static Page page(List<Row> rows, int limit) {
    List<Entry> entries =
        rows.stream()
            .limit(limit)
            .map(
                row ->
                    new Entry(
                        row.getString("report_id"),
                        row.getInstant("created_at"),
                        row.getString("reason"),
                        row.getString("kind"),
                        row.getString("reporter_id")))
            .toList();
    String next = rows.size() > limit ? entries.get(entries.size() - 1).reportId() : null;
    return new Page(entries, next);
  }
}
