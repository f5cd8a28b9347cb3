package messenger.app;

import akka.actor.typed.ActorRef;
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
import java.util.function.Supplier;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.ErrorDetail;
import messenger.ErrorDetail.Rule;
import messenger.chat.Attachment;
import messenger.chat.ChatMessage;
import messenger.chat.Conversation;
import messenger.chat.ConversationLog;
import messenger.chat.ConversationType;
import messenger.chat.GroupPermissions;
import messenger.chat.ReceiptBook;
import messenger.chat.Roster;
import messenger.delivery.ConversationSummary;
import messenger.delivery.SendPort;
import messenger.delivery.UserInbox;
import messenger.limits.CreationLimits;
import messenger.safety.BlockService;

/**
 * The request/response operations on conversations that the HTTP edge offers, composed from the
 * sharded actors. Refusals fail the stage with a {@link DomainException}; ask timeouts with the
 * original {@code TimeoutException}.
 */
public final class ConversationService {

  /** A page of history: each message with how many of the others have received and read it. */
  public record HistoryPage(List<Counted> messages, boolean hasMore) {}

  /**
   * @param of how many other members had the message (its sender and later joiners excluded)
   * @param fromBlocked the reader blocks its sender
   */
  public record Counted(
      ChatMessage message, int deliveredTo, int readBy, int of, boolean fromBlocked) {}

  private static final com.fasterxml.uuid.impl.TimeBasedEpochGenerator GROUP_IDS =
      com.fasterxml.uuid.Generators.timeBasedEpochGenerator();

  private final ClusterSharding sharding;
  private final ConversationLog log;
  private final Duration askTimeout;
  private final SendPort sends;
  private final CreationLimits creationLimits;
  private final int maxGroupSize;
  private final BlockService blocks;

  public ConversationService(
      ActorSystem<?> system,
      ConversationLog log,
      Duration askTimeout,
      int maxGroupSize,
      SendPort sends,
      CreationLimits creationLimits,
      BlockService blocks) {
    this.creationLimits = creationLimits;
    this.blocks = blocks;
    this.sharding = ClusterSharding.get(system);
    this.log = log;
    this.askTimeout = askTimeout;
    this.maxGroupSize = maxGroupSize;
    this.sends = sends;
  }

  public CompletionStage<Conversation.Created> openDirect(String userId, String otherUserId) {
    if (otherUserId == null || otherUserId.isBlank() || otherUserId.equals(userId)) {
      return CompletableFuture.failedFuture(
          DomainException.of(ErrorCode.BAD_REQUEST, Rule.DIRECT_NEEDS_ONE_OTHER));
    }
    String directId = Conversation.directId(userId, otherUserId);
    // Rare (a client opens a direct conversation once), so the block lists are asked each time.
    return blocks
        .eitherBlocks(userId, otherUserId)
        .thenCompose(
            blocked -> {
              if (blocked) throw new DomainException(ErrorCode.BLOCKED);
              return counted(
                  userId,
                  () -> direct(userId, otherUserId),
                  () ->
                      conversation(directId)
                          .askWithStatus(
                              (ActorRef<StatusReply<Conversation.Access>> replyTo) ->
                                  new Conversation.GetAccess(userId, replyTo),
                              askTimeout)
                          .thenApply(access -> new Conversation.Created(access.info(), true)));
            });
  }

