package messenger.chat;

import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
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

  /** A sender waiting for the write that holds its message (a client retry waits for the same). */
  record Waiter(Conversation.Posted answer, ActorRef<StatusReply<Conversation.Posted>> replyTo) {}

  private final List<Conversation.MessagePosted> events = new ArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private final Map<String, Conversation.Posted> bySender = new HashMap<>();

  boolean isEmpty() {
    return events.isEmpty();
  }

  int size() {
    return events.size();
  }

  /** The seq of the newest batched entry, or {@code persistedSeq} if there is none. */
  long lastSeq(long persistedSeq) {
    return events.isEmpty() ? persistedSeq : last().seq();
  }

  /** The timestamp of the newest batched entry, or {@code persisted} if there is none. */
  Instant lastTimestamp(Instant persisted) {
    return events.isEmpty() ? persisted : last().timestamp();
  }

  /** The answer a batched post will get, if {@code clientMsgId} from this sender is batched. */
  Conversation.Posted pendingAnswer(String senderId, String clientMsgId) {
    return bySender.get(key(senderId, clientMsgId));
  }

  void add(
      Conversation.MessagePosted event, ActorRef<StatusReply<Conversation.Posted>> replyTo) {
    ChatMessage m = event.message();
    var answer = new Conversation.Posted(m.conversationId(), m.messageId(), m.seq(), m.timestamp());
    events.add(event);
    waiters.add(new Waiter(answer, replyTo));
    bySender.put(key(m.senderId(), event.clientMsgId()), answer);
  }

  void addWaiter(Conversation.Posted answer, ActorRef<StatusReply<Conversation.Posted>> replyTo) {
    waiters.add(new Waiter(answer, replyTo));
  }

  List<Conversation.MessagePosted> events() {
    return List.copyOf(events);
  }

  /** Empties the batch, handing back who to acknowledge once its write has succeeded. */
  List<Waiter> clear() {
    List<Waiter> taken = List.copyOf(waiters);
    events.clear();
    waiters.clear();
    bySender.clear();
    return taken;
  }

  private ChatMessage last() {
    return events.get(events.size() - 1).message();
  }

  private static String key(String senderId, String clientMsgId) {
    return senderId + '\n' + clientMsgId;
  }
}
