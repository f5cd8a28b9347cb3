package messenger.chat;

import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import akka.persistence.typed.javadsl.EffectBuilder;
import akka.persistence.typed.javadsl.EffectFactories;
import akka.persistence.typed.javadsl.ReplyEffect;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import messenger.ErrorCode;
import messenger.chat.Conversation.AddMember;
import messenger.chat.Conversation.Blank;
import messenger.chat.Conversation.Changed;
import messenger.chat.Conversation.Command;
import messenger.chat.Conversation.ConversationCreated;
import messenger.chat.Conversation.Create;
import messenger.chat.Conversation.Created;
import messenger.chat.Conversation.Event;
import messenger.chat.Conversation.Flush;
import messenger.chat.Conversation.MessagePosted;
import messenger.chat.Conversation.ModeratorDelete;
import messenger.chat.Conversation.Open;
import messenger.chat.Conversation.Post;
import messenger.chat.Conversation.Posted;
import messenger.chat.Conversation.RemoveMember;
import messenger.chat.Conversation.Rename;
import messenger.chat.Conversation.State;

/**
 * {@link Conversation}'s handlers for everything that writes to its log: creating it, posts
 * (numbered by {@link PostBatch} and group-committed: what arrives during a write goes in the next
 * one), and a group's membership and title changes, which are entries of the log too. Senders hear
 * back only once the write has succeeded; then the {@link FanoutDriver} takes over. It also keeps
 * when the conversation was last written to, for passivation.
 */
final class ConversationWrites {

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(ConversationWrites.class);

  private final String conversationId;
  private final EffectFactories<Event, State> effect;
  private final ConversationReplies replies;
  private final ConversationRules rules;
  private final int maxPersistBatch;
  private final FanoutDriver fanout;
  private final MessageChanges changes;
  private final ConversationBlocks blocks;
  private final ActorRef<Command> self;
  private final PostBatch batch = new PostBatch();
  private final Clock clock = Clock.systemUTC();
  private long lastActivityNanos = System.nanoTime();

  ConversationWrites(
      String conversationId,
      EffectFactories<Event, State> effect,
      ConversationReplies replies,
      ConversationRules rules,
      int maxPersistBatch,
      FanoutDriver fanout,
      MessageChanges changes,
      ConversationBlocks blocks,
      ActorRef<Command> self) {
    this.conversationId = conversationId;
    this.effect = effect;
    this.replies = replies;
    this.rules = rules;
    this.maxPersistBatch = maxPersistBatch;
    this.fanout = fanout;
    this.changes = changes;
    this.blocks = blocks;
    this.self = self;
  }

  /** Nothing waits to be written, and nothing was asked of the log for {@code idle}. */
  boolean quietFor(Duration idle, long nowNanos) {
    return batch.isEmpty() && nowNanos - lastActivityNanos >= idle.toNanos();
  }

  void touch() {
    lastActivityNanos = System.nanoTime();
  }

  ReplyEffect<Event, State> onCreate(Blank state, Create cmd) {
    touch();
    List<String> members = ConversationRules.normalized(cmd.members());
    Optional<ErrorCode> refusal = rules.create(cmd.type(), members, cmd.creatorId(), cmd.title());
    if (refusal.isPresent()) return replies.refused(cmd.replyTo(), refusal.get());
    String title = cmd.type() == ConversationType.GROUP ? cmd.title() : null;
    var info = new ConversationInfo(conversationId, cmd.type(), members, clock.instant(), title);
    return effect
        .persist(new ConversationCreated(info, cmd.creatorId()))
        .thenRun(created -> fanout.created(members, created))
        .thenReply(cmd.replyTo(), created -> StatusReply.success(new Created(info, false)));
  }

