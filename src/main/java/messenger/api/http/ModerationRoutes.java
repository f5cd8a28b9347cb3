package messenger.api.http;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.StringUnmarshallers;
import java.util.Locale;
import java.util.function.Supplier;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.ErrorDetail;
import messenger.ErrorDetail.Rule;
import messenger.api.http.dto.Attachments;
import messenger.api.http.dto.ModerationRequests;
import messenger.api.http.dto.ModerationResponses;
import messenger.app.ModerationService;
import messenger.app.ReportService;
import messenger.safety.Report;
import messenger.safety.ReportIndex;
import messenger.safety.ReportRules;

/**
 * {@code POST /api/v1/reports} for every signed-in user, and {@code /api/v1/moderation} for
 * moderators only: a user token of a user who holds the role (read for each request), else {@code
 * not_moderator}. Refusals are audited ({@link AuditedRefusals}).
 */
public final class ModerationRoutes extends JsonRoutes {

  private static final int MAX_PAGE = 100;

  private final ReportService reports;
  private final ModerationService moderation;
  private final AuditedRefusals audited;

  public ModerationRoutes(
      ReportService reports,
      ModerationService moderation,
      int maxBodyBytes,
      AuditedRefusals audited) {
    super(maxBodyBytes);
    this.reports = reports;
    this.moderation = moderation;
    this.audited = audited;
  }

  /** {@code /reports}: a user files a report. */
  public Route reports(String userId) {
    return audited.around(userId, () -> pathEnd(() -> post(() -> fileReport(userId))));
  }

  /**
   * {@code /moderation/...}: a moderator's calls. The role is checked once a route matched, so a
   * path or method that does not exist is answered as anywhere else.
   */
  public Route moderation(String userId) {
    return audited.around(userId, () -> moderatorRoutes(userId));
  }

  private Route moderatorRoutes(String moderatorId) {
    return concat(
        path("reports", () -> get(() -> asModerator(moderatorId, this::listReports))),
        path(
            PathMatchers.segment("reports").slash(PathMatchers.segment()),
            reportId -> get(() -> asModerator(moderatorId, () -> report(reportId)))),
        path(
            PathMatchers.segment("reports").slash(PathMatchers.segment()).slash("resolution"),
            reportId -> post(() -> asModerator(moderatorId, () -> resolve(moderatorId, reportId)))),
        path(
            PathMatchers.segment("conversations")
                .slash(PathMatchers.segment())
                .slash("messages")
                .slash(PathMatchers.longSegment()),
            (conversationId, seq) ->
                delete(
                    () ->
                        asModerator(
                            moderatorId, () -> deleteMessage(moderatorId, conversationId, seq)))),
        path(
            PathMatchers.segment("users").slash(PathMatchers.segment()).slash("suspension"),
            userId ->
                concat(
                    put(() -> asModerator(moderatorId, () -> suspend(moderatorId, userId))),
                    delete(() -> asModerator(moderatorId, () -> reinstate(moderatorId, userId))))));
  }

  /** {@code inner} if the user holds the moderator role now; else {@code not_moderator}. */
  private Route asModerator(String userId, Supplier<Route> inner) {
    return onSuccess(moderation.requireModerator(userId), ok -> inner.get());
  }

  // ---- reports ----

  private Route fileReport(String userId) {
    return jsonBody(
        ModerationRequests.FileReport.class,
        req ->
            onSuccess(
                reports.file(
                    userId,
                    new ReportService.Request(
                        req.conversationId(), req.seq(), req.userId(), req.reason(), req.note())),
                reportId ->
                    complete(
                        StatusCodes.CREATED,
                        new ModerationResponses.ReportFiled(reportId),
                        Json.MARSHALLER)));
  }

