package messenger.chat;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.persistence.cassandra.query.javadsl.CassandraReadJournal;
import akka.persistence.query.PersistenceQuery;
import akka.stream.alpakka.cassandra.javadsl.CassandraSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.typesafe.config.Config;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * {@link MessageChanges} in a Cassandra table beside the journal, one partition per conversation: a
 * row per (message, change), where the change is its edit, its deletion, or one user's reaction
 * with one emoji. Every write carries the amendment's seq as its write time, so the last amendment
 * in log order wins whatever order the writes land in, and writing one again changes nothing.
 *
 * <p>A deletion also drops the edit's text, redacts the message's edit entries (their text is the
 * message's too), deletes the message's files ({@link Files}) and redacts its journal row ({@link
 * JournalRedaction}), in that order: each step can be done again, so a crash part way is finished
 * by the next recording of the same deletion.
 */
public final class CassandraMessageChanges implements MessageChanges {

  /** Deletes a message's files from the object store. */
  @FunctionalInterface
  public interface Files {
    CompletionStage<Done> delete(ChatMessage message);

    Files NONE = message -> CompletableFuture.completedFuture(Done.getInstance());
  }

  static final String TABLE = "message_changes";
  private static final String EDIT = "edit";
  private static final String DELETE = "delete";

  /** Per edit of a message, the edit entry's seq (no text): what a deletion must also redact. */
  private static final String EDITED_BY = "edited-by\n";

  /** On an edit entry whose message was deleted: served without its text. */
  private static final String REDACTED = "redacted";

  private static final String REACTION = "reaction\n";

  private final CassandraSession session;
  private final JournalRedaction redaction;
  private final Files files;
  private final String writeProfile;
  private final String readProfile;
  private final CompletionStage<Statements> statements;

  private record Statements(
      PreparedStatement put,
      PreparedStatement remove,
      PreparedStatement range,
      PreparedStatement message) {}

  public CassandraMessageChanges(ActorSystem<?> system, String readJournalPluginId, Files files) {
    this.session =
        PersistenceQuery.get(system)
            .getReadJournalFor(CassandraReadJournal.class, readJournalPluginId)
            .session();
    this.redaction = new JournalRedaction(system, session);
    this.files = files;
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
        + " (conversation_id text, target_seq bigint, change text, body text, at timestamp,"
        + " emoji text, user_id text, PRIMARY KEY ((conversation_id), target_seq, change))";
  }

  private CompletionStage<Statements> prepare(String table) {
    CompletionStage<PreparedStatement> put =
        session.prepare(
            "INSERT INTO "
                + table
                + " (conversation_id, target_seq, change, body, at, emoji, user_id)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?");
    CompletionStage<PreparedStatement> remove =
        session.prepare(
            "DELETE FROM "
                + table
                + " USING TIMESTAMP ? WHERE conversation_id = ? AND target_seq = ? AND change = ?");
    CompletionStage<PreparedStatement> range =
        session.prepare(
            "SELECT target_seq, change, body, at, emoji, user_id FROM "
                + table
                + " WHERE conversation_id = ? AND target_seq >= ? AND target_seq <= ?");
    CompletionStage<PreparedStatement> message =
        session.prepare(
            "SELECT change FROM " + table + " WHERE conversation_id = ? AND target_seq = ?");
    return put.thenCompose(
        p ->
            remove.thenCompose(
                r -> range.thenCompose(q -> message.thenApply(m -> new Statements(p, r, q, m)))));
  }

  @Override
  public CompletionStage<Done> record(ChatMessage entry) {
    Amendment amendment = entry.amendment();
    String conversation = entry.conversationId();
    long target = amendment.targetSeq();
    long writeTime = entry.seq();
    return switch (amendment.kind()) {
      case EDIT ->
          write(
                  s ->
                      s.put()
                          .bind(
                              conversation,
                              target,
                              EDIT,
                              amendment.body(),
                              entry.timestamp(),
                              null,
                              null,
                              writeTime))
              .thenCompose(
                  done ->
                      write(
                          s ->
                              s.put()
                                  .bind(
                                      conversation,
                                      target,
                                      EDITED_BY + entry.seq(),
                                      null,
                                      entry.timestamp(),
                                      null,
                                      null,
                                      writeTime)));
      case DELETE ->
          write(
                  s ->
                      s.put()
                          .bind(
                              conversation,
                              target,
                              DELETE,
                              null,
                              entry.timestamp(),
                              null,
                              null,
                              writeTime))
              .thenCompose(
                  done -> write(s -> s.remove().bind(writeTime, conversation, target, EDIT)))
              .thenCompose(done -> redactEdits(conversation, target, entry))
              .thenCompose(done -> erase(conversation, target));
      case REACTION -> {
        String key = reactionKey(amendment.emoji(), entry.senderId());
        yield amendment.on()
            ? write(
                s ->
                    s.put()
                        .bind(
                            conversation,
                            target,
                            key,
                            null,
                            entry.timestamp(),
                            amendment.emoji(),
                            entry.senderId(),
                            writeTime))
            : write(s -> s.remove().bind(writeTime, conversation, target, key));
      }
    };
  }

  @Override
  public CompletionStage<Map<Long, Current>> read(String conversationId, long fromSeq, long toSeq) {
    return statements
        .thenCompose(
            s ->
                session.selectAll(
                    s.range()
                        .bind(conversationId, fromSeq, toSeq)
                        .setExecutionProfileName(readProfile)))
        .thenApply(CassandraMessageChanges::current);
  }

  /** The rows of a range, message by message. */
  static Map<Long, Current> current(List<Row> rows) {
    Map<Long, List<Row>> byMessage = new TreeMap<>();
    for (Row row : rows) {
      byMessage.computeIfAbsent(row.getLong("target_seq"), seq -> new ArrayList<>()).add(row);
    }
    Map<Long, Current> current = new HashMap<>();
    byMessage.forEach((seq, changes) -> current.put(seq, of(changes)));
    return current;
  }

  private static Current of(List<Row> changes) {
    String body = null;
    Instant editedAt = null;
    Instant deletedAt = null;
    Map<String, List<String>> reactions = new TreeMap<>();
    for (Row row : changes) {
      String change = row.getString("change");
      if (change.equals(EDIT)) {
        body = row.getString("body");
        editedAt = row.getInstant("at");
      } else if (change.equals(DELETE) || change.equals(REDACTED)) {
        deletedAt = row.getInstant("at");
      } else if (change.startsWith(REACTION)) {
        reactions
            .computeIfAbsent(row.getString("emoji"), emoji -> new ArrayList<>())
            .add(row.getString("user_id"));
      }
      // EDITED_BY rows only tell a deletion which edit entries to redact.
    }
    return new Current(body, new Revision(editedAt, deletedAt, reactions));
  }

  /** One row per user and emoji: taking a reaction off deletes exactly it. */
  private static String reactionKey(String emoji, String userId) {
    return REACTION + emoji + "\n" + userId;
  }

  /**
   * The edits of a deleted message hold its text too: each edit entry is marked redacted (history
   * serves it without the text) and its journal row redacted.
   */
  private CompletionStage<Done> redactEdits(String conversationId, long target, ChatMessage entry) {
    return statements
        .thenCompose(
            s ->
                session.selectAll(
                    s.message().bind(conversationId, target).setExecutionProfileName(readProfile)))
        .thenCompose(
            rows -> {
              CompletionStage<Done> all = CompletableFuture.completedFuture(Done.getInstance());
              for (Row row : rows) {
                String change = row.getString("change");
                if (!change.startsWith(EDITED_BY)) continue;
                long edit = Long.parseLong(change.substring(EDITED_BY.length()));
                all =
                    all.thenCompose(
                            done ->
                                write(
                                    s ->
                                        s.put()
                                            .bind(
                                                conversationId,
                                                edit,
                                                REDACTED,
                                                null,
                                                entry.timestamp(),
                                                null,
                                                null,
                                                entry.seq())))
                        .thenCompose(done -> redactRow(conversationId, edit));
              }
              return all;
            });
  }

  private CompletionStage<Done> redactRow(String conversationId, long seq) {
    return redaction
        .find(conversationId, seq)
        .thenCompose(
            found ->
                found.isEmpty()
                    ? CompletableFuture.completedFuture(null)
                    : redaction.redact(found.get()))
        .thenApply(done -> Done.getInstance());
  }

  /** The files first: once the row is redacted nothing names them any more. */
  private CompletionStage<Done> erase(String conversationId, long seq) {
    return redaction
        .find(conversationId, seq)
        .thenCompose(
            found -> {
              if (found.isEmpty()) return CompletableFuture.completedFuture(Done.getInstance());
              var stored = found.get();
              return files
                  .delete(stored.posted().message())
                  .thenCompose(done -> redaction.redact(stored))
                  .thenApply(done -> Done.getInstance());
            });
  }

  private CompletionStage<Done> write(Function<Statements, BoundStatement> bind) {
    return statements.thenCompose(
        s -> session.executeWrite(bind.apply(s).setExecutionProfileName(writeProfile)));
  }
}
