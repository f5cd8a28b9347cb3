package messenger.app;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.pattern.StatusReply;
import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.ErrorDetail;
import messenger.ErrorDetail.Rule;
import messenger.audit.Audit;
import messenger.chat.ChatMessage;
import messenger.delivery.UserInbox;
import messenger.safety.Report;
import messenger.safety.ReportLimits;
import messenger.safety.ReportReason;
import messenger.safety.ReportRules;

/**
 * Users report a message or a user. A report is checked ({@link ReportRules}), counted against the
 * reporter's hourly allowance ({@link ReportLimits}), its target looked up as the reporter may see
 * it (a message by the history's rules: from where they joined; a user must exist), and then filed
 * as a {@link Report} with a copy of the message as evidence, and audited.
 *
 * <p>Stages fail with a {@link DomainException}: {@code bad_request}, {@code rate_limited} (with
 * the wait), {@code not_found} / {@code not_member} (a message the reporter cannot see, a user that
 * does not exist), {@code not_a_message}, {@code message_deleted}.
 */
public final class ReportService {
  private static final TimeBasedEpochGenerator REPORT_IDS = Generators.timeBasedEpochGenerator();

  /** What a user asks to report; the fields are as the client sent them. */
  public record Request(
      String conversationId, Long seq, String userId, String reason, String note) {}

  private final ClusterSharding sharding;
  private final ConversationService conversations;
  private final ReportLimits limits;
  private final Duration askTimeout;
  private final Clock clock;

  public ReportService(
      ActorSystem<?> system,
      ConversationService conversations,
      ReportLimits limits,
      Duration askTimeout,
      Clock clock) {
    this.sharding = ClusterSharding.get(system);
    this.conversations = conversations;
    this.limits = limits;
    this.askTimeout = askTimeout;
    this.clock = clock;
  }

  /** Files the report; completes with its id. */
  public CompletionStage<String> file(String reporterId, Request request) {
    Optional<ErrorDetail> problem =
        ReportRules.check(
            request.conversationId(),
            request.seq(),
            request.userId(),
            request.reason(),
            request.note());
    if (problem.isPresent()) {
      return CompletableFuture.failedFuture(
          new DomainException(ErrorCode.BAD_REQUEST, problem.get()));
    }
    // Counted before the target is looked up: probing what exists costs allowance too.
    Duration wait = limits.tryReport(reporterId);
    if (!wait.isZero()) {
      Audit.reportRateLimited(reporterId);
      return CompletableFuture.failedFuture(
          new DomainException(
              ErrorCode.RATE_LIMITED,
              ErrorDetail.reportsPerHour(limits.perHour(), Math.max(1, wait.toMillis()))));
    }
    String reportId = REPORT_IDS.generate().toString();
    ReportReason reason = ReportReason.fromWire(request.reason());
    CompletionStage<Report.Filing> filing =
        request.userId() != null
            ? userFiling(reportId, reporterId, reason, request)
            : messageFiling(reportId, reporterId, reason, request);
    return filing
        .thenCompose(this::fileReport)
        .thenApply(
            view -> {
              Audit.reportFiled(reporterId, reportId, target(view.filing()), reason.wire());
              return reportId;
            });
  }

  private CompletionStage<Report.Filing> messageFiling(
      String reportId, String reporterId, ReportReason reason, Request request) {
    return conversations
        .entry(reporterId, request.conversationId(), request.seq())
        .thenApply(
            message -> {
              if (!message.isUserMessage()) throw new DomainException(ErrorCode.NOT_A_MESSAGE);
              if (message.later().deleted()) throw new DomainException(ErrorCode.MESSAGE_DELETED);
              return new Report.Filing(
                  reportId,
                  reporterId,
                  reason,
                  request.note(),
                  clock.instant(),
                  request.conversationId(),
                  request.seq(),
                  message.senderId(),
                  evidence(message));
            });
  }

  private static Report.Evidence evidence(ChatMessage message) {
    return new Report.Evidence(
        message.messageId(),
        message.senderId(),
        message.body(),
        message.attachments(),
        message.timestamp());
  }

  private CompletionStage<Report.Filing> userFiling(
      String reportId, String reporterId, ReportReason reason, Request request) {
    return sharding
        .entityRefFor(UserInbox.ENTITY_KEY, request.userId())
        .ask(UserInbox.GetProfile::new, askTimeout)
        .thenApply(
            profile -> {
              if (!profile.registered()) {
                throw DomainException.of(ErrorCode.NOT_FOUND, Rule.NO_USER, request.userId());
              }
              return new Report.Filing(
                  reportId,
                  reporterId,
                  reason,
                  request.note(),
                  clock.instant(),
                  null,
                  null,
                  request.userId(),
                  null);
            });
  }

  private CompletionStage<Report.View> fileReport(Report.Filing filing) {
    return ConversationService.refusals(
        sharding
            .entityRefFor(Report.ENTITY_KEY, filing.reportId())
            .askWithStatus(
                (ActorRef<StatusReply<Report.View>> replyTo) ->
                    new Report.FileReport(filing, replyTo),
                askTimeout));
  }

  /** How the audit trail names what was reported. */
  static String target(Report.Filing filing) {
    return filing.isMessageReport()
        ? "message:" + filing.conversationId() + "/" + filing.seq()
        : "user:" + filing.userId();
  }
}
