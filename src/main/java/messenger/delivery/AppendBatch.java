package messenger.delivery;

import akka.actor.typed.ActorRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import messenger.chat.ChatMessage;
import messenger.chat.InboxProgress;
import messenger.delivery.UserInbox.Append;
import messenger.delivery.UserInbox.MessageAppended;
import messenger.delivery.UserInbox.State;

/**
 * Appends an inbox has taken but not yet written: its group commit. An inbox fed by many
 * conversations would otherwise take one journal write per conversation request, each waiting for
 * the one before; instead the appends that arrive while a write is in flight wait here and go
 * together in the next one.
 *
 * <p>The appends are kept as they came and turned into events only when the write is made, against
 * the state as it is then, so that whatever the inbox did in between (a join, an earlier write)
 * counts, and two appends from one conversation in the same write never number an entry twice.
 * Nobody is answered before the write holding their entries succeeded.
 *
 * <p>Owned by one inbox actor and touched only from it. Lost with the actor on a crash, which is
 * safe: no conversation was told its entries were appended, so they are sent again.
 */
final class AppendBatch {

  /** What one write appends, who is answered after it, and what each answer says. */
  record Write(List<MessageAppended> events, List<Delivery> deliveries, List<Answer> answers) {

    boolean hasEvents() {
      return !events.isEmpty();
    }

    /** The new entries of every delivery, in cursor order. */
    List<InboxEntry> entries() {
      List<InboxEntry> all = new ArrayList<>();
      deliveries.forEach(d -> all.addAll(d.entries()));
      return all;
    }

    void answer() {
      for (Answer answer : answers) answer.replyTo().tell(answer.progress());
    }
  }

  /** The new entries one append brought, in cursor order (never empty). */
  record Delivery(String conversationId, List<InboxEntry> entries) {
    ChatMessage latest() {
      return entries.get(entries.size() - 1).message();
    }
  }

  record Answer(ActorRef<InboxProgress> replyTo, InboxProgress progress) {}

  private final List<Append> appends = new ArrayList<>();
  private int messages;

  boolean isEmpty() {
    return appends.isEmpty();
  }

  /** How many messages the waiting appends carry. */
  int messages() {
    return messages;
  }

  void add(Append append) {
    appends.add(append);
    messages += append.messages().size();
  }

  /**
   * Turns every waiting append, in arrival order, into the events that follow on from {@code state}
   * and what was taken before it in this write, and forgets them.
   */
  Write take(String userId, State state) {
    List<MessageAppended> events = new ArrayList<>();
    List<Delivery> deliveries = new ArrayList<>();
    List<Answer> answers = new ArrayList<>();
    Map<String, Long> lastSeqs = new HashMap<>();
    long cursor = state.lastCursor();
    for (Append append : appends) {
      String conversationId = append.conversationId();
      ConversationSummary known = state.conversations().get(conversationId);
      if (known == null) {
        answers.add(answer(append, userId, InboxProgress.NOT_JOINED));
        continue;
      }
      long lastSeq = lastSeqs.getOrDefault(conversationId, known.lastSeq());
      List<ChatMessage> next = ConversationSummary.following(lastSeq, append.messages());
      List<InboxEntry> entries = new ArrayList<>(next.size());
      for (ChatMessage message : next) {
        events.add(new MessageAppended(userId, ++cursor, message));
        entries.add(new InboxEntry(cursor, message));
      }
      lastSeq += next.size();
      lastSeqs.put(conversationId, lastSeq);
      if (!entries.isEmpty()) deliveries.add(new Delivery(conversationId, List.copyOf(entries)));
      answers.add(answer(append, userId, lastSeq));
    }
    appends.clear();
    messages = 0;
    return new Write(List.copyOf(events), List.copyOf(deliveries), List.copyOf(answers));
  }

  private static Answer answer(Append append, String userId, long lastSeq) {
    return new Answer(
        append.replyTo(), new InboxProgress(userId, append.conversationId(), lastSeq));
  }
}
