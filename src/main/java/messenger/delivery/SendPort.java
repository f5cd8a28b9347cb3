package messenger.delivery;

import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.pattern.StatusReply;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.ErrorDetail;
import messenger.chat.Amendment;
import messenger.chat.Attachment;
import messenger.chat.Conversation;
import messenger.chat.Quote;
import messenger.limits.SendAdmission;
import messenger.limits.SendLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way a message is sent, over a WebSocket or HTTP alike: admitted by the node's {@link
 * SendAdmission} and within the send limits, the conversation is asked to post it with the one ask
 * timeout, and the answer is an {@link Outcome}, never a failed stage. The refusals are {@code
 * overloaded} (the node has its fill of sends in flight: retry the same clientMsgId after the wait
 * given), {@code rate_limited} (retry the same clientMsgId a little later), the conversation's own
 * ({@code not_member}, {@code not_found}) and {@code unavailable} when no answer came (it may or
 * may not have been stored: retry the same clientMsgId).
 */
public final class SendPort {

  private static final Logger log = LoggerFactory.getLogger(SendPort.class);

  /** The answer to a send. */
  public sealed interface Outcome permits Accepted, Refused {
    <T> T fold(Function<Conversation.Posted, T> accepted, Function<Refused, T> refused);
  }

  /** Stored (now or by an earlier try with the same clientMsgId). */
  public record Accepted(Conversation.Posted posted) implements Outcome {
    @Override
    public <T> T fold(Function<Conversation.Posted, T> accepted, Function<Refused, T> refused) {
      return accepted.apply(posted);
    }
  }

  /**
   * @param failure for {@code unavailable}, why no answer came (a timeout, ...); null for a refusal
   * @param detail what more the client is told (for {@code overloaded}: when to retry), or null
   */
  public record Refused(ErrorCode code, Throwable failure, ErrorDetail detail) implements Outcome {
    public Refused(ErrorCode code, Throwable failure) {
      this(code, failure, null);
    }

    @Override
    public <T> T fold(Function<Conversation.Posted, T> accepted, Function<Refused, T> refused) {
      return refused.apply(this);
    }
  }

  /**
   * What is sent: a message (a body and/or files, optionally answering an earlier message and
   * mentioning members) or an amendment of an earlier one (then nothing else).
   *
   * @param replyTo the seq of the message a reply answers; null for none
   */
  public record Content(
      String body,
      List<Attachment> attachments,
      Long replyTo,
      List<String> mentions,
      Amendment amendment) {
    public Content {
      attachments = attachments == null ? List.of() : List.copyOf(attachments);
      mentions = mentions == null ? List.of() : List.copyOf(mentions);
    }

    public static Content message(String body, List<Attachment> attachments) {
      return new Content(body, attachments, null, List.of(), null);
    }

    public static Content of(Amendment amendment) {
      return new Content("", List.of(), null, List.of(), amendment);
    }
  }

  /**
   * Asks a conversation to post (a {@link Conversation.Post}, or a moderator's {@link
   * Conversation.ModeratorDelete}): the sharded entity, or a stand-in in tests.
   */
  @FunctionalInterface
  public interface Conversations {
    CompletionStage<Conversation.Posted> ask(
        String conversationId,
        Function<ActorRef<StatusReply<Conversation.Posted>>, Conversation.Command> post,
        Duration timeout);
  }

  /**
   * Takes the uploads a message names into the conversation's keeping before it is posted ({@code
   * media.AttachmentStore#claim}); fails with a {@link DomainException} to refuse the send.
   */
  @FunctionalInterface
  public interface Claims {
    CompletionStage<List<Attachment>> claim(
        String senderId, String conversationId, List<Attachment> attachments);

    /** A server without an object store: a message may carry no files. */
    Claims NONE =
        (senderId, conversationId, attachments) ->
            attachments.isEmpty()
                ? CompletableFuture.completedFuture(List.of())
                : CompletableFuture.failedFuture(
                    new DomainException(ErrorCode.TOO_MANY_ATTACHMENTS));
  }

  /**
   * Checks an amendment against the message it changes ({@code chat.AmendmentRules}), for the user
   * asking; fails with a {@link DomainException} when the user may not amend in the conversation at
   * all (not a member).
   */
  public interface Targets {
    /**
     * @param amendment knowing whose message it changes
     * @param refusal what the target's check found against it, or null
     */
    record Checked(Amendment amendment, ErrorCode refusal) {}

    CompletionStage<Checked> check(String userId, String conversationId, Amendment amendment);

    /**
     * As {@link #check}, for a moderator, who need not be a member: the target as history serves it
     * to anyone who can see it.
     */
    CompletionStage<Checked> checkAsModerator(
        String moderatorId, String conversationId, Amendment amendment);

