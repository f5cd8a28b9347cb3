package messenger.chat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The log as history and catch-up serve it: each message as it now is (latest text, {@code
 * editedAt}, reactions; a tombstone once deleted), from the journal and the {@link MessageChanges}
 * beside it, and each reply with a quote of the message it answers as that message now is. Entries
 * that are not messages are served as written.
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
    return revisedRange(conversationId, fromSeq, toSeq)
        .thenCompose(entries -> quoted(conversationId, entries));
  }

  /**
   * Fills in each reply's quote from the message it answers as it now is: in the same range, or
   * read on its own (at most one read per quoted message of the range, all at once).
   */
  private CompletionStage<List<ChatMessage>> quoted(
      String conversationId, List<ChatMessage> entries) {
    Map<Long, ChatMessage> bySeq = new HashMap<>();
    Set<Long> missing = new TreeSet<>();
    for (ChatMessage entry : entries) bySeq.put(entry.seq(), entry);
    for (ChatMessage entry : entries) {
      if (entry.quote() != null && !bySeq.containsKey(entry.quote().seq())) {
        missing.add(entry.quote().seq());
      }
    }
    if (entries.stream().noneMatch(entry -> entry.quote() != null)) {
      return CompletableFuture.completedFuture(entries);
    }
    List<CompletableFuture<List<ChatMessage>>> reads = new ArrayList<>();
    for (long seq : missing) {
      reads.add(revisedRange(conversationId, seq, seq).toCompletableFuture());
    }
    return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              Map<Long, ChatMessage> targets = new HashMap<>(bySeq);
              for (var read : reads) for (ChatMessage m : read.join()) targets.put(m.seq(), m);
              return withQuotes(entries, targets);
            });
  }

  static List<ChatMessage> withQuotes(List<ChatMessage> entries, Map<Long, ChatMessage> targets) {
    List<ChatMessage> quoted = new ArrayList<>(entries.size());
    for (ChatMessage entry : entries) {
      Quote quote = entry.quote();
      quoted.add(
          quote == null
              ? entry
              : entry.withQuote(Quote.quoting(quote.seq(), targets.get(quote.seq()))));
    }
    return quoted;
  }

  /**
   * The range from the journal and its changes from the index, both asked at once: a page costs the
   * slower of the two reads, not their sum (measured on catch-up, docs/benchmarks.md).
   */
  private CompletionStage<List<ChatMessage>> revisedRange(
      String conversationId, long fromSeq, long toSeq) {
    CompletionStage<Map<Long, MessageChanges.Current>> current =
        changes.read(conversationId, fromSeq, toSeq);
    return journal
        .read(conversationId, fromSeq, toSeq)
        .thenCombine(current, AmendedConversationLog::revised);
  }

  static List<ChatMessage> revised(
      List<ChatMessage> entries, Map<Long, MessageChanges.Current> current) {
    if (current.isEmpty()) return entries;
    List<ChatMessage> revised = new ArrayList<>(entries.size());
    for (ChatMessage entry : entries) {
      MessageChanges.Current now = entry.isSystem() ? null : current.get(entry.seq());
      revised.add(now == null ? entry : entry.revised(now.revision(), now.body()));
    }
    return revised;
  }
}
