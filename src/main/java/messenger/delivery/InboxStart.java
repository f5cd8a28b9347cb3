package messenger.delivery;

import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.persistence.typed.javadsl.EffectFactories;
import akka.persistence.typed.javadsl.ReplyEffect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import messenger.chat.ChatMessage;
import messenger.delivery.InboxInternal.HeadsCaughtUp;
import messenger.delivery.InboxInternal.ReadHeads;
import messenger.delivery.InboxInternal.Stop;
import messenger.delivery.UserInbox.Command;
import messenger.delivery.UserInbox.Event;
import messenger.delivery.UserInbox.State;

/**
 * What a starting inbox reads before it answers anyone: its summaries are as last written, and the
 * conversations may have gone on since (the inbox hears of messages in memory and writes its
 * summaries only every {@code ack-flush-interval}, so a crash loses up to that much). One small
 * read of each conversation's head, then, for those that moved, the messages since, which {@link
 * InboxHeads#caughtUp} applies and {@link InboxTimeline#heardAtStart} pushes. A conversation the
 * user has left is not read: nothing after the removal is theirs.
 */
final class InboxStart {

  /** How long after a failed read it is tried again. */
  private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  private final EffectFactories<Event, State> effect;
  private final InboxReads reads;
  private final InboxHeads heads;
  private final InboxAcks acks;
  private final InboxTimeline timeline;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;

  InboxStart(
      EffectFactories<Event, State> effect,
      InboxReads reads,
      InboxHeads heads,
      InboxAcks acks,
      InboxTimeline timeline,
      ActorContext<Command> context,
      TimerScheduler<Command> timers) {
    this.effect = effect;
    this.reads = reads;
    this.heads = heads;
    this.acks = acks;
    this.timeline = timeline;
    this.context = context;
    this.timers = timers;
  }

  /** Recovery completed: the summaries as last written, caught up before anything is answered. */
  void recovered(State state) {
    var written = state.conversations();
    heads.recovered(written, nothingToRead(written.values()));
    if (!heads.verified()) context.getSelf().tell(ReadHeads.INSTANCE);
  }

  /** Whether {@code command} must wait for the catch-up; stopping need not. */
  boolean waiting(Command command) {
    return !heads.verified() && !(command instanceof Stop);
  }

  ReplyEffect<Event, State> onReadHeads(State state, ReadHeads read) {
    if (heads.verified()) return effect.noReply();
    context.pipeToSelf(
        missed(reads, heads.all()), (missed, failure) -> new HeadsCaughtUp(missed, failure));
    return effect.noReply();
  }

  ReplyEffect<Event, State> onCaughtUp(State state, HeadsCaughtUp caught) {
    if (heads.verified()) return effect.noReply();
    if (caught.failure() != null) {
      context.getLog().warn("Reading where the conversations stand failed", caught.failure());
      timers.startSingleTimer(ReadHeads.INSTANCE, RETRY_AFTER);
      return effect.noReply();
    }
    timeline.heardAtStart(state, heads.caughtUp(caught.missed()));
    acks.summariesMoved();
    return effect.noReply().thenUnstashAll();
  }

  /** Whether a state with these summaries needs no read: nothing it is a member of. */
  static boolean nothingToRead(Collection<ConversationSummary> summaries) {
    return summaries.stream().allMatch(ConversationSummary::left);
  }

  /** The messages each conversation has beyond {@code summaries}, read from the logs. */
  static CompletionStage<Map<String, List<ChatMessage>>> missed(
      InboxReads reads, Collection<ConversationSummary> summaries) {
    Map<String, Long> known = new HashMap<>();
    for (ConversationSummary summary : summaries) {
      if (!summary.left()) known.put(summary.info().conversationId(), summary.lastSeq());
    }
    return reads
        .heads()
        .lastSeqs(known)
        .thenCompose(
            heads -> {
              List<CompletableFuture<Map.Entry<String, List<ChatMessage>>>> pending =
                  new ArrayList<>();
              heads.forEach(
                  (id, head) -> {
                    long from = known.getOrDefault(id, head) + 1;
                    if (head >= from) {
                      pending.add(
                          reads
                              .log()
                              .read(id, from, head)
                              .thenApply(messages -> Map.entry(id, messages))
                              .toCompletableFuture());
                    }
                  });
              return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                  .thenApply(
                      done -> {
                        Map<String, List<ChatMessage>> missed = new HashMap<>();
                        pending.forEach(p -> missed.put(p.join().getKey(), p.join().getValue()));
                        return missed;
                      });
            });
  }
}
