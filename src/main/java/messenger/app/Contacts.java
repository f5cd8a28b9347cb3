package messenger.app;

import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import messenger.delivery.ConversationSummary;
import messenger.delivery.UserInbox;

/**
 * Who counts as someone's contact: a person who shares a conversation with them (the user
 * themselves included). Presence and profiles are shown to contacts only, so neither reveals who
 * has an account.
 */
final class Contacts {

  private final ClusterSharding sharding;
  private final Duration askTimeout;

  Contacts(ClusterSharding sharding, Duration askTimeout) {
    this.sharding = sharding;
    this.askTimeout = askTimeout;
  }

  CompletionStage<Boolean> areContacts(String requesterId, String userId) {
    if (requesterId.equals(userId)) return CompletableFuture.completedFuture(true);
    return conversationIds(requesterId)
        .thenCombine(
            conversationIds(userId), (mine, theirs) -> mine.stream().anyMatch(theirs::contains));
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
