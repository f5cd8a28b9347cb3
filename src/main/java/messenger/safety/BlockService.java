package messenger.safety;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.pattern.StatusReply;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.ErrorDetail;
import messenger.ErrorDetail.Rule;
import messenger.chat.BlockFact;
import messenger.chat.Conversation;
import messenger.chat.DirectBlockLookup;
import messenger.delivery.UserInbox;

/**
 * Blocking as the HTTP edge offers it, composed from the sharded actors: the {@link BlockList}
 * stores a change first; then the direct conversation of the two (which refuses sends while either
 * blocks the other) and the blocker's inbox (which filters what the blocker's devices get) are told
 * it, at once, and the change is answered only when both have it. A crash in between is repaired by
 * the client's retry: every step is idempotent. Also the block lists' answers to the questions of
 * the rest of the server (opening a direct conversation, presence, the history's flags).
 */
public final class BlockService implements DirectBlockLookup {

  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final int maxBlocks;

  public BlockService(ActorSystem<?> system, Duration askTimeout, int maxBlocks) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    this.maxBlocks = maxBlocks;
  }

  /**
   * {@code blockerId} blocks {@code userId}: refused for oneself, an unknown user, past the bound.
   */
  public CompletionStage<Done> block(String blockerId, String userId) {
    return change(blockerId, userId, false, replyTo -> new BlockList.Block(userId, replyTo));
  }

  /**
   * {@code blockerId} no longer blocks {@code userId} (who must exist, or have deleted their
   * account: a block of them can still be taken off the list); idempotent.
   */
  public CompletionStage<Done> unblock(String blockerId, String userId) {
    return change(blockerId, userId, true, replyTo -> new BlockList.Unblock(userId, replyTo));
  }

  /** Everyone {@code userId} blocks, oldest block first. */
  public CompletionStage<List<BlockList.Entry>> list(String userId) {
    return blockList(userId)
        .ask(BlockList.GetBlocked::new, askTimeout)
        .thenApply(BlockList.Blocked::entries);
  }

  /** The ids of everyone {@code userId} blocks. */
  public CompletionStage<Set<String>> blockedBy(String userId) {
    return list(userId)
        .thenApply(
            entries -> {
              Set<String> ids = new HashSet<>();
              entries.forEach(entry -> ids.add(entry.userId()));
              return Set.copyOf(ids);
            });
  }

  /** Whether either of the two blocks the other. */
  public CompletionStage<Boolean> eitherBlocks(String userA, String userB) {
    return between(userA, userB).thenApply(facts -> facts.stream().anyMatch(BlockFact::blocked));
  }

  @Override
  public CompletionStage<List<BlockFact>> between(String userA, String userB) {
    CompletionStage<BlockList.Standing> a =
        blockList(userA).ask(replyTo -> new BlockList.IsBlocked(userB, replyTo), askTimeout);
    CompletionStage<BlockList.Standing> b =
        blockList(userB).ask(replyTo -> new BlockList.IsBlocked(userA, replyTo), askTimeout);
    return a.thenCombine(b, (ofA, ofB) -> List.of(fact(ofA), fact(ofB)));
  }

  private CompletionStage<Done> change(
      String blockerId,
      String userId,
      boolean closedToo,
      java.util.function.Function<ActorRef<StatusReply<BlockList.Standing>>, BlockList.Command>
          command) {
    if (BlockRules.target(blockerId, userId).isPresent()) {
      return CompletableFuture.failedFuture(
          DomainException.of(ErrorCode.BAD_REQUEST, Rule.BLOCK_SELF));
    }
    return known(userId, closedToo)
        .thenCompose(
            known ->
                refusals(
                    blockList(blockerId)
                        .askWithStatus(
                            (ActorRef<StatusReply<BlockList.Standing>> replyTo) ->
                                command.apply(replyTo),
                            askTimeout)))
        .thenCompose(this::spread);
  }

  /** The stored change, told to the two who act on it; done when both have it. */
  private CompletionStage<Done> spread(BlockList.Standing standing) {
    String directId = Conversation.directId(standing.blockerId(), standing.userId());
    CompletionStage<Done> conversation =
        sharding
            .entityRefFor(Conversation.ENTITY_KEY, directId)
            .ask(
                replyTo ->
                    new Conversation.SetBlocked(
                        standing.blockerId(), standing.blocked(), standing.version(), replyTo),
                askTimeout);
    CompletionStage<Done> inbox =
        sharding
            .entityRefFor(UserInbox.ENTITY_KEY, standing.blockerId())
            .ask(
                replyTo ->
                    new UserInbox.SetBlocking(standing.userId(), standing.blocked(), replyTo),
                askTimeout);
    return conversation.thenCombine(inbox, (c, i) -> Done.getInstance());
  }

  /**
   * Fails with not_found unless {@code userId} is a registered user (or, with {@code closedToo},
   * one who deleted their account).
   */
  private CompletionStage<Boolean> known(String userId, boolean closedToo) {
    return sharding
        .entityRefFor(UserInbox.ENTITY_KEY, userId)
        .ask(UserInbox.GetProfile::new, askTimeout)
        .thenApply(
            profile -> {
              if (!profile.registered() && !(closedToo && profile.closed())) {
                throw DomainException.of(ErrorCode.NOT_FOUND, Rule.NO_USER, userId);
              }
              return true;
            });
  }

  private CompletionStage<BlockList.Standing> refusals(CompletionStage<BlockList.Standing> answer) {
    return answer.exceptionally(
        failure -> {
          Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
          if (cause instanceof StatusReply.ErrorMessage refusal) {
            ErrorCode code = ErrorCode.fromWire(refusal.getMessage());
            if (code == ErrorCode.TOO_MANY_BLOCKS) {
              throw new DomainException(code, ErrorDetail.atMost(Rule.MAX_BLOCKS, null, maxBlocks));
            }
            throw new DomainException(code);
          }
          throw failure instanceof CompletionException c ? c : new CompletionException(cause);
        });
  }

  private static BlockFact fact(BlockList.Standing standing) {
    return new BlockFact(standing.blockerId(), standing.blocked(), standing.version());
  }

  private EntityRef<BlockList.Command> blockList(String userId) {
    return sharding.entityRefFor(BlockList.ENTITY_KEY, userId);
  }
}
