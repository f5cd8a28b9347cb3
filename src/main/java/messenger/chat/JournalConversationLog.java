package messenger.chat;

import akka.actor.typed.ActorSystem;
import akka.persistence.query.PersistenceQuery;
import akka.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import akka.persistence.typed.PersistenceId;
import akka.stream.javadsl.Sink;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link ConversationLog} by replay of the conversation's journal. Message {@code seq} is journal
 * entry {@code seq + 1} (see {@link Conversation}), so a read touches exactly its range.
 */
public final class JournalConversationLog implements ConversationLog {

  private final ActorSystem<?> system;
  private final CurrentEventsByPersistenceIdQuery journal;

  public JournalConversationLog(ActorSystem<?> system, String readJournalPluginId) {
    this.system = system;
    this.journal =
        PersistenceQuery.get(system)
            .getReadJournalFor(CurrentEventsByPersistenceIdQuery.class, readJournalPluginId);
  }

  @Override
  public CompletionStage<List<ChatMessage>> read(String conversationId, long fromSeq, long toSeq) {
    if (toSeq < fromSeq) return CompletableFuture.completedFuture(List.of());
    String persistenceId = PersistenceId.of(Conversation.ENTITY_KEY.name(), conversationId).id();
    return journal
        .currentEventsByPersistenceId(persistenceId, fromSeq + 1, toSeq + 1)
        .map(envelope -> envelope.event())
        .filter(event -> event instanceof Conversation.MessagePosted)
        .map(event -> ((Conversation.MessagePosted) event).message())
        .runWith(Sink.seq(), system);
  }
}