  private Route listReports() {
    return parameterOptional(
        "status",
        status ->
            parameterOptional(
                StringUnmarshallers.INTEGER,
                "limit",
                limit ->
                    parameterOptional(
                        "cursor",
                        cursor -> {
                          ReportIndex.Status wanted =
                              ReportIndex.Status.fromWire(status.orElse("open"));
                          if (wanted == null) {
                            throw badRequest(ErrorDetail.of(Rule.REPORT_STATUS));
                          }
                          int size = limit.orElse(50);
                          if (size < 1 || size > MAX_PAGE) {
                            throw badRequest(ErrorDetail.between(Rule.RANGE, "limit", 1, MAX_PAGE));
                          }
                          return onSuccess(
                              moderation.reports(wanted, size, cursor.orElse(null)),
                              page ->
                                  complete(
                                      StatusCodes.OK,
                                      new ModerationResponses.ReportList(
                                          page.entries().stream()
                                              .map(ModerationRoutes::summary)
                                              .toList(),
                                          page.nextCursor()),
                                      Json.MARSHALLER));
                        })));
  }

  private Route report(String reportId) {
    return viewed(() -> moderation.report(reportId));
  }

  private Route resolve(String moderatorId, String reportId) {
    return jsonBody(
        ModerationRequests.Resolve.class,
        req -> {
          Report.Outcome outcome = outcome(req.outcome());
          ReportRules.noteProblem(req.note(), "note")
              .ifPresent(
                  problem -> {
                    throw badRequest(problem);
                  });
          return viewed(() -> moderation.resolve(moderatorId, reportId, outcome, req.note()));
        });
  }

  private Route viewed(Supplier<java.util.concurrent.CompletionStage<Report.View>> view) {
    return onSuccess(view.get(), v -> complete(StatusCodes.OK, report(v), Json.MARSHALLER));
  }

  private static Report.Outcome outcome(String wire) {
    if ("dismissed".equals(wire)) return Report.Outcome.DISMISSED;
    if ("actioned".equals(wire)) return Report.Outcome.ACTIONED;
    throw badRequest(ErrorDetail.of(Rule.RESOLUTION_OUTCOME));
  }

  // ---- actions ----

  private Route deleteMessage(String moderatorId, String conversationId, long seq) {
    if (seq < 1) throw DomainException.of(ErrorCode.BAD_REQUEST, Rule.POSITIVE, "seq");
    return onSuccess(
        moderation.deleteMessage(moderatorId, conversationId, seq),
        posted -> complete(StatusCodes.NO_CONTENT));
  }

  private Route suspend(String moderatorId, String userId) {
    return jsonBody(
        ModerationRequests.Suspend.class,
        req -> {
          if (req.reason() == null || req.reason().isBlank()) {
            throw DomainException.of(ErrorCode.BAD_REQUEST, Rule.REQUIRED, "reason");
          }
          ReportRules.noteProblem(req.reason(), "reason")
              .ifPresent(
                  problem -> {
                    throw badRequest(problem);
                  });
          return onSuccess(
              moderation.suspend(moderatorId, userId, req.reason()),
              done -> complete(StatusCodes.NO_CONTENT));
        });
  }

  private Route reinstate(String moderatorId, String userId) {
    return onSuccess(
        moderation.reinstate(moderatorId, userId), done -> complete(StatusCodes.NO_CONTENT));
  }

  // ---- views ----

  private static ModerationResponses.ReportSummary summary(ReportIndex.Entry e) {
    return new ModerationResponses.ReportSummary(
        e.reportId(), e.createdAt(), e.reason(), e.kind(), e.reporterId());
  }

  private static ModerationResponses.Report report(Report.View view) {
    Report.Filing f = view.filing();
    Report.Evidence e = f.evidence();
    Report.Resolution r = view.resolution();
    return new ModerationResponses.Report(
        f.reportId(),
        view.status().wire(),
        f.reason().wire(),
        f.note(),
        f.reporterId(),
        f.createdAt(),
        f.conversationId(),
        f.seq(),
        f.userId(),
        e == null
            ? null
            : new ModerationResponses.ReportEvidence(
                e.messageId(),
                e.senderId(),
                e.body(),
                Attachments.view(e.attachments()),
                e.timestamp()),
        r == null
            ? null
            : new ModerationResponses.ReportResolution(
                r.moderatorId(), r.outcome().name().toLowerCase(Locale.ROOT), r.note(), r.at()));
  }

  private static DomainException badRequest(ErrorDetail detail) {
    return new DomainException(ErrorCode.BAD_REQUEST, detail);
  }
}
