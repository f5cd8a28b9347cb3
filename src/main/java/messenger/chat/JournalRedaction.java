package messenger.chat;

import akka.actor.typed.ActorSystem;
import akka.persistence.typed.PersistenceId;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.stream.alpakka.cassandra.javadsl.CassandraSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.typesafe.config.Config;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Takes a deleted message's text and files out of the journal row that holds it, so that the server
 * keeps no copy to serve: the row is rewritten with the same entry, redacted ({@link
 * ChatMessage#redacted()}), so replay and recovery see the same seq, id, sender and timestamp. The
 * journal is otherwise append-only; this is the one rewrite, made by the conversation that owns the
 * row after the deletion is in its log. Cassandra drops the overwritten bytes at compaction.
 *
 * <p>Entry {@code seq + 1} lies in partition {@code seq / target-partition-size}, or in the next
 * one when a batch crossed the boundary (see {@link JournalHeads}).
 */
final class JournalRedaction {

  private final CassandraSession session;
  private final Serialization serialization;
  private final long partitionSize;
  private final String writeProfile;
  private final CompletionStage<PreparedStatement> select;
  private final CompletionStage<PreparedStatement> update;

  JournalRedaction(ActorSystem<?> system, CassandraSession session) {
    this.session = session;
    this.serialization = SerializationExtension.get(system.classicSystem());
    Config journal = system.settings().config().getConfig("akka.persistence.cassandra.journal");
    this.partitionSize = journal.getLong("target-partition-size");
    this.writeProfile =
        system.settings().config().getString("akka.persistence.cassandra.write-profile");
    String table = journal.getString("keyspace") + "." + journal.getString("table");
    this.select =
        session.prepare(
            "SELECT timestamp, ser_id, ser_manifest, event FROM "
                + table
                + " WHERE persistence_id = ? AND partition_nr = ? AND sequence_nr = ?");
    this.update =
        session.prepare(
            "UPDATE "
                + table
                + " SET event = ? WHERE persistence_id = ? AND partition_nr = ? AND sequence_nr = ?"
                + " AND timestamp = ?");
  }

  /** The message at {@code seq} as the journal holds it; empty if there is no such entry. */
  CompletionStage<Optional<Stored>> find(String conversationId, long seq) {
    String persistenceId = PersistenceId.of(Conversation.ENTITY_KEY.name(), conversationId).id();
    long entry = seq + 1;
    long partition = (entry - 1) / partitionSize;
    return rowIn(persistenceId, partition, entry)
        .thenCompose(
            row ->
                row.isPresent()
                    ? CompletableFuture.completedFuture(row)
                    : rowIn(persistenceId, partition + 1, entry));
  }

  /** Rewrites the row with its message redacted (nothing to do when it is already). */
  CompletionStage<Void> redact(Stored stored) {
    ChatMessage redacted = stored.posted().message().redacted();
    if (redacted.equals(stored.posted().message())) return CompletableFuture.completedFuture(null);
    var event = new Conversation.MessagePosted(redacted, stored.posted().clientMsgId());
    byte[] bytes = serialization.serialize(event).get();
    return update.thenCompose(
        statement ->
            session
                .executeWrite(
                    statement
                        .bind(
                            ByteBuffer.wrap(bytes),
                            stored.persistenceId(),
                            stored.partition(),
                            stored.entry(),
                            stored.timestamp())
                        .setExecutionProfileName(writeProfile))
                .thenApply(done -> null));
  }

  /** One journal row of a message. */
  record Stored(
      String persistenceId,
      long partition,
      long entry,
      java.util.UUID timestamp,
      Conversation.MessagePosted posted) {}

  private CompletionStage<Optional<Stored>> rowIn(
      String persistenceId, long partition, long entry) {
    return select.thenCompose(
        statement ->
            session
                .selectOne(
                    statement
                        .bind(persistenceId, partition, entry)
                        .setExecutionProfileName(writeProfile))
                .thenApply(row -> row.map(r -> stored(persistenceId, partition, entry, r))));
  }

  private Stored stored(String persistenceId, long partition, long entry, Row row) {
    ByteBuffer buffer = row.getByteBuffer("event");
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    Object event =
        serialization.deserialize(bytes, row.getInt("ser_id"), row.getString("ser_manifest")).get();
    return new Stored(
        persistenceId,
        partition,
        entry,
        row.getUuid("timestamp"),
        (Conversation.MessagePosted) event);
  }
}
