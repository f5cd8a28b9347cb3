package messenger.app;

import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.pattern.StatusReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.chat.ChatMessage;
import messenger.chat.Conversation;
import messenger.chat.ConversationLog;
import messenger.chat.ConversationType;
import messenger.delivery.ConversationSummary;
import messenger.delivery.UserInbox;

/**
 * The request/response operations on conversations that the HTTP edge offers, composed from the
 * sharded actors. Refusals fail the stage with a {@link DomainException}; ask timeouts with the
 * original {@code TimeoutException}.
 */
public final class ConversationService {

  public record HistoryPage(List<ChatMessage> messages, boolean hasMore) {}

  private final ClusterSharding sharding;
  private final ConversationLog log;
  private final Duration askTimeout;

  public ConversationService(ActorSystem<?> system, ConversationLog log, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.log = log;
    this.askTimeout = askTimeout;
  }

  public CompletionStage<Conversation.Created> openDirect(String userId, String otherUserId) {
    if (otherUserId == null || otherUserId.isBlank() || otherUserId.equals(userId)) {
      return CompletableFuture.failedFuture(
          new DomainException(
              ErrorCode.BAD_REQUEST, "a direct conversation needs exactly one other member"));
    }
    return sharding
        .entityRefFor(UserInbox.ENTITY_KEY, otherUserId)
        .ask(UserInbox.GetProfile::new, askTimeout)
        .thenCompose(
            profile -> {
              if (!profile.registered()) {
                throw new DomainException(ErrorCode.NOT_FOUND, "no user " + otherUserId);
              }
              return refusals(
                  sharding
                      .entityRefFor(
                          Conversation.ENTITY_KEY, Conversation.directId(userId, otherUserId))
                      .askWithStatus(
                          replyTo ->
                              new Conversation.Create(
                                  ConversationType.DIRECT,
                                  List.of(userId, otherUserId),
                                  userId,
                                  replyTo),
                          askTimeout));
            });
  }

  public CompletionStage<List<ConversationSummary>> list(String userId) {
    return sharding
        .entityRefFor(UserInbox.ENTITY_KEY, userId)
        .ask(UserInbox.ListConversations::new, askTimeout)
        .thenApply(UserInbox.Conversations::conversations);
  }

  /** Newest first: up to {@code limit} messages with seq below {@code beforeSeq} (null: latest). */
  public CompletionStage<HistoryPage> history(
      String userId, String conversationId, Long beforeSeq, int limit) {
    return access(userId, conversationId)
        .thenCompose(
            access -> {
              long before =
                  beforeSeq == null ? access.lastSeq() + 1 : Math.min(beforeSeq, access.lastSeq() + 1);
              long from = Math.max(1, before - limit);
              return log.read(conversationId, from, before - 1)
                  .thenApply(
                      messages -> {
                        List<ChatMessage> newestFirst = new ArrayList<>(messages);
                        Collections.reverse(newestFirst);
                        return new HistoryPage(newestFirst, from > 1);
                      });
            });
  }

  public CompletionStage<Conversation.Posted> send(
      String userId, String conversationId, String clientMsgId, String body) {
    return refusals(
        sharding
            .entityRefFor(Conversation.ENTITY_KEY, conversationId)
            .askWithStatus(
                replyTo -> new Conversation.Post(userId, clientMsgId, body, replyTo), askTimeout));
  }

  public CompletionStage<Conversation.Access> access(String userId, String conversationId) {
    return refusals(
        sharding
            .entityRefFor(Conversation.ENTITY_KEY, conversationId)
            .askWithStatus(replyTo -> new Conversation.GetAccess(userId, replyTo), askTimeout));
  }

  /** Turns an actor's {@code StatusReply.error(code)} into a {@link DomainException}. */
  static <T> CompletionStage<T> refusals(CompletionStage<T> answer) {
    return answer.exceptionally(
        failure -> {
          Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
          if (cause instanceof StatusReply.ErrorMessage refusal) {
            ErrorCode code = ErrorCode.fromWire(refusal.getMessage());
            throw new DomainException(code, describe(code));
          }
          throw failure instanceof CompletionException c ? c : new CompletionException(cause);
        });
  }

  private static String describe(ErrorCode code) {
    return switch (code) {
      case NOT_FOUND -> "no such conversation";
      case NOT_MEMBER -> "you are not a member of this conversation";
      case BAD_REQUEST -> "invalid conversation request";
      default -> code.wire();
    };
  }
}
