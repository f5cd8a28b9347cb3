package messenger.chat;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import java.util.Collection;
import java.util.List;

/**
 * Carries a conversation's fan-out out: tells the {@link FanoutTracker} what was persisted and what
 * the members' inboxes answered, and sends what it asks for through {@link MemberInboxes}, reading
 * from the {@link ConversationLog} what is no longer in memory. Answers come back to the
 * conversation as {@link Conversation.WrappedProgress} and {@link Conversation.Loaded}, which it
 * hands back here.
 *
 * <p>Runtime state only, like the tracker: after a restart every member is probed. Owned by the
 * conversation actor and called only from it.
 */
final class FanoutDriver {

  private final String conversationId;
  private final MemberInboxes inboxes;
  private final ConversationLog log;
  private final ActorContext<Conversation.Command> context;
  private final ActorRef<InboxProgress> progressAdapter;
  private final FanoutTracker tracker;

  FanoutDriver(
      String conversationId,
      ChatSettings settings,
      MemberInboxes inboxes,
      ConversationLog log,
      ActorContext<Conversation.Command> context) {
    this.conversationId = conversationId;
    this.inboxes = inboxes;
    this.log = log;
    this.context = context;
    this.progressAdapter =
        context.messageAdapter(InboxProgress.class, Conversation.WrappedProgress::new);
    this.tracker =
        new FanoutTracker(
            settings.fanoutBatchSize(),
            settings.dedupWindow(),
            settings.fanoutRetryInterval().toNanos(),
            settings.fanoutMaxInFlight());
  }

  /** The conversation was just created: none of its members' inboxes knows it yet. */
  void created(Collection<String> members, Conversation.State state) {
    tracker.created(members);
    fanOut(state);
  }

  /**
   * These entries were persisted, in order: posts, or a membership change that steers who gets what
   * from its seq on.
   */
  void persisted(List<Conversation.MessagePosted> posts, Conversation.State state) {
    for (Conversation.MessagePosted post : posts) {
      ChatMessage entry = post.message();
      tracker.persisted(entry);
      if (!entry.isSystem()) continue;
      if (entry.change().kind() == SystemChange.Kind.MEMBER_ADDED) {
        tracker.added(entry.change().userId(), entry.seq());
      } else if (entry.change().isRemoval()) {
        tracker.removed(entry.change().userId(), entry.seq());
      }
    }
    fanOut(state);
  }

  /** Nothing says whether the last fan-out before a restart finished: probe every member. */
  void recovered(Conversation.Open open) {
    tracker.recovered(open.roster().joinedSeqs());
    fanOut(open);
  }

  void progress(InboxProgress progress, Conversation.State state) {
    tracker.progress(progress.userId(), progress.lastSeq());
    fanOut(state);
  }

  void loaded(Conversation.State state, Conversation.Loaded loaded) {
    if (loaded.failure() != null) {
      context.getLog().warn("Reading {} for fan-out failed", conversationId, loaded.failure());
      tracker.loadFailed(loaded.member());
    } else {
      List<ChatMessage> messages =
          state instanceof Conversation.Open open
              ? seenBy(open, loaded.member(), loaded.messages())
              : loaded.messages();
      inboxes.append(loaded.member(), conversationId, messages, progressAdapter);
    }
  }

  /**
   * The messages as {@code member} sees them: a reply quoting a message from before they joined
   * shows it as unavailable.
   */
  static List<ChatMessage> seenBy(
      Conversation.Open open, String member, List<ChatMessage> messages) {
    if (messages.stream().allMatch(m -> m.quote() == null)) return messages;
    long joined = open.roster().joinedSeq(member);
    return messages.stream().map(m -> m.seenFrom(joined)).toList();
  }

  /** Resends requests that went unanswered for their member's retry interval. */
  void tick(Conversation.State state, long nowNanos) {
    tracker.expire(nowNanos);
    fanOut(state);
  }

  /** Whether every member's inbox has confirmed everything up to {@code lastSeq}. */
  boolean caughtUp(long lastSeq) {
    return tracker.caughtUp(lastSeq);
  }

  private void fanOut(Conversation.State state) {
    if (!(state instanceof Conversation.Open open)) return;
    var send = new Send(open);
    for (FanoutTracker.Action action : tracker.actions(open.lastSeq(), System.nanoTime())) {
      action.carryOut(send);
    }
  }

  /** Sends one round of actions for {@code open}: every answer comes back as progress. */
  private final class Send implements FanoutTracker.Carrier {
    private final Conversation.Open open;

    Send(Conversation.Open open) {
      this.open = open;
    }

    @Override
    public void probe(FanoutTracker.Probe probe) {
      inboxes.append(probe.member(), conversationId, List.of(), progressAdapter);
    }

    @Override
    public void join(FanoutTracker.Join join) {
      inboxes.join(join.member(), open.inboxInfo(), join.fromSeq(), progressAdapter);
    }

    @Override
    public void append(FanoutTracker.Append append) {
      inboxes.append(
          append.member(),
          conversationId,
          seenBy(open, append.member(), append.messages()),
          progressAdapter);
    }

    @Override
    public void load(FanoutTracker.Load load) {
      context.pipeToSelf(
          log.read(conversationId, load.fromSeq(), load.toSeq()),
          (messages, failure) -> new Conversation.Loaded(load.member(), messages, failure));
    }
  }
}
