package messenger.chat;

import akka.Done;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where the messages of a conversation stand after their {@link Amendment}s: the index history and
 * catch-up read beside the log, so that showing a page does not mean reading every later entry. The
 * conversation records each amendment here after it is in the log and before its sender hears back;
 * recording is idempotent and ordered by the amendment's seq, so doing it again (a retry, a
 * restart) or out of order ends the same.
 */
public interface MessageChanges {

  /**
   * What a message is now, when an amendment changed it.
   *
   * @param body the latest text (null: as sent)
   */
  record Current(String body, Revision revision) {}

  /** Records what {@code amendmentEntry} (an entry with an amendment) does to its target. */
  CompletionStage<Done> record(ChatMessage amendmentEntry);

  /** The messages among {@code fromSeq..toSeq} that amendments changed, by seq. */
  CompletionStage<Map<Long, Current>> read(String conversationId, long fromSeq, long toSeq);

  /** Nothing is ever changed: for tests that make no amendments. */
  MessageChanges NONE =
      new MessageChanges() {
        @Override
        public CompletionStage<Done> record(ChatMessage amendmentEntry) {
          return CompletableFuture.completedFuture(Done.getInstance());
        }

        @Override
        public CompletionStage<Map<Long, Current>> read(
            String conversationId, long fromSeq, long toSeq) {
          return CompletableFuture.completedFuture(Map.of());
        }
      };
}
