package messenger.app;

import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.pattern.StatusReply;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.chat.Amendment;
import messenger.chat.AmendmentRules;
import messenger.chat.ChatMessage;
import messenger.chat.Conversation;
import messenger.chat.ConversationLog;
import messenger.chat.Quote;
import messenger.delivery.SendPort;

/**
 * {@link SendPort.Targets} from the conversation's access rules and its log: the message an
 * amendment or a reply names must be one the user can see (from where they joined, up to the head),
 * read as history serves it now. An amendment must pass {@link AmendmentRules}: not being a member
 * fails outright, and what the target says against the amendment goes to the conversation, which
 * answers a retry of an amendment it has recorded before refusing. A reply quotes a message that is
 * there and not deleted.
 */
public final class MessageTargets implements SendPort.Targets {

  private final ClusterSharding sharding;
  private final ConversationLog log;
  private final AmendmentRules rules;
  private final Duration askTimeout;
  private final Clock clock;

  public MessageTargets(
      ClusterSharding sharding,
      ConversationLog log,
      AmendmentRules rules,
      Duration askTimeout,
      Clock clock) {
    this.sharding = sharding;
    this.log = log;
    this.rules = rules;
    this.askTimeout = askTimeout;
    this.clock = clock;
  }

  @Override
  public CompletionStage<Checked> check(String userId, String conversationId, Amendment amendment) {
    return target(userId, conversationId, amendment.targetSeq())
        .thenApply(
            target -> {
              ErrorCode refusal =
                  rules.check(userId, amendment, target, clock.instant()).orElse(null);
              return new Checked(
                  target == null ? amendment : amendment.about(target.senderId()), refusal);
            });
  }

  @Override
  public CompletionStage<Checked> checkAsModerator(
      String moderatorId, String conversationId, Amendment amendment) {
    long seq = amendment.targetSeq();
    CompletionStage<ChatMessage> target =
        seq < 1
            ? CompletableFuture.completedFuture(null)
            : log.read(conversationId, seq, seq)
                .thenApply(entries -> entries.isEmpty() ? null : entries.get(0));
    return target.thenApply(
        found -> {
          ErrorCode refusal =
              rules.check(moderatorId, amendment, found, clock.instant()).orElse(null);
          return new Checked(
              found == null ? amendment : amendment.about(found.senderId()), refusal);
        });
  }

  @Override
  public CompletionStage<Quote> quote(String userId, String conversationId, long seq) {
    return target(userId, conversationId, seq)
        .thenApply(
            target -> {
              if (target == null) throw new DomainException(ErrorCode.NOT_FOUND);
              if (!target.isUserMessage()) throw new DomainException(ErrorCode.NOT_A_MESSAGE);
              if (target.later().deleted()) throw new DomainException(ErrorCode.MESSAGE_DELETED);
              return Quote.quoting(seq, target);
            });
  }

  /** The message at {@code seq} as history serves it, or null when the user cannot see it. */
  private CompletionStage<ChatMessage> target(String userId, String conversationId, long seq) {
    CompletionStage<Conversation.Access> access =
        sharding
            .entityRefFor(Conversation.ENTITY_KEY, conversationId)
            .askWithStatus(
                (ActorRef<StatusReply<Conversation.Access>> replyTo) ->
                    new Conversation.GetAccess(userId, replyTo),
                askTimeout);
    return ConversationService.refusals(access)
        .thenCompose(granted -> visible(conversationId, seq, granted));
  }

  private CompletionStage<ChatMessage> visible(
      String conversationId, long seq, Conversation.Access access) {
    if (seq < Math.max(1, access.visibleFromSeq()) || seq > access.lastSeq()) {
      return CompletableFuture.completedFuture(null);
    }
    return log.read(conversationId, seq, seq)
        .thenApply(entries -> entries.isEmpty() ? null : entries.get(0));
  }
}
