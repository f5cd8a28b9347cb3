package messenger.app;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.pattern.StatusReply;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.ErrorDetail;
import messenger.ErrorDetail.Rule;
import messenger.chat.Conversation;
import messenger.chat.ConversationType;
import messenger.chat.GroupPermissions;
import messenger.chat.InviteBook;
import messenger.chat.InviteTokens;

/**
 * Invite links to groups: made by whoever may add members, revoked by an admin or whoever made
 * them, used by anyone signed in who has one. A join checks the token (signature, type, expiry),
 * then the group's {@link InviteBook} (not revoked), then the group itself (room).
 */
public final class InviteService {

  public static final Duration DEFAULT_TTL = Duration.ofDays(7);
  public static final Duration MAX_TTL = Duration.ofDays(30);

  /** An invite as its group's members see it: the token is the link's secret. */
  public record Link(String inviteId, String creatorId, Instant expiresAt, String token) {}

  /** Where a join put the user: the group and the seq of their {@code member_added} entry. */
  public record Joined(String conversationId, long seq) {}

  private final ClusterSharding sharding;
  private final ConversationService conversations;
  private final InviteTokens tokens;
  private final Duration askTimeout;
  private final Clock clock;

  public InviteService(
      ActorSystem<?> system,
      ConversationService conversations,
      InviteTokens tokens,
      Duration askTimeout,
      Clock clock) {
    this.sharding = ClusterSharding.get(system);
    this.conversations = conversations;
    this.tokens = tokens;
    this.askTimeout = askTimeout;
    this.clock = clock;
  }

  /**
   * A new link to the group, working for {@code ttl} (null: {@link #DEFAULT_TTL}; at most {@link
   * #MAX_TTL}); for members who may add members.
   */
  public CompletionStage<Link> create(String userId, String conversationId, Duration ttl) {
    Duration life = ttl == null ? DEFAULT_TTL : ttl;
    if (life.isNegative() || life.isZero() || life.compareTo(MAX_TTL) > 0) {
      return CompletableFuture.failedFuture(
          new DomainException(
              ErrorCode.BAD_REQUEST,
              ErrorDetail.between(Rule.RANGE, "expiresInSeconds", 1, (int) MAX_TTL.toSeconds())));
    }
    String inviteId = UUID.randomUUID().toString();
    Instant expiresAt = clock.instant().plus(life).truncatedTo(ChronoUnit.SECONDS);
    return group(userId, conversationId)
        .thenCompose(
            details -> {
              var roster = details.roster();
              boolean may =
                  roster.permissions().addMembers() == GroupPermissions.Who.EVERYONE
                      || roster.isAdmin(userId);
              if (!may) throw new DomainException(ErrorCode.NOT_ADMIN);
              return ConversationService.refusals(
                  book(conversationId)
                      .askWithStatus(
                          (ActorRef<StatusReply<Done>> replyTo) ->
                              new InviteBook.Create(inviteId, userId, expiresAt, replyTo),
                          askTimeout));
            })
        .thenApply(
            done ->
                new Link(
                    inviteId, userId, expiresAt, tokens.sign(conversationId, inviteId, expiresAt)));
  }

  /** The group's working links, for its members. */
  public CompletionStage<List<Link>> list(String userId, String conversationId) {
    return group(userId, conversationId)
        .thenCompose(details -> book(conversationId).ask(InviteBook.GetActive::new, askTimeout))
        .thenApply(
            active ->
                active.invites().stream()
                    .map(
                        i ->
                            new Link(
                                i.inviteId(),
                                i.creatorId(),
                                i.expiresAt(),
                                tokens.sign(conversationId, i.inviteId(), i.expiresAt())))
                    .toList());
  }

  /** Ends a link at once: an admin, or the member who made it; Done also if it is gone. */
  public CompletionStage<Done> revoke(String userId, String conversationId, String inviteId) {
    return group(userId, conversationId)
        .thenCompose(
            details ->
                book(conversationId)
                    .ask(InviteBook.GetActive::new, askTimeout)
                    .thenCompose(
                        active -> {
                          boolean mine =
                              active.invites().stream()
                                  .anyMatch(
                                      i ->
                                          i.inviteId().equals(inviteId)
                                              && i.creatorId().equals(userId));
                          if (!mine && !details.roster().isAdmin(userId)) {
                            throw new DomainException(ErrorCode.NOT_ADMIN);
                          }
                          return book(conversationId)
                              .ask(
                                  (ActorRef<Done> replyTo) ->
                                      new InviteBook.Revoke(inviteId, replyTo),
                                  askTimeout);
                        }));
  }

  /**
   * {@code userId} joins the group of {@code token}. A token that is not one of ours, expired or
   * revoked is {@code not_found} alike, so a guess learns nothing.
   */
  public CompletionStage<Joined> join(String userId, String token) {
    var invite = tokens.verify(token);
    if (invite.isEmpty()) return CompletableFuture.failedFuture(noInvite());
    String conversationId = invite.get().conversationId();
    return book(conversationId)
        .ask(
            (ActorRef<Boolean> replyTo) ->
                new InviteBook.IsActive(invite.get().inviteId(), replyTo),
            askTimeout)
        .thenCompose(
            active -> {
              if (!active) throw noInvite();
              return ConversationService.refusals(
                  sharding
                      .entityRefFor(Conversation.ENTITY_KEY, conversationId)
                      .askWithStatus(
                          (ActorRef<StatusReply<Conversation.Changed>> replyTo) ->
                              new Conversation.JoinByInvite(userId, replyTo),
                          askTimeout));
            })
        .thenApply(changed -> new Joined(conversationId, changed.seq()));
  }

  /** The group's details, for a member of a group; refused otherwise. */
  private CompletionStage<Conversation.Details> group(String userId, String conversationId) {
    return conversations
        .details(userId, conversationId)
        .thenApply(
            details -> {
              if (details.info().type() != ConversationType.GROUP) {
                throw DomainException.of(ErrorCode.BAD_REQUEST, Rule.INVITES_FOR_GROUPS);
              }
              return details;
            });
  }

  private static DomainException noInvite() {
    return DomainException.of(ErrorCode.NOT_FOUND, Rule.NO_INVITE);
  }

  private EntityRef<InviteBook.Command> book(String conversationId) {
    return sharding.entityRefFor(InviteBook.ENTITY_KEY, conversationId);
  }
}
