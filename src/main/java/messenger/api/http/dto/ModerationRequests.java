package messenger.api.http.dto;

/** Request bodies of reports and the moderation API, one record each. */
public final class ModerationRequests {
  private ModerationRequests() {}

  /** A report of a message ({@code conversationId} and {@code seq}) or of a user. */
  public record FileReport(
      String conversationId, Long seq, String userId, String reason, String note) {}

  /**
   * @param outcome {@code dismissed} or {@code actioned}
   */
  public record Resolve(String outcome, String note) {}

  public record Suspend(String reason) {}
}
