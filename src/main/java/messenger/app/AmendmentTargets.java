package messenger.app;

import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.pattern.StatusReply;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import messenger.ErrorCode;
import messenger.chat.Amendment;
import messenger.chat.AmendmentRules;
import messenger.chat.ChatMessage;
import messenger.chat.Conversation;
import messenger.chat.ConversationLog;
import messenger.delivery.SendPort;

/**
 * {@link SendPort.Targets} from the conversation's access rules and its log: the message an
 * amendment names must be one the user can see (from where they joined, up to the head), read as
 * history serves it now, and pass {@link AmendmentRules}. Not being a member fails outright; what
 * the target says against the amendment goes to the conversation, which answers a retry of an
 * amendment it has recorded before refusing.
 */
public final class AmendmentTargets implements SendPort.Targets {

  private final ClusterSharding sharding;
  private final ConversationLog log;
  private final AmendmentRules rules;
  private final Duration askTimeout;
  private final Clock clock;

  public AmendmentTargets(
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
    CompletionStage<Conversation.Access> access =
        sharding
            .entityRefFor(Conversation.ENTITY_KEY, conversationId)
            .askWithStatus(
                (ActorRef<StatusReply<Conversation.Access>> replyTo) ->
                    new Conversation.GetAccess(userId, replyTo),
                askTimeout);
    return ConversationService.refusals(access)
        .thenCompose(granted -> target(conversationId, amendment.targetSeq(), granted))
        .thenApply(
            target -> {
              ErrorCode refusal =
                  rules.check(userId, amendment, target, clock.instant()).orElse(null);
              return new Checked(
                  target == null ? amendment : amendment.about(target.senderId()), refusal);
            });
  }

  /** The target as history serves it, or null when the user cannot see it. */
  private CompletionStage<ChatMessage> target(
      String conversationId, long seq, Conversation.Access access) {
    if (seq < Math.max(1, access.visibleFromSeq()) || seq > access.lastSeq()) {
      return CompletableFuture.completedFuture(null);
    }
    return log.read(conversationId, seq, seq)
        .thenApply(entries -> entries.isEmpty() ? null : entries.get(0));
  }
}
