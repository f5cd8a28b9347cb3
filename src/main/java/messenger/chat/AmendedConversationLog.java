package messenger.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The log as history and catch-up serve it: each message as it now is (latest text, {@code
 * editedAt}, reactions; a tombstone once deleted), from the journal and the {@link MessageChanges}
 * beside it. Entries that are not messages are served as written.
 */
public final class AmendedConversationLog implements ConversationLog {

  private final ConversationLog journal;
  private final MessageChanges changes;

  public AmendedConversationLog(ConversationLog journal, MessageChanges changes) {
    this.journal = journal;
    this.changes = changes;
  }

  @Override
  public CompletionStage<List<ChatMessage>> read(String conversationId, long fromSeq, long toSeq) {
    return journal
        .read(conversationId, fromSeq, toSeq)
        .thenCompose(
            entries -> {
              if (entries.stream().noneMatch(ChatMessage::isUserMessage)) {
                return CompletableFuture.completedFuture(entries);
              }
              long first = entries.get(0).seq();
              long last = entries.get(entries.size() - 1).seq();
              return changes
                  .read(conversationId, first, last)
                  .thenApply(current -> revised(entries, current));
            });
  }

  static List<ChatMessage> revised(
      List<ChatMessage> entries, Map<Long, MessageChanges.Current> current) {
    if (current.isEmpty()) return entries;
    List<ChatMessage> revised = new ArrayList<>(entries.size());
    for (ChatMessage entry : entries) {
      MessageChanges.Current now = entry.isUserMessage() ? current.get(entry.seq()) : null;
      revised.add(now == null ? entry : entry.revised(now.revision(), now.body()));
    }
    return revised;
  }
}
