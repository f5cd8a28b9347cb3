package messenger.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import java.time.Instant;
import java.util.List;
import messenger.ErrorCode;
import messenger.chat.Attachment;
import messenger.testing.EntityTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReportTest {
  private static ActorTestKit testKit;
  private static final InMemoryReportIndex index = new InMemoryReportIndex();
  private static EventSourcedBehaviorTestKit<Report.Command, Report.Event, Report.State> report;

  private static final Report.Filing FILING =
      new Report.Filing(
          "r-1",
          "alice",
          ReportReason.SPAM,
          "buy now",
          Instant.parse("2026-12-07T10:00:00Z"),
          "c-1",
          4L,
          "bob",
          new Report.Evidence(
              "m-4",
              "bob",
              "cheap pills",
              List.of(new Attachment("up-1", "image/png", 5, "a.png", null, null, null)),
              Instant.parse("2026-12-07T09:59:00Z")));

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create(EntityTests.config());
    report = EventSourcedBehaviorTestKit.create(testKit.system(), Report.create("r-1", index));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void clear() {
    report.clear();
    index.statuses.clear();
    index.entries.clear();
    index.failing = false;
  }

  private StatusReply<Report.View> file() {
    TestProbe<StatusReply<Report.View>> probe = testKit.createTestProbe();
    report.runCommand(new Report.FileReport(FILING, probe.ref()));
    return probe.receiveMessage();
  }

  private StatusReply<Report.View> resolve(String moderator, Report.Outcome outcome) {
    TestProbe<StatusReply<Report.View>> probe = testKit.createTestProbe();
    report.runCommand(new Report.Resolve(moderator, outcome, "done", probe.ref()));
    return probe.receiveMessage();
  }

  @Test
  void aFiledReportKeepsItsEvidenceAndIsListedAsOpenBeforeItIsAnswered() {
    var filed = file();

    assertTrue(filed.isSuccess());
    assertEquals(FILING, filed.getValue().filing());
    assertEquals(ReportIndex.Status.OPEN, filed.getValue().status());
    assertEquals(ReportIndex.Status.OPEN, index.statuses.get("r-1"));
    assertEquals("message", index.entries.get("r-1").kind());
  }

  @Test
  void aReportThatWasNeverFiledIsNotFound() {
    var got = report.<StatusReply<Report.View>>runCommand(Report.GetReport::new).reply();
    assertEquals(ErrorCode.NOT_FOUND.wire(), got.getError().getMessage());
    var resolved =
        report
            .<StatusReply<Report.View>>runCommand(
                replyTo -> new Report.Resolve("mod", Report.Outcome.DISMISSED, null, replyTo))
            .reply();
    assertEquals(ErrorCode.NOT_FOUND.wire(), resolved.getError().getMessage());
  }

  @Test
  void resolvingMovesTheReportToTheResolvedListAndTheFirstResolutionStands() {
    file();
    var resolved = resolve("mod-1", Report.Outcome.ACTIONED);

    assertEquals(ReportIndex.Status.RESOLVED, resolved.getValue().status());
    assertEquals("mod-1", resolved.getValue().resolution().moderatorId());
    assertEquals(ReportIndex.Status.RESOLVED, index.statuses.get("r-1"));

    var again = resolve("mod-2", Report.Outcome.DISMISSED);
    assertEquals("mod-1", again.getValue().resolution().moderatorId());
    assertEquals(Report.Outcome.ACTIONED, again.getValue().resolution().outcome());
  }

  @Test
  void aFailedIndexWriteIsAnsweredUnavailableAndTheRecoveryWritesItAgain() {
    index.failing = true;
    var filed = file();
    assertEquals(ErrorCode.UNAVAILABLE.wire(), filed.getError().getMessage());
    assertNull(index.statuses.get("r-1"));

    report.restart();

    var probe = testKit.createTestProbe();
    probe.awaitAssert(
        () -> {
          assertEquals(ReportIndex.Status.OPEN, index.statuses.get("r-1"));
          return null;
        });
  }

  @Test
  void aResolvedReportSurvivesARestartWithItsEvidence() {
    file();
    resolve("mod-1", Report.Outcome.DISMISSED);

    report.restart();
    var view =
        report.<StatusReply<Report.View>>runCommand(Report.GetReport::new).reply().getValue();

    assertEquals(FILING.evidence(), view.filing().evidence());
    assertEquals(Report.Outcome.DISMISSED, view.resolution().outcome());
  }
}
