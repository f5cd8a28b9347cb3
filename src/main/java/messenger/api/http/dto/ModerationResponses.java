package messenger.api.http.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** Response bodies of reports, the moderation API and the moderator role, one record each. */
public final class ModerationResponses {
  private ModerationResponses() {}

  public record ReportFiled(String reportId) {}

  /**
   * @param kind {@code message} or {@code user}
   */
  public record ReportSummary(
      String reportId, Instant createdAt, String reason, String kind, String reporterId) {}

  /**
   * @param nextCursor for the next page ({@code cursor=}); absent on the last page
   */
  public record ReportList(
      List<ReportSummary> reports, @JsonInclude(JsonInclude.Include.NON_NULL) String nextCursor) {}

  /**
   * A report as moderators see it.
   *
   * @param status {@code open} or {@code resolved}
   * @param userId the reported user (for a message, its sender)
   * @param evidence the reported message as the reporter saw it; absent for a user report
   * @param resolution absent while the report is open
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Report(
      String reportId,
      String status,
      String reason,
      String note,
      String reporterId,
      Instant createdAt,
      String conversationId,
      Long seq,
      String userId,
      ReportEvidence evidence,
      ReportResolution resolution) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ReportEvidence(
      String messageId,
      String senderId,
      String body,
      List<Attachments.AttachmentJson> attachments,
      Instant timestamp) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ReportResolution(String moderatorId, String outcome, String note, Instant at) {}

  public record Moderators(List<String> userIds) {}
}