    /**
     * The message at {@code seq} quoted for a reply by {@code userId}; fails with a {@link
     * DomainException} when they may not answer it ({@code not_found}: they cannot see it, {@code
     * not_a_message}, {@code message_deleted}).
     */
    CompletionStage<Quote> quote(String userId, String conversationId, long seq);

    /** Every amendment and reply refused: for servers and tests without them. */
    Targets NONE =
        new Targets() {
          @Override
          public CompletionStage<Checked> check(
              String userId, String conversationId, Amendment amendment) {
            return CompletableFuture.completedFuture(new Checked(amendment, ErrorCode.NOT_FOUND));
          }

          @Override
          public CompletionStage<Checked> checkAsModerator(
              String moderatorId, String conversationId, Amendment amendment) {
            return CompletableFuture.completedFuture(new Checked(amendment, ErrorCode.NOT_FOUND));
          }

          @Override
          public CompletionStage<Quote> quote(String userId, String conversationId, long seq) {
            return CompletableFuture.failedFuture(new DomainException(ErrorCode.NOT_FOUND));
          }
        };
  }

  private final Conversations conversations;
  private final SendAdmission admission;
  private final SendLimits limits;
  private final Duration askTimeout;
  private final Claims claims;
  private final Targets targets;

  public SendPort(
      Conversations conversations,
      SendAdmission admission,
      SendLimits limits,
      Duration askTimeout) {
    this(conversations, admission, limits, askTimeout, Claims.NONE);
  }

  public SendPort(
      Conversations conversations,
      SendAdmission admission,
      SendLimits limits,
      Duration askTimeout,
      Claims claims) {
    this(conversations, admission, limits, askTimeout, claims, Targets.NONE);
  }

  public SendPort(
      Conversations conversations,
      SendAdmission admission,
      SendLimits limits,
      Duration askTimeout,
      Claims claims,
      Targets targets) {
    this.conversations = conversations;
    this.admission = admission;
    this.limits = limits;
    this.askTimeout = askTimeout;
    this.claims = claims;
    this.targets = targets;
  }

  public static SendPort sharded(
      ClusterSharding sharding,
      SendAdmission admission,
      SendLimits limits,
      Duration askTimeout,
      Claims claims,
      Targets targets) {
    return new SendPort(
        (conversationId, post, timeout) ->
            sharding
                .entityRefFor(Conversation.ENTITY_KEY, conversationId)
                .<Conversation.Posted>askWithStatus(post::apply, timeout),
        admission,
        limits,
        askTimeout,
        claims,
        targets);
  }

  /** A fresh allowance for one new connection, to pass to each of its sends. */
  public Bucket connectionAllowance() {
    return limits.connectionBucket();
  }

  /** A send without a connection (HTTP): within the user's allowance. */
  public CompletionStage<Outcome> send(
      String userId,
      String conversationId,
      String clientMsgId,
      String body,
      List<Attachment> attachments) {
    return send(userId, null, conversationId, clientMsgId, Content.message(body, attachments));
  }

  /** Anything without a connection (HTTP). */
  public CompletionStage<Outcome> send(
      String userId, String conversationId, String clientMsgId, Content content) {
    return send(userId, null, conversationId, clientMsgId, content);
  }

  /** A message with files over a connection. */
  public CompletionStage<Outcome> send(
      String userId,
      Bucket connection,
      String conversationId,
      String clientMsgId,
      String body,
      List<Attachment> attachments) {
    return send(
        userId, connection, conversationId, clientMsgId, Content.message(body, attachments));
  }

  /** A text message without files, without a connection. */
  public CompletionStage<Outcome> send(
      String userId, String conversationId, String clientMsgId, String body) {
    return send(userId, null, conversationId, clientMsgId, Content.message(body, List.of()));
  }

  /** A text message without files. */
  public CompletionStage<Outcome> send(
      String userId, Bucket connection, String conversationId, String clientMsgId, String body) {
    return send(userId, connection, conversationId, clientMsgId, Content.message(body, List.of()));
  }

