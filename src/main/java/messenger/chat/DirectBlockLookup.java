package messenger.chat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * How a direct conversation learns whether its members block each other: the block lists own that
 * (messenger.safety). Asked once per start of the entity, at its first post, never per message;
 * from then on the conversation is told each change ({@link Conversation.SetBlocked}).
 */
public interface DirectBlockLookup {

  /** For each of the two members, whether they block the other. */
  CompletionStage<List<BlockFact>> between(String userA, String userB);

  /** No blocks anywhere (entity tests): a direct conversation needs to ask nothing. */
  DirectBlockLookup NONE = (userA, userB) -> CompletableFuture.completedFuture(List.of());
}