  /**
   * Numbers the post and adds it to the batch the next journal write takes; the sender hears back
   * when that write has succeeded.
   */
  ReplyEffect<Event, State> onPost(Open state, Post cmd) {
    touch();
    Optional<ErrorCode> refusal = rules.member(state.roster(), cmd.senderId());
    if (refusal.isPresent()) return replies.refused(cmd.replyTo(), refusal.get());
    Posted previous = state.previousAnswer(cmd.senderId(), cmd.clientMsgId());
    if (previous != null && cmd.amendment() != null) return recordAgain(cmd, previous);
    if (previous != null) return replies.answer(cmd.replyTo(), previous);
    // After the retry check: a message stored before the block keeps its first answer.
    Optional<ReplyEffect<Event, State>> stopped = blocks.stops(state, cmd, replies);
    if (stopped.isPresent()) return stopped.get();
    if (cmd.amendment() != null) return amend(state, cmd);
    Optional<ErrorCode> mentions = rules.mentions(state.roster(), cmd.mentions());
    if (mentions.isPresent()) return replies.refused(cmd.replyTo(), mentions.get());
    if (batch.awaitBatched(cmd.senderId(), cmd.clientMsgId(), cmd.replyTo())) {
      return effect.noReply();
    }
    if (batch.isEmpty()) self.tell(Flush.INSTANCE);
    // A quote taken before its message was deleted carries none of it.
    Quote quote =
        cmd.quote() != null && state.recentlyDeleted(cmd.quote().seq())
            ? Quote.quoting(cmd.quote().seq(), null)
            : cmd.quote();
    ChatMessage message =
        batch.nextMessage(
            state,
            cmd.senderId(),
            cmd.body(),
            cmd.attachments(),
            quote,
            cmd.mentions(),
            clock.instant());
    batch.add(new MessagePosted(message, cmd.clientMsgId()), cmd.replyTo());
    if (batch.size() < maxPersistBatch) return effect.noReply();
    return persistBatch(null).thenNoReply();
  }

  /**
   * Persists the batched posts, then {@code change} if there is one, in one journal write;
   * afterwards acknowledges the senders and fans the posts out. In that order: the answers would
   * otherwise queue on the dispatcher behind every member's append (a group of 100: the sender
   * heard {@code sent} after its own fan-out, about 4 ms later at the median).
   */
  private EffectBuilder<Event, State> persistBatch(MessagePosted last) {
    PostBatch.Write write = batch.take(last);
    return effect
        .persist(write.stored())
        .thenRun(
            open -> {
              write.acknowledge();
              fanout.persisted(write.entries(), open);
            });
  }

  ReplyEffect<Event, State> onAddMember(Open state, AddMember cmd) {
    touch();
    Optional<ErrorCode> refusal = rules.addMember(state, cmd.actorId(), cmd.userId());
    if (refusal.isPresent()) return replies.refused(cmd.replyTo(), refusal.get());
    if (state.roster().contains(cmd.userId())) {
      return replies.answer(cmd.replyTo(), new Changed(state.roster().joinedSeq(cmd.userId())));
    }
    return change(state, cmd.actorId(), SystemChange.added(cmd.userId()), cmd.replyTo());
  }

  ReplyEffect<Event, State> onRemoveMember(Open state, RemoveMember cmd) {
    touch();
    Optional<ErrorCode> refusal = rules.removeMember(state, cmd.actorId(), cmd.userId());
    if (refusal.isPresent()) return replies.refused(cmd.replyTo(), refusal.get());
    SystemChange change =
        cmd.actorId().equals(cmd.userId())
            ? SystemChange.left(cmd.userId())
            : SystemChange.removed(cmd.userId());
    return change(state, cmd.actorId(), change, cmd.replyTo());
  }

  ReplyEffect<Event, State> onRename(Open state, Rename cmd) {
    touch();
    Optional<ErrorCode> refusal = rules.rename(state, cmd.actorId(), cmd.title());
    if (refusal.isPresent()) return replies.refused(cmd.replyTo(), refusal.get());
    if (cmd.title().equals(state.title()))
      return replies.answer(cmd.replyTo(), new Changed(state.lastSeq()));
    return change(state, cmd.actorId(), SystemChange.renamed(cmd.title()), cmd.replyTo());
  }

  ReplyEffect<Event, State> onSetRole(Open state, Conversation.SetRole cmd) {
    touch();
    Optional<ErrorCode> refusal = rules.setRole(state, cmd.actorId(), cmd.userId(), cmd.role());
    if (refusal.isPresent()) return replies.refused(cmd.replyTo(), refusal.get());
    if (state.roster().members().get(cmd.userId()).role() == cmd.role()) {
      return replies.answer(cmd.replyTo(), new Changed(state.lastSeq()));
    }
    var change = SystemChange.roleChanged(cmd.userId(), cmd.role());
    return change(state, cmd.actorId(), change, cmd.replyTo());
  }

  ReplyEffect<Event, State> onJoinByInvite(Open state, Conversation.JoinByInvite cmd) {
    touch();
    Optional<ErrorCode> refusal = rules.joinByInvite(state, cmd.userId());
    if (refusal.isPresent()) return replies.refused(cmd.replyTo(), refusal.get());
    if (state.roster().contains(cmd.userId())) {
      return replies.answer(cmd.replyTo(), new Changed(state.roster().joinedSeq(cmd.userId())));
    }
    return change(state, cmd.userId(), SystemChange.added(cmd.userId()), cmd.replyTo());
  }

