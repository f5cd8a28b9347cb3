package messenger.chat;

import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Posts a conversation has ordered but not yet persisted: the group commit. A conversation that
 * persisted one message per journal round trip would top out near 1,000 messages/s; instead the
 * posts that arrive while a write is in flight are numbered here and written together in the next
 * one. Nobody is acknowledged before the write that holds their message succeeds.
 *
 * <p>Owned by one conversation actor and touched only from it, like {@link FanoutTracker}. Lost
 * with the actor on a crash, which is safe: none of it was acknowledged.
 */
final class PostBatch {

  private static final TimeBasedEpochGenerator MESSAGE_IDS = Generators.timeBasedEpochGenerator();

  /** A sender waiting for the write that holds its message (a client retry waits for the same). */
  record Waiter(Conversation.Posted answer, ActorRef<StatusReply<Conversation.Posted>> replyTo) {}

  /**
   * The posts of one journal write, and whom to acknowledge once it has succeeded. The entries are
   * as fan-out delivers them; the journal gets them {@link #stored()}.
   */
  record Write(List<Conversation.MessagePosted> entries, List<Waiter> waiters) {
    void acknowledge() {
      for (Waiter waiter : waiters) waiter.replyTo().tell(StatusReply.success(waiter.answer()));
    }

    /** As the journal keeps them: a reply's quote without the quoted text (see {@link Quote}). */
    List<Conversation.Event> stored() {
      List<Conversation.Event> stored = new ArrayList<>(entries.size());
      for (Conversation.MessagePosted posted : entries) {
        Quote quote = posted.message().quote();
        stored.add(
            quote == null
                ? posted
                : new Conversation.MessagePosted(
                    posted.message().withQuote(quote.stored()), posted.clientMsgId()));
      }
      return stored;
    }
  }

  private final List<Conversation.MessagePosted> events = new ArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private final Map<String, Conversation.Posted> bySender = new HashMap<>();

  boolean isEmpty() {
    return events.isEmpty();
  }

  int size() {
    return events.size();
  }

  /**
   * The next log entry after everything persisted ({@code state}) or batched: the next seq, a new
   * UUIDv7 id, and {@code now} unless that is before the previous entry (clocks go back).
   */
  ChatMessage nextEntry(
      Conversation.Open state, String senderId, String body, SystemChange change, Instant now) {
    return nextEntry(state, senderId, body, change, List.of(), now);
  }

  ChatMessage nextEntry(
      Conversation.Open state,
      String senderId,
      String body,
      SystemChange change,
      List<Attachment> attachments,
      Instant now) {
    return nextEntry(state, senderId, body, change, attachments, null, now);
  }

  /** The next entry, a user's message. */
  ChatMessage nextMessage(
      Conversation.Open state,
      String senderId,
      String body,
      List<Attachment> attachments,
      Quote quote,
      List<String> mentions,
      Instant now) {
    return nextEntry(state, senderId, body, null, attachments, null, now)
        .withQuote(quote)
        .withMentions(mentions);
  }

  /** The next entry, an amendment. */
  ChatMessage nextAmendment(
      Conversation.Open state, String senderId, Amendment amendment, Instant now) {
    return nextEntry(state, senderId, "", null, List.of(), amendment, now);
  }

  private ChatMessage nextEntry(
      Conversation.Open state,
      String senderId,
      String body,
      SystemChange change,
      List<Attachment> attachments,
      Amendment amendment,
      Instant now) {
    long lastSeq = events.isEmpty() ? state.lastSeq() : last().seq();
    Instant lastTimestamp = events.isEmpty() ? state.lastTimestamp() : last().timestamp();
    return new ChatMessage(
        state.info().conversationId(),
        lastSeq + 1,
        MESSAGE_IDS.generate().toString(),
        senderId,
        body,
        now.isBefore(lastTimestamp) ? lastTimestamp : now,
        change,
        attachments,
        amendment,
        null);
  }

  /**
   * If {@code clientMsgId} from this sender is batched already, the retry waits for the same write
   * and gets the same answer; says whether it was.
   */
  boolean awaitBatched(
      String senderId, String clientMsgId, ActorRef<StatusReply<Conversation.Posted>> replyTo) {
    Conversation.Posted answer = bySender.get(key(senderId, clientMsgId));
    if (answer != null) waiters.add(new Waiter(answer, replyTo));
    return answer != null;
  }

  void add(Conversation.MessagePosted event, ActorRef<StatusReply<Conversation.Posted>> replyTo) {
    ChatMessage m = event.message();
    var answer = new Conversation.Posted(m.conversationId(), m.messageId(), m.seq(), m.timestamp());
    events.add(event);
    waiters.add(new Waiter(answer, replyTo));
    bySender.put(key(m.senderId(), event.clientMsgId()), answer);
  }

  /**
   * Empties the batch into one journal write, with {@code last} (a membership or title entry, or an
   * amendment; may be null) after the posts that were ordered before it.
   */
  Write take(Conversation.MessagePosted last) {
    List<Conversation.MessagePosted> entries = new ArrayList<>(events);
    if (last != null) entries.add(last);
    Write write = new Write(List.copyOf(entries), List.copyOf(waiters));
    events.clear();
    waiters.clear();
    bySender.clear();
    return write;
  }

  private ChatMessage last() {
    return events.get(events.size() - 1).message();
  }

  private static String key(String senderId, String clientMsgId) {
    return senderId + '\n' + clientMsgId;
  }
}