  private CompletionStage<Conversation.Created> direct(String userId, String otherUserId) {
    return sharding
        .entityRefFor(UserInbox.ENTITY_KEY, otherUserId)
        .ask(UserInbox.GetProfile::new, askTimeout)
        .thenCompose(
            profile -> {
              if (!profile.registered()) {
                throw DomainException.of(ErrorCode.NOT_FOUND, Rule.NO_USER, otherUserId);
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

  /**
   * Creates a group of the creator and {@code memberIds} (every one a registered user), with the
   * creator as its admin.
   */
  public CompletionStage<Conversation.Created> createGroup(
      String creatorId, String title, List<String> memberIds) {
    List<String> others =
        memberIds.stream().filter(id -> !id.equals(creatorId)).distinct().toList();
    if (others.size() + 1 > maxGroupSize) {
      return CompletableFuture.failedFuture(
          new DomainException(
              ErrorCode.BAD_REQUEST, ErrorDetail.atMost(Rule.GROUP_SIZE, null, maxGroupSize)));
    }
    String groupId = "g-" + GROUP_IDS.generate();
    return counted(creatorId, () -> group(creatorId, title, others, groupId), null);
  }

  private CompletionStage<Conversation.Created> group(
      String creatorId, String title, List<String> others, String groupId) {
    return requireRegistered(others)
        .thenCompose(
            registered ->
                refusals(
                    sharding
                        .entityRefFor(Conversation.ENTITY_KEY, groupId)
                        .askWithStatus(
                            replyTo ->
                                new Conversation.Create(
                                    ConversationType.GROUP,
                                    concat(creatorId, others),
                                    creatorId,
                                    title,
                                    replyTo),
                            askTimeout)));
  }

  /**
   * Runs a creation within the user's hourly allowance; one that found the conversation already
   * there, or was refused, does not count. Beyond the allowance, {@code existing} (if not null) may
   * still find the conversation (reopening a direct one); otherwise {@code rate_limited}.
   */
  private CompletionStage<Conversation.Created> counted(
      String userId,
      Supplier<CompletionStage<Conversation.Created>> creation,
      Supplier<CompletionStage<Conversation.Created>> existing) {
    if (!creationLimits.tryCreate(userId)) {
      DomainException limited =
          new DomainException(
              ErrorCode.RATE_LIMITED,
              ErrorDetail.atMost(Rule.CREATIONS_PER_HOUR, null, creationLimits.perHour()));
      if (existing == null) return CompletableFuture.failedFuture(limited);
      return existing
          .get()
          .exceptionallyCompose(notThere -> CompletableFuture.failedFuture(limited));
    }
    return creation
        .get()
        .whenComplete(
            (created, failure) -> {
              if (failure != null || created.alreadyExisted()) creationLimits.giveBack(userId);
            });
  }

  /** Where the user's view of the conversation starts; refused unless they may read it. */
  public CompletionStage<Conversation.Access> access(String userId, String conversationId) {
    return refusals(
        conversation(conversationId)
            .askWithStatus(
                (ActorRef<StatusReply<Conversation.Access>> replyTo) ->
                    new Conversation.GetAccess(userId, replyTo),
                askTimeout));
  }

  /**
   * The entry at {@code seq}, if the user may read it: the history's rules (from their join point,
   * up to the head); {@code not_found} otherwise.
   */
  public CompletionStage<ChatMessage> entry(String userId, String conversationId, long seq) {
    return access(userId, conversationId)
        .thenCompose(
            access -> {
              if (seq < Math.max(1, access.visibleFromSeq()) || seq > access.lastSeq()) {
                throw new DomainException(ErrorCode.NOT_FOUND);
              }
              return log.read(conversationId, seq, seq);
            })
        .thenApply(
            entries -> {
              if (entries.isEmpty()) throw new DomainException(ErrorCode.NOT_FOUND);
              return entries.get(0);
            });
  }

  public CompletionStage<Conversation.Details> details(String userId, String conversationId) {
    return refusals(
        conversation(conversationId)
            .askWithStatus(replyTo -> new Conversation.GetDetails(userId, replyTo), askTimeout));
  }

  public CompletionStage<Conversation.Changed> addMember(
      String actorId, String conversationId, String userId) {
    return requireRegistered(List.of(userId))
        .thenCompose(
            registered ->
                refusals(
                    conversation(conversationId)
                        .askWithStatus(
                            replyTo -> new Conversation.AddMember(actorId, userId, replyTo),
                            askTimeout)));
  }

  public CompletionStage<Conversation.Changed> removeMember(
      String actorId, String conversationId, String userId) {
    return refusals(
        conversation(conversationId)
            .askWithStatus(
                replyTo -> new Conversation.RemoveMember(actorId, userId, replyTo), askTimeout));
  }

  /** An admin makes {@code userId} an admin or a member again. */
  public CompletionStage<Conversation.Changed> setRole(
      String actorId, String conversationId, String userId, Roster.Role role) {
    return refusals(
        conversation(conversationId)
            .askWithStatus(
                replyTo -> new Conversation.SetRole(actorId, userId, role, replyTo), askTimeout));
  }

  /** An admin changes who may add members and who may rename the group. */
  public CompletionStage<Conversation.Changed> setPermissions(
      String actorId, String conversationId, GroupPermissions permissions) {
    return refusals(
        conversation(conversationId)
            .askWithStatus(
                replyTo -> new Conversation.SetPermissions(actorId, permissions, replyTo),
                askTimeout));
  }

  public CompletionStage<Conversation.Changed> rename(
      String actorId, String conversationId, String title) {
    return refusals(
        conversation(conversationId)
            .askWithStatus(
                replyTo -> new Conversation.Rename(actorId, title, replyTo), askTimeout));
  }

  /** Every current member's received and read markers; for members only. */
  public CompletionStage<java.util.Map<String, ReceiptBook.Marker>> receipts(
      String userId, String conversationId) {
    return details(userId, conversationId)
        .thenCompose(
            details ->
                sharding
                    .entityRefFor(ReceiptBook.ENTITY_KEY, conversationId)
                    .ask(ReceiptBook.Get::new, askTimeout)
                    .thenApply(
                        markers -> {
                          java.util.Map<String, ReceiptBook.Marker> byMember =
                              new java.util.TreeMap<>();
                          for (String member : details.roster().members().keySet()) {
                            byMember.put(
                                member,
                                markers
                                    .byMember()
                                    .getOrDefault(member, new ReceiptBook.Marker(0, 0)));
                          }
                          return byMember;
                        }));
  }

  /** Push notifications of one of the user's conversations off or on. */
  public CompletionStage<akka.Done> setMuted(String userId, String conversationId, boolean muted) {
    return refusals(
        sharding
            .entityRefFor(UserInbox.ENTITY_KEY, userId)
            .askWithStatus(
                replyTo -> new UserInbox.SetMuted(conversationId, muted, replyTo), askTimeout));
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
    return details(userId, conversationId)
        .thenCompose(
            details -> {
              // A member sees the conversation from where they joined, never before.
              long first = Math.max(1, details.roster().joinedSeq(userId));
              long lastSeq = details.lastSeq();
              long before = beforeSeq == null ? lastSeq + 1 : Math.min(beforeSeq, lastSeq + 1);
              long from = Math.max(first, before - limit);
              if (before <= from) {
                return CompletableFuture.completedFuture(new HistoryPage(List.of(), false));
              }
              CompletionStage<ReceiptBook.Markers> markers =
                  sharding
                      .entityRefFor(ReceiptBook.ENTITY_KEY, conversationId)
                      .ask(ReceiptBook.Get::new, askTimeout);
              CompletionStage<java.util.Set<String>> blocked = blocks.blockedBy(userId);
              return log.read(conversationId, from, before - 1)
                  .thenCombine(markers, Read::new)
                  .thenCombine(
                      blocked,
                      (read, blockedSenders) -> {
                        List<ChatMessage> messages = read.messages();
                        ReceiptBook.Markers marks = read.markers();
                        var tally = new ReceiptTally(details.roster(), marks.byMember());
                        List<Counted> newestFirst = new ArrayList<>(messages.size());
                        for (ChatMessage entry : messages) {
                          ChatMessage m = entry.seenFrom(first);
                          ReceiptTally.Count count = tally.of(m);
                          newestFirst.add(
                              new Counted(
                                  m,
                                  count.deliveredTo(),
                                  count.readBy(),
                                  count.of(),
                                  blockedSenders.contains(m.senderId())));
                        }
                        Collections.reverse(newestFirst);
                        return new HistoryPage(newestFirst, from > first);
                      });
            });
  }

  private record Read(List<ChatMessage> messages, ReceiptBook.Markers markers) {}

  /**
   * Through the same {@link SendPort} as a WebSocket send; a refusal fails with its {@link
   * DomainException}, no answer with what stopped it (a timeout, ...).
   */
  public CompletionStage<Conversation.Posted> send(
      String userId,
      String conversationId,
      String clientMsgId,
      String body,
      List<Attachment> attachments) {
    return send(userId, conversationId, clientMsgId, SendPort.Content.message(body, attachments));
  }

  /** A message (with a reply's quote and mentions) or an amendment, as over a WebSocket. */
  public CompletionStage<Conversation.Posted> send(
      String userId, String conversationId, String clientMsgId, SendPort.Content content) {
    return sends
        .send(userId, conversationId, clientMsgId, content)
        .thenApply(
            outcome ->
                outcome.fold(
                    posted -> posted,
                    refused -> {
                      if (refused.failure() != null)
                        throw new CompletionException(refused.failure());
                      throw new DomainException(refused.code(), refused.detail());
                    }));
  }

  private akka.cluster.sharding.typed.javadsl.EntityRef<Conversation.Command> conversation(
      String id) {
    return sharding.entityRefFor(Conversation.ENTITY_KEY, id);
  }

  /** Fails with not_found naming the first of {@code userIds} that is not a registered user. */
  private CompletionStage<Void> requireRegistered(List<String> userIds) {
    List<CompletableFuture<UserInbox.Profile>> profiles =
        userIds.stream()
            .map(
                id ->
                    sharding
                        .entityRefFor(UserInbox.ENTITY_KEY, id)
                        .ask(UserInbox.GetProfile::new, askTimeout)
                        .toCompletableFuture())
            .toList();
    return CompletableFuture.allOf(profiles.toArray(CompletableFuture[]::new))
        .thenRun(
            () -> {
              for (var profile : profiles) {
                var p = profile.join();
                if (!p.registered())
                  throw DomainException.of(ErrorCode.NOT_FOUND, Rule.NO_USER, p.userId());
              }
            });
  }

  private static List<String> concat(String first, List<String> rest) {
    List<String> all = new ArrayList<>(rest.size() + 1);
    all.add(first);
    all.addAll(rest);
    return all;
  }

  /** Turns an actor's {@code StatusReply.error(code)} into a {@link DomainException}. */
  static <T> CompletionStage<T> refusals(CompletionStage<T> answer) {
    return answer.exceptionally(
        failure -> {
          Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
          if (cause instanceof StatusReply.ErrorMessage refusal) {
            ErrorCode code = ErrorCode.fromWire(refusal.getMessage());
            throw new DomainException(code);
          }
          throw failure instanceof CompletionException c ? c : new CompletionException(cause);
        });
  }
}