  /**
   * A send over a connection: within the connection's allowance (if not null) and the user's. Its
   * admission permit is held until the conversation answers or the ask times out, and given back on
   * every path, once. An amendment (an edit, deletion or reaction) is checked against the message
   * it changes first; a reply's quote is read from the message it answers.
   */
  public CompletionStage<Outcome> send(
      String userId,
      Bucket connection,
      String conversationId,
      String clientMsgId,
      Content content) {
    // Admission first: an overloaded node refuses without spending the sender's allowance.
    Optional<SendAdmission.Permit> admitted = admission.tryAdmit();
    if (admitted.isEmpty()) {
      return CompletableFuture.completedFuture(
          new Refused(
              ErrorCode.OVERLOADED, null, ErrorDetail.retryAfter(admission.retryAfterMs())));
    }
    SendAdmission.Permit permit = admitted.get();
    boolean allowed =
        connection == null ? limits.trySend(userId) : limits.trySend(userId, connection);
    if (!allowed) {
      permit.release();
      return CompletableFuture.completedFuture(new Refused(ErrorCode.RATE_LIMITED, null));
    }
    CompletionStage<Conversation.Posted> asked;
    try {
      asked =
          content.amendment() == null
              ? message(userId, conversationId, clientMsgId, content)
              : targets
                  .check(userId, conversationId, content.amendment())
                  .thenCompose(
                      checked ->
                          conversations.ask(
                              conversationId,
                              replyTo ->
                                  Conversation.Post.amending(
                                      userId,
                                      clientMsgId,
                                      checked.amendment(),
                                      checked.refusal(),
                                      replyTo),
                              askTimeout));
    } catch (RuntimeException notAsked) {
      permit.release();
      if (notAsked instanceof DomainException refusal) {
        return CompletableFuture.completedFuture(new Refused(refusal.code(), null));
      }
      log.warn("Send by {} could not be asked", userId, notAsked);
      return CompletableFuture.completedFuture(new Refused(ErrorCode.UNAVAILABLE, notAsked));
    }
    // The claim and the ask always end, answered or timed out, so the permit always comes back.
    return asked.handle(
        (posted, failure) -> {
          permit.release();
          Outcome outcome = outcome(posted, failure);
          if (outcome instanceof Refused refused && isUnexpected(refused.failure())) {
            log.warn("Send by {} failed", userId, refused.failure());
          }
          return outcome;
        });
  }

  /**
   * A moderator deletes the message at {@code seq} for everyone: the deletion a sender makes, with
   * the same admission, allowance and timeout, checked without membership. Every try of one
   * deletion carries the same clientMsgId, so a retry is answered as the first.
   */
  public CompletionStage<Outcome> deleteAsModerator(
      String moderatorId, String conversationId, long seq) {
    Optional<SendAdmission.Permit> admitted = admission.tryAdmit();
    if (admitted.isEmpty()) {
      return CompletableFuture.completedFuture(
          new Refused(
              ErrorCode.OVERLOADED, null, ErrorDetail.retryAfter(admission.retryAfterMs())));
    }
    SendAdmission.Permit permit = admitted.get();
    if (!limits.trySend(moderatorId)) {
      permit.release();
      return CompletableFuture.completedFuture(new Refused(ErrorCode.RATE_LIMITED, null));
    }
    String clientMsgId = "moderator-delete-" + seq;
    return targets
        .checkAsModerator(moderatorId, conversationId, Amendment.delete(seq))
        .thenCompose(
            checked ->
                conversations.ask(
                    conversationId,
                    replyTo ->
                        new Conversation.ModeratorDelete(
                            moderatorId,
                            clientMsgId,
                            checked.amendment(),
                            checked.refusal(),
                            replyTo),
                    askTimeout))
        .handle(
            (posted, failure) -> {
              permit.release();
              Outcome outcome = outcome(posted, failure);
              if (outcome instanceof Refused refused && isUnexpected(refused.failure())) {
                log.warn("Deletion by moderator {} failed", moderatorId, refused.failure());
              }
              return outcome;
            });
  }

  /** A message: its files claimed and its quote read (both at once), then posted. */
  private CompletionStage<Conversation.Posted> message(
      String userId, String conversationId, String clientMsgId, Content content) {
    CompletionStage<List<Attachment>> claimed =
        claims.claim(userId, conversationId, content.attachments());
    CompletionStage<Quote> quoted =
        content.replyTo() == null
            ? CompletableFuture.completedFuture(null)
            : targets.quote(userId, conversationId, content.replyTo());
    return claimed
        .thenCombine(quoted, Prepared::new)
        .thenCompose(
            prepared ->
                conversations.ask(
                    conversationId,
                    replyTo ->
                        new Conversation.Post(
                            userId,
                            clientMsgId,
                            content.body(),
                            prepared.files(),
                            prepared.quote(),
                            content.mentions(),
                            null,
                            null,
                            replyTo),
                    askTimeout));
  }

  private record Prepared(List<Attachment> files, Quote quote) {}

  /** The conversation's answer, or why there was none, as an outcome. */
  static Outcome outcome(Conversation.Posted posted, Throwable failure) {
    if (failure == null) return new Accepted(posted);
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof StatusReply.ErrorMessage refusal) {
      return new Refused(ErrorCode.fromWire(refusal.getMessage()), null);
    }
    if (cause instanceof DomainException refusal) return new Refused(refusal.code(), null);
    return new Refused(ErrorCode.UNAVAILABLE, cause);
  }

  /** A timeout is expected now and then (a node going away); anything else is worth a warning. */
  private static boolean isUnexpected(Throwable failure) {
    return failure != null && !(failure instanceof TimeoutException);
  }
}
