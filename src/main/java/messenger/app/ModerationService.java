package messenger.app;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.pattern.StatusReply;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.ErrorDetail.Rule;
import messenger.audit.Audit;
import messenger.auth.Revocations;
import messenger.chat.Conversation;
import messenger.delivery.SendPort;
import messenger.delivery.UserInbox;
import messenger.safety.Moderators;
import messenger.safety.Report;
import messenger.safety.ReportIndex;

/**
 * What operators and moderators do: operators grant and revoke the moderator role ({@link
 * Moderators}); moderators list and resolve reports, delete any message for everyone (the sender's
 * deletion, through the {@link SendPort}, without membership) and suspend and reinstate users
 * (through {@link Revocations}: a suspension ends every token at once). Every moderator action is
 * audited with who, what and on what.
 *
 * <p>The role is read from {@link Moderators} for every moderation request: moderation is rare, and
 * so a revoked role stops working at the next request.
 */
public final class ModerationService {
  private static final Pattern REPORT_ID = Pattern.compile("[0-9a-f-]{36}");

  private final ClusterSharding sharding;
  private final ReportIndex index;
  private final SendPort sends;
  private final Revocations revocations;
  private final Duration askTimeout;

  public ModerationService(
      ActorSystem<?> system,
      ReportIndex index,
      SendPort sends,
      Revocations revocations,
      Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.index = index;
    this.sends = sends;
    this.revocations = revocations;
    this.askTimeout = askTimeout;
  }

  // ---- the role ----

  /** Completes if {@code userId} is a moderator; fails with {@code not_moderator} otherwise. */
  public CompletionStage<Done> requireModerator(String userId) {
    return roster()
        .thenApply(
            roster -> {
              if (!roster.holds(userId)) throw new DomainException(ErrorCode.NOT_MODERATOR);
              return Done.getInstance();
            });
  }

  public CompletionStage<Moderators.Roster> roster() {
    return moderators().ask(Moderators.GetRoster::new, askTimeout);
  }

  /** An operator gives an existing user the role; {@code not_found} for no such user. */
  public CompletionStage<Moderators.Roster> grant(String userId) {
    return requireUser(userId)
        .thenCompose(
            done ->
                moderators()
                    .ask(
                        (ActorRef<Moderators.Roster> replyTo) ->
                            new Moderators.Grant(userId, replyTo),
                        askTimeout))
        .thenApply(
            roster -> {
              Audit.moderatorRole(userId, "granted");
              return roster;
            });
  }

  public CompletionStage<Moderators.Roster> revoke(String userId) {
    return moderators()
        .ask(
            (ActorRef<Moderators.Roster> replyTo) -> new Moderators.Revoke(userId, replyTo),
            askTimeout)
        .thenApply(
            roster -> {
              Audit.moderatorRole(userId, "revoked");
              return roster;
            });
  }

  // ---- reports ----

  public CompletionStage<ReportIndex.Page> reports(
      ReportIndex.Status status, int limit, String cursor) {
    return index.list(status, limit, cursor);
  }

  /** The report {@code reportId}; {@code not_found} if there is none. */
  public CompletionStage<Report.View> report(String reportId) {
    if (!REPORT_ID.matcher(reportId).matches()) return notFound();
    return ask(reportId, Report.GetReport::new);
  }

  public CompletionStage<Report.View> resolve(
      String moderatorId, String reportId, Report.Outcome outcome, String note) {
    if (!REPORT_ID.matcher(reportId).matches()) return notFound();
    return ask(
            reportId,
            (ActorRef<StatusReply<Report.View>> replyTo) ->
                new Report.Resolve(moderatorId, outcome, note, replyTo))
        .thenApply(
            view -> {
              Audit.moderatorAction(
                  moderatorId,
                  "report_resolved",
                  "report:" + reportId,
                  view.resolution().outcome().name().toLowerCase(java.util.Locale.ROOT));
              return view;
            });
  }

  // ---- actions ----

  /** Deletes the message for everyone, as its sender's deletion would. */
  public CompletionStage<Conversation.Posted> deleteMessage(
      String moderatorId, String conversationId, long seq) {
    return sends
        .deleteAsModerator(moderatorId, conversationId, seq)
        .thenApply(
            outcome ->
                outcome.fold(
                    posted -> {
                      Audit.moderatorAction(
                          moderatorId,
                          "message_deleted",
                          "message:" + conversationId + "/" + seq,
                          null);
                      return posted;
                    },
                    refused -> {
                      if (refused.failure() != null) {
                        throw new CompletionException(refused.failure());
                      }
                      throw new DomainException(refused.code(), refused.detail());
                    }));
  }

  /** Suspends an existing user: every token ends now, sockets included; logins are refused. */
  public CompletionStage<Done> suspend(String moderatorId, String userId, String reason) {
    return requireUser(userId)
        .thenCompose(done -> revocations.suspend(userId, reason))
        .thenApply(
            done -> {
              Audit.moderatorAction(moderatorId, "user_suspended", "user:" + userId, reason);
              return done;
            });
  }

  /** Ends a suspension: the user may log in again. */
  public CompletionStage<Done> reinstate(String moderatorId, String userId) {
    return requireUser(userId)
        .thenCompose(done -> revocations.reinstate(userId))
        .thenApply(
            done -> {
              Audit.moderatorAction(moderatorId, "user_reinstated", "user:" + userId, null);
              return done;
            });
  }

  // ---- plumbing ----

  private CompletionStage<Done> requireUser(String userId) {
    return sharding
        .entityRefFor(UserInbox.ENTITY_KEY, userId)
        .ask(UserInbox.GetProfile::new, askTimeout)
        .thenApply(
            profile -> {
              if (!profile.registered()) {
                throw DomainException.of(ErrorCode.NOT_FOUND, Rule.NO_USER, userId);
              }
              return Done.getInstance();
            });
  }

  private CompletionStage<Report.View> ask(
      String reportId,
      java.util.function.Function<ActorRef<StatusReply<Report.View>>, Report.Command> command) {
    return ConversationService.refusals(
        sharding
            .entityRefFor(Report.ENTITY_KEY, reportId)
            .askWithStatus(command::apply, askTimeout));
  }

  private EntityRef<Moderators.Command> moderators() {
    return sharding.entityRefFor(Moderators.ENTITY_KEY, Moderators.ID);
  }

  private static <T> CompletionStage<T> notFound() {
    return CompletableFuture.failedFuture(new DomainException(ErrorCode.NOT_FOUND));
  }
}
