package messenger.delivery;

import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.persistence.query.PersistenceQuery;
import akka.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import akka.persistence.typed.PersistenceId;
import akka.stream.javadsl.Source;

/** Reads a user's inbox entries back from the {@link UserInbox} journal by replay. */
public final class InboxLog {

  private final CurrentEventsByPersistenceIdQuery journal;

  public InboxLog(ActorSystem<?> system, String readJournalPluginId) {
    this.journal =
        PersistenceQuery.get(system)
            .getReadJournalFor(CurrentEventsByPersistenceIdQuery.class, readJournalPluginId);
  }

  /**
   * The entries after {@code afterCursor} that are in the journal now, in cursor order, replaying
   * from {@code fromSeqNr} (a checkpoint from {@link UserInbox.Connected} or {@link
   * UserInbox.Located}).
   */
  public Source<InboxEntry, NotUsed> entriesAfter(String userId, long afterCursor, long fromSeqNr) {
    String persistenceId = PersistenceId.of(UserInbox.ENTITY_KEY.name(), userId).id();
    return journal
        .currentEventsByPersistenceId(persistenceId, fromSeqNr, Long.MAX_VALUE)
        .map(envelope -> envelope.event())
        .filter(
            event ->
                event instanceof UserInbox.MessageAppended appended
                    && appended.cursor() > afterCursor)
        .map(
            event -> {
              var appended = (UserInbox.MessageAppended) event;
              return new InboxEntry(appended.cursor(), appended.message());
            });
  }
}
