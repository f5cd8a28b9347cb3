package messenger.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import messenger.MessengerNode;
import messenger.testing.Api;
import messenger.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Reports over the real server and Cassandra: filed by users with evidence, refused for what the
 * reporter cannot see, limited per hour, and listed for moderators only until resolved.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ReportsIntegrationTest {

  private static final String ADMIN_TOKEN = "admin-" + UUID.randomUUID();
  private static final int REPORTS_PER_HOUR = 3;

  private static MessengerNode node;
  private static Api api;
  private static Api.User moderator;

  @BeforeAll
  static void start() throws Exception {
    node =
        MessengerNode.start(
            TestServer.isolated(
                "reports",
                Map.of(
                    "messenger.admin.token",
                    ADMIN_TOKEN,
                    "messenger.limits.reports-per-hour-per-user",
                    REPORTS_PER_HOUR)));
    api = new Api(node.httpPort());
    moderator = api.newUser("mod");
    assertEquals(
        200,
        api.put("/api/admin/moderators/" + moderator.userId(), Map.of(), ADMIN_TOKEN).status());
  }

  @AfterAll
  static void stop() throws Exception {
    node.stop();
  }

  private static long post(Api.User sender, String conversationId, String body) {
    Api.Response sent =
        api.post(
            "/api/v1/conversations/" + conversationId + "/messages",
            Map.of("clientMsgId", UUID.randomUUID().toString(), "body", body),
            sender.token());
    assertEquals(201, sent.status(), sent::toString);
    return sent.body().path("seq").asLong();
  }

  private static Api.Response report(Api.User reporter, Map<String, Object> body) {
    return api.post("/api/v1/reports", body, reporter.token());
  }

  private static Map<String, Object> messageReport(String conversationId, long seq) {
    return Map.of("conversationId", conversationId, "seq", seq, "reason", "spam", "note", "ads");
  }

  /** Whether the report is in the moderators' list of {@code status}, paging to its end. */
  private static boolean listed(String status, String reportId) {
    String cursor = null;
    do {
      Api.Response page =
          api.get(
              "/api/v1/moderation/reports?status="
                  + status
                  + "&limit=100"
                  + (cursor == null ? "" : "&cursor=" + cursor),
              moderator.token());
      assertEquals(200, page.status(), page::toString);
      for (JsonNode r : page.body().path("reports")) {
        if (reportId.equals(r.path("reportId").asText())) return true;
      }
      cursor = page.body().hasNonNull("nextCursor") ? page.text("nextCursor") : null;
    } while (cursor != null);
    return false;
  }

  @Test
  void aReportedMessageReachesTheModeratorsOpenListWithACopyOfTheMessage() {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    String direct = api.direct(alice, bob);
    long seq = post(bob, direct, "buy cheap pills");

    Api.Response filed = report(alice, messageReport(direct, seq));
    assertEquals(201, filed.status(), filed::toString);
    String reportId = filed.text("reportId");

    assertTrue(listed("open", reportId));
    Api.Response detail = api.get("/api/v1/moderation/reports/" + reportId, moderator.token());
    assertEquals(200, detail.status(), detail::toString);
    assertEquals("open", detail.text("status"));
    assertEquals("spam", detail.text("reason"));
    assertEquals(alice.userId(), detail.text("reporterId"));
    assertEquals(bob.userId(), detail.text("userId"));
    assertEquals("buy cheap pills", detail.body().path("evidence").path("body").asText());
    assertEquals(bob.userId(), detail.body().path("evidence").path("senderId").asText());
  }

  @Test
  void theOpenListPagesOldestFirstByCursor() {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    String first = report(alice, Map.of("userId", bob.userId(), "reason", "spam")).text("reportId");
    String second =
        report(alice, Map.of("userId", bob.userId(), "reason", "other")).text("reportId");

    List<String> seen = new java.util.ArrayList<>();
    String cursor = null;
    do {
      Api.Response page =
          api.get(
              "/api/v1/moderation/reports?limit=1" + (cursor == null ? "" : "&cursor=" + cursor),
              moderator.token());
      assertEquals(200, page.status(), page::toString);
      assertTrue(page.body().path("reports").size() <= 1, page::toString);
      page.body().path("reports").forEach(r -> seen.add(r.path("reportId").asText()));
      cursor = page.body().hasNonNull("nextCursor") ? page.text("nextCursor") : null;
    } while (cursor != null);

    assertEquals(seen.stream().sorted().toList(), seen, "oldest first, each once");
    assertEquals(seen.size(), new java.util.HashSet<>(seen).size());
    assertTrue(
        seen.indexOf(first) >= 0 && seen.indexOf(first) < seen.indexOf(second), seen::toString);
  }

  @Test
  void aLateWriteOfAReportAsOpenDoesNotBringBackOneThatWasResolved() throws Exception {
    var index = new CassandraReportIndex(node.system(), "akka.persistence.cassandra.query");
    // Sorts before every UUIDv7, so the first page of each list holds it.
    String id = "00000000-late-" + UUID.randomUUID().toString().substring(0, 8);
    var entry = new ReportIndex.Entry(id, java.time.Instant.now(), "spam", "user", "someone");
    index.resolved(entry).toCompletableFuture().get(10, TimeUnit.SECONDS);
    index.filed(entry).toCompletableFuture().get(10, TimeUnit.SECONDS);

    var open =
        index
            .list(ReportIndex.Status.OPEN, 5, null)
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    var resolved =
        index
            .list(ReportIndex.Status.RESOLVED, 5, null)
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertFalse(open.entries().stream().anyMatch(e -> e.reportId().equals(id)));
    assertTrue(resolved.entries().stream().anyMatch(e -> e.reportId().equals(id)));
  }

  @Test
  void theModerationApiRefusesAnOrdinaryUserTokenAndTheAdminTokenAlone() {
    Api.User alice = api.newUser("alice");

    Api.Response ordinary = api.get("/api/v1/moderation/reports", alice.token());
    assertEquals(403, ordinary.status());
    assertEquals("not_moderator", ordinary.text("code"));
    Api.Response admin = api.get("/api/v1/moderation/reports", ADMIN_TOKEN);
    assertEquals(401, admin.status());
    assertEquals("unauthorized", admin.text("code"));
  }

  @Test
  void aMessageTheReporterCannotSeeCannotBeReported() {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    Api.User carol = api.newUser("carol");
    Api.Response group =
        api.post(
            "/api/v1/conversations",
            Map.of("type", "group", "members", List.of(bob.userId()), "title", "before"),
            alice.token());
    String groupId = group.text("conversationId");
    long before = post(bob, groupId, "said before carol joined");
    assertEquals(
        200,
        api.post(
                "/api/v1/conversations/" + groupId + "/members",
                Map.of("userId", carol.userId()),
                alice.token())
            .status());

    Api.Response early = report(carol, messageReport(groupId, before));
    assertEquals(404, early.status(), early::toString);
    assertEquals("not_found", early.text("code"));

    Api.User outsider = api.newUser("dave");
    Api.Response notMember = report(outsider, messageReport(groupId, before));
    assertEquals(403, notMember.status(), notMember::toString);
    assertEquals("not_member", notMember.text("code"));
  }

  @Test
  void aUserReportNeedsAnExistingUserAndAKnownReason() {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");

    assertEquals(
        201, report(alice, Map.of("userId", bob.userId(), "reason", "harassment")).status());
    Api.Response nobody = report(alice, Map.of("userId", "no-such-user", "reason", "abuse"));
    assertEquals(404, nobody.status());
    Api.Response reason = report(alice, Map.of("userId", bob.userId(), "reason", "boring"));
    assertEquals(400, reason.status());
    assertEquals("bad_request", reason.text("code"));
  }

  @Test
  void reportsBeyondTheHourlyAllowanceAreRateLimitedWithAWait() {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    for (int i = 0; i < REPORTS_PER_HOUR; i++) {
      assertEquals(201, report(alice, Map.of("userId", bob.userId(), "reason", "spam")).status());
    }

    Api.Response limited = report(alice, Map.of("userId", bob.userId(), "reason", "spam"));
    assertEquals(429, limited.status(), limited::toString);
    assertEquals("rate_limited", limited.text("code"));
    assertTrue(limited.body().path("retryAfterMs").asLong() > 0, limited::toString);
    assertEquals(
        201,
        report(api.newUser("carol"), Map.of("userId", bob.userId(), "reason", "spam")).status(),
        "each reporter has an allowance of their own");
  }

  @Test
  void resolvingMovesAReportOutOfTheOpenListAndKeepsTheEvidencePastTheSendersDeletion() {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    String direct = api.direct(alice, bob);
    long seq = post(bob, direct, "threat");
    String reportId = report(alice, messageReport(direct, seq)).text("reportId");
    Api.Response deleted =
        api.post(
            "/api/v1/conversations/" + direct + "/messages/" + seq + "/amendments",
            Map.of("clientMsgId", UUID.randomUUID().toString(), "kind", "delete"),
            bob.token());
    assertEquals(201, deleted.status(), deleted::toString);

    Api.Response resolved =
        api.post(
            "/api/v1/moderation/reports/" + reportId + "/resolution",
            Map.of("outcome", "actioned", "note", "warned"),
            moderator.token());
    assertEquals(200, resolved.status(), resolved::toString);
    assertEquals("resolved", resolved.text("status"));
    assertEquals("actioned", resolved.body().path("resolution").path("outcome").asText());
    assertEquals(
        moderator.userId(), resolved.body().path("resolution").path("moderatorId").asText());
    assertEquals("threat", resolved.body().path("evidence").path("body").asText());

    assertFalse(listed("open", reportId));
    assertTrue(listed("resolved", reportId));
  }
}
