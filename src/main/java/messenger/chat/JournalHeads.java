package messenger.chat;

import akka.actor.typed.ActorSystem;
import akka.persistence.cassandra.query.javadsl.CassandraReadJournal;
import akka.persistence.query.PersistenceQuery;
import akka.persistence.typed.PersistenceId;
import akka.stream.alpakka.cassandra.javadsl.CassandraSession;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.typesafe.config.Config;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link ConversationHeads} from the Cassandra journal's table: the highest {@code sequence_nr} of
 * the conversation's persistence id, minus one (entry 1 creates the conversation, entry {@code n +
 * 1} is seq {@code n}).
 *
 * <p>The journal splits a persistence id into partitions of {@code target-partition-size} entries
 * and may write a batch that crosses a boundary wholly into the later partition, so the walk from
 * the known entry's partition stops only at an empty partition that follows another empty one, as
 * the plugin's own recovery does.
 */
public final class JournalHeads implements ConversationHeads {

  /** Conversations read at once: a user with hundreds of them does not flood the driver. */
  private static final int PARALLELISM = 8;

  private final ActorSystem<?> system;
  private final CassandraSession session;
  private final long partitionSize;
  private final String readProfile;
  private final CompletionStage<PreparedStatement> highest;

  public JournalHeads(ActorSystem<?> system, String readJournalPluginId) {
    this.system = system;
    // The read journal's session: it is the plugin's, created with the keyspace and tables.
    this.session =
        PersistenceQuery.get(system)
            .getReadJournalFor(CassandraReadJournal.class, readJournalPluginId)
            .session();
    Config journal = system.settings().config().getConfig("akka.persistence.cassandra.journal");
    this.partitionSize = journal.getLong("target-partition-size");
    this.readProfile =
        system.settings().config().getString("akka.persistence.cassandra.read-profile");
    this.highest =
        session.prepare(
            "SELECT sequence_nr FROM "
                + journal.getString("keyspace")
                + "."
                + journal.getString("table")
                + " WHERE persistence_id = ? AND partition_nr = ? ORDER BY sequence_nr DESC LIMIT 1");
  }

  @Override
  public CompletionStage<Map<String, Long>> lastSeqs(Map<String, Long> known) {
    return Source.from(known.entrySet())
        .mapAsyncUnordered(
            PARALLELISM,
            e -> lastSeq(e.getKey(), e.getValue()).thenApply(seq -> Map.entry(e.getKey(), seq)))
        .runWith(
            Sink.fold(
                new HashMap<String, Long>(),
                (all, e) -> {
                  all.put(e.getKey(), e.getValue());
                  return all;
                }),
            system)
        .thenApply(Map::copyOf);
  }

  private CompletionStage<Long> lastSeq(String conversationId, long knownSeq) {
    String persistenceId = PersistenceId.of(Conversation.ENTITY_KEY.name(), conversationId).id();
    long knownEntry = knownSeq + 1;
    return walk(persistenceId, (knownEntry - 1) / partitionSize, knownEntry, false)
        .thenApply(entry -> entry - 1);
  }

  private CompletionStage<Long> walk(
      String persistenceId, long partition, long best, boolean lastWasEmpty) {
    return highestIn(persistenceId, partition)
        .thenCompose(
            found -> {
              if (found > 0)
                return walk(persistenceId, partition + 1, Math.max(best, found), false);
              if (lastWasEmpty) return CompletableFuture.completedFuture(best);
              return walk(persistenceId, partition + 1, best, true);
            });
  }

  /** The highest entry in one partition, 0 when it has none. */
  private CompletionStage<Long> highestIn(String persistenceId, long partition) {
    return highest.thenCompose(
        statement ->
            session
                .selectOne(
                    statement.bind(persistenceId, partition).setExecutionProfileName(readProfile))
                .thenApply(row -> row.map(r -> r.getLong("sequence_nr")).orElse(0L)));
  }
}
