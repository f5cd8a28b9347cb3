package messenger;

import akka.actor.typed.ActorSystem;
import java.time.Clock;
import java.time.Duration;
import messenger.api.http.AuditedRefusals;
import messenger.api.http.ModerationRoutes;
import messenger.app.ConversationService;
import messenger.app.ModerationService;
import messenger.app.ReportService;
import messenger.auth.Revocations;
import messenger.delivery.SendPort;
import messenger.safety.CassandraReportIndex;
import messenger.safety.Moderators;
import messenger.safety.Report;
import messenger.safety.ReportIndex;
import messenger.safety.ReportLimits;

/**
 * The node's reports and moderation: the {@link Report} and {@link Moderators} entities over the
 * report index beside the journal, the services over them, and their routes.
 */
final class SafetyWiring {

  private SafetyWiring() {}

  /** Registers the entities; the moderation service over them. */
  static ModerationService start(
      ActorSystem<Void> system,
      String readJournal,
      SendPort sends,
      Revocations revocations,
      Duration askTimeout) {
    ReportIndex index = new CassandraReportIndex(system, readJournal);
    Report.init(system, index);
    Moderators.init(system);
    return new ModerationService(system, index, sends, revocations, askTimeout);
  }

  /** {@code /reports} and {@code /moderation}, with the per-reporter limit. */
  static ModerationRoutes routes(
      ActorSystem<Void> system,
      ConversationService conversations,
      ModerationService moderation,
      Duration askTimeout,
      int maxBodyBytes,
      AuditedRefusals audited) {
    ReportLimits limits = ReportLimits.fromConfig(system.settings().config());
    system
        .scheduler()
        .scheduleWithFixedDelay(
            Duration.ofMinutes(1),
            Duration.ofMinutes(1),
            limits::forgetIdle,
            system.executionContext());
    return new ModerationRoutes(
        new ReportService(system, conversations, limits, askTimeout, Clock.systemUTC()),
        moderation,
        maxBodyBytes,
        audited);
  }
}