  ReplyEffect<Event, State> onSetPermissions(Open state, Conversation.SetPermissions cmd) {
    touch();
    Optional<ErrorCode> refusal = rules.setPermissions(state, cmd.actorId());
    if (refusal.isPresent()) return replies.refused(cmd.replyTo(), refusal.get());
    if (state.roster().permissions().equals(cmd.permissions())) {
      return replies.answer(cmd.replyTo(), new Changed(state.lastSeq()));
    }
    var change = SystemChange.permissionsChanged(cmd.permissions());
    return change(state, cmd.actorId(), change, cmd.replyTo());
  }

  /**
   * Records a membership or title change as the next log entry, after any batched posts (they were
   * ordered first), and fans it out.
   */
  private ReplyEffect<Event, State> change(
      Open state, String actorId, SystemChange change, ActorRef<StatusReply<Changed>> replyTo) {
    ChatMessage entry = batch.nextEntry(state, actorId, "", change, clock.instant());
    return persistBatch(new MessagePosted(entry, null))
        .thenReply(replyTo, open -> StatusReply.success(new Changed(entry.seq())));
  }

  /**
   * Records an amendment as the next log entry (after any batched posts), then in the {@link
   * MessageChanges}, and only then answers: history never lags what the sender was told.
   */
  private ReplyEffect<Event, State> amend(Open state, Post cmd) {
    if (cmd.refusedUnlessRetry() != null) {
      return replies.refused(cmd.replyTo(), cmd.refusedUnlessRetry());
    }
    Optional<ErrorCode> refusal = rules.amend(state, cmd.senderId(), cmd.amendment());
    if (refusal.isPresent()) return replies.refused(cmd.replyTo(), refusal.get());
    return recordAmendment(state, cmd);
  }

  /**
   * A moderator's deletion: no membership needed, otherwise the same as {@link #amend}, retries
   * included (the moderator's id and the deletion's clientMsgId find the first answer).
   */
  ReplyEffect<Event, State> onModeratorDelete(Open state, ModeratorDelete cmd) {
    touch();
    Post post =
        Post.amending(
            cmd.moderatorId(),
            cmd.clientMsgId(),
            cmd.amendment(),
            cmd.refusedUnlessRetry(),
            cmd.replyTo());
    Posted previous = state.previousAnswer(cmd.moderatorId(), cmd.clientMsgId());
    if (previous != null) return recordAgain(post, previous);
    if (cmd.refusedUnlessRetry() != null) {
      return replies.refused(cmd.replyTo(), cmd.refusedUnlessRetry());
    }
    Optional<ErrorCode> refusal = rules.moderatorAmend(state, cmd.amendment());
    if (refusal.isPresent()) return replies.refused(cmd.replyTo(), refusal.get());
    return recordAmendment(state, post);
  }

  private ReplyEffect<Event, State> recordAmendment(Open state, Post cmd) {
    ChatMessage entry =
        batch.nextAmendment(state, cmd.senderId(), cmd.amendment(), clock.instant());
    return persistBatch(new MessagePosted(entry, cmd.clientMsgId()))
        .thenRun(open -> recordThenAnswer(entry, cmd.replyTo()))
        .thenNoReply();
  }

  /**
   * A retry of an amendment in the log: recorded again (the first try may have stopped between the
   * log and the record), then answered as the first time.
   */
  private ReplyEffect<Event, State> recordAgain(Post cmd, Posted previous) {
    ChatMessage entry =
        new ChatMessage(
            conversationId,
            previous.seq(),
            previous.messageId(),
            cmd.senderId(),
            "",
            previous.timestamp(),
            null,
            List.of(),
            cmd.amendment(),
            null);
    recordThenAnswer(entry, cmd.replyTo());
    return effect.noReply();
  }

  private void recordThenAnswer(ChatMessage entry, ActorRef<StatusReply<Posted>> replyTo) {
    var answer = new Posted(conversationId, entry.messageId(), entry.seq(), entry.timestamp());
    changes
        .record(entry)
        .whenComplete(
            (done, failure) -> {
              if (failure == null) {
                replyTo.tell(StatusReply.success(answer));
              } else {
                // In the log already: a retry with the same clientMsgId records it again.
                log.warn(
                    "Recording amendment {} of {} failed", entry.seq(), conversationId, failure);
                replyTo.tell(StatusReply.error(ErrorCode.UNAVAILABLE.wire()));
              }
            });
  }

  /** After a restart: the recent amendments are recorded again, in case one was not. */
  void recovered(Open state) {
    for (ChatMessage amendment : state.recentAmendments()) changes.record(amendment);
  }

  ReplyEffect<Event, State> onFlush() {
    return batch.isEmpty() ? effect.noReply() : persistBatch(null).thenNoReply();
  }
}
