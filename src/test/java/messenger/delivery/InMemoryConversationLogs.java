package messenger.delivery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import messenger.chat.ChatMessage;
import messenger.chat.ConversationHeads;
import messenger.chat.ConversationLog;

/**
 * The conversations' logs as a starting inbox reads them ({@link InboxReads}), held in memory and
 * written by the test: what a conversation posted, whether or not the inbox heard of it. Head reads
 * can be made to fail, to see the inbox retry them.
 */
final class InMemoryConversationLogs implements ConversationHeads, ConversationLog {

  private final Map<String, List<ChatMessage>> logs = new HashMap<>();
  private final AtomicInteger headReads = new AtomicInteger();
  private final AtomicInteger headReadsToFail = new AtomicInteger();

  InboxReads reads() {
    return new InboxReads(this, this);
  }

  /** The conversation wrote these; a seq the log already has is not written twice. */
  synchronized void posted(List<ChatMessage> messages) {
    for (ChatMessage message : messages) {
      List<ChatMessage> log =
          logs.computeIfAbsent(message.conversationId(), id -> new ArrayList<>());
      long last = log.isEmpty() ? 0 : log.get(log.size() - 1).seq();
      if (message.seq() > last) log.add(message);
    }
  }

  /** The next {@code count} head reads fail, as a journal that cannot be reached does. */
  void failHeadReads(int count) {
    headReadsToFail.set(count);
  }

  int headReads() {
    return headReads.get();
  }

  @Override
  public synchronized CompletionStage<Map<String, Long>> lastSeqs(Map<String, Long> known) {
    headReads.incrementAndGet();
    if (headReadsToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return CompletableFuture.failedFuture(new IllegalStateException("journal unreachable"));
    }
    Map<String, Long> heads = new HashMap<>();
    known.forEach(
        (id, seq) -> {
          List<ChatMessage> log = logs.getOrDefault(id, List.of());
          long last = log.isEmpty() ? 0 : log.get(log.size() - 1).seq();
          heads.put(id, Math.max(seq, last));
        });
    return CompletableFuture.completedFuture(heads);
  }

  @Override
  public synchronized CompletionStage<List<ChatMessage>> read(
      String conversationId, long fromSeq, long toSeq) {
    List<ChatMessage> range =
        logs.getOrDefault(conversationId, List.of()).stream()
            .filter(m -> m.seq() >= fromSeq && m.seq() <= toSeq)
            .toList();
    return CompletableFuture.completedFuture(range);
  }
}
