package messenger.app;

import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.chat.Notice;
import messenger.delivery.ConversationSummary;
import messenger.delivery.UserInbox;

/**
 * Whether a user is online, for their contacts only: people who share a conversation with them
 * (the user themselves included). To anyone else the user does not exist (404), so presence does
 * not reveal who has an account.
 */
public final class PresenceService {

  private final ClusterSharding sharding;
  private final Duration askTimeout;

  public PresenceService(ActorSystem<?> system, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
  }

  public CompletionStage<Notice.Presence> presence(String requesterId, String userId) {
    CompletionStage<Boolean> allowed =
        requesterId.equals(userId)
            ? CompletableFuture.completedFuture(true)
            : conversationIds(requesterId)
                .thenCombine(
                    conversationIds(userId),
                    (mine, theirs) -> mine.stream().anyMatch(theirs::contains));
    return allowed.thenCompose(
        contact -> {
          if (!contact) throw new DomainException(ErrorCode.NOT_FOUND, "no user " + userId);
          return sharding
              .entityRefFor(UserInbox.ENTITY_KEY, userId)
              .ask(UserInbox.GetPresence::new, askTimeout);
        });
  }

  private CompletionStage<Set<String>> conversationIds(String userId) {
    return sharding
        .entityRefFor(UserInbox.ENTITY_KEY, userId)
        .ask(UserInbox.ListConversations::new, askTimeout)
        .thenApply(
            list ->
                list.conversations().stream()
                    .filter(summary -> !summary.left())
                    .map(ConversationSummary::info)
                    .map(info -> info.conversationId())
                    .collect(Collectors.toSet()));
  }
}
