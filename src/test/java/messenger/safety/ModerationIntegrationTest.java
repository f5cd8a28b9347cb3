package messenger.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import messenger.MessengerNode;
import messenger.audit.Audit;
import messenger.testing.Api;
import messenger.testing.TestServer;
import messenger.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * Moderators over the real server: the role granted by operators, a message deleted for everyone by
 * a moderator who is no member, a user suspended (socket closed, token and login refused) and
 * reinstated; every action audited. Heartbeats are far apart so only a suspension closes a socket.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ModerationIntegrationTest {

  private static final String ADMIN_TOKEN = "admin-" + UUID.randomUUID();
  private static final String PASSWORD = "correct horse";
  private static final Duration SOON = Duration.ofSeconds(10);

  private static final Logger audit = (Logger) LoggerFactory.getLogger(Audit.LOGGER);
  private static final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private static Level levelBefore;

  private static MessengerNode node;
  private static Api api;
  private static Api.User moderator;

  @BeforeAll
  static void start() throws Exception {
    events.start();
    audit.addAppender(events);
    levelBefore = audit.getLevel();
    audit.setLevel(Level.INFO);
    node =
        MessengerNode.start(
            TestServer.isolated(
                "moderation",
                Map.of(
                    "messenger.admin.token", ADMIN_TOKEN,
                    "messenger.delivery.heartbeat-interval", "5m",
                    "messenger.delivery.websocket-connection-timeout", "10m")));
    api = new Api(node.httpPort());
    moderator = api.newUser("mod");
    assertEquals(
        200,
        api.put("/api/admin/moderators/" + moderator.userId(), Map.of(), ADMIN_TOKEN).status());
  }

  @AfterAll
  static void stop() throws Exception {
    audit.setLevel(levelBefore);
    audit.detachAppender(events);
    node.stop();
  }

  private static boolean audited(String... parts) {
    synchronized (events.list) {
      return events.list.stream()
          .map(ILoggingEvent::getFormattedMessage)
          .anyMatch(m -> java.util.Arrays.stream(parts).allMatch(m::contains));
    }
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

  private static JsonNode inHistory(Api.User reader, String conversationId, long seq) {
    for (JsonNode m :
        api.get("/api/v1/conversations/" + conversationId + "/messages", reader.token())
            .body()
            .path("messages")) {
      if (m.path("seq").asLong() == seq) return m;
    }
    throw new AssertionError("no seq " + seq + " in the history");
  }

  private static boolean isDeletion(JsonNode frame) {
    return deletion(frame) != null;
  }

  /** The deletion among a messages frame's items, or null. */
  private static JsonNode deletion(JsonNode frame) {
    for (JsonNode item : frame.path("items")) {
      if (item.path("amendment").path("kind").asText().equals("delete")) return item;
    }
    return null;
  }

  @Test
  void operatorsGrantAndRevokeTheRoleAndOnlyForUsersThatExist() {
    Api.User carol = api.newUser("carol");
    Api.Response granted =
        api.put("/api/admin/moderators/" + carol.userId(), Map.of(), ADMIN_TOKEN);
    assertEquals(200, granted.status());
    assertEquals(200, api.get("/api/v1/moderation/reports", carol.token()).status());
    JsonNode listed = api.get("/api/admin/moderators", ADMIN_TOKEN).body().path("userIds");
    assertTrue(listed.toString().contains(carol.userId()), listed::toString);

    assertEquals(200, api.delete("/api/admin/moderators/" + carol.userId(), ADMIN_TOKEN).status());
    Api.Response refused = api.get("/api/v1/moderation/reports", carol.token());
    assertEquals(403, refused.status());
    assertEquals("not_moderator", refused.text("code"));

    assertEquals(404, api.put("/api/admin/moderators/nobody", Map.of(), ADMIN_TOKEN).status());
    assertEquals(401, api.put("/api/admin/moderators/" + carol.userId(), Map.of(), "x").status());
    assertTrue(audited("event=moderator_role", carol.userId(), "action=granted"));
    assertTrue(audited("event=moderator_role", carol.userId(), "action=revoked"));
  }

  @Test
  void aModeratorWhoIsNoMemberDeletesAMessageForEveryoneAndItIsAudited() {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    Api.Response group =
        api.post(
            "/api/v1/conversations",
            Map.of("type", "group", "members", List.of(bob.userId()), "title", "g"),
            alice.token());
    String groupId = group.text("conversationId");
    long seq = post(bob, groupId, "something awful");
    WsClient aliceSocket = WsClient.connect(api.port(), alice.token(), "phone");

    Api.Response deleted =
        api.delete(
            "/api/v1/moderation/conversations/" + groupId + "/messages/" + seq, moderator.token());
    assertEquals(204, deleted.status(), deleted::toString);

    JsonNode tombstone = inHistory(alice, groupId, seq);
    assertTrue(tombstone.path("deleted").asBoolean(), tombstone::toString);
    assertEquals("", tombstone.path("body").asText(), tombstone::toString);
    assertTrue(inHistory(bob, groupId, seq).path("deleted").asBoolean());
    JsonNode pushed = aliceSocket.next(ModerationIntegrationTest::isDeletion, "the deletion");
    assertEquals(seq, deletion(pushed).path("amendment").path("seq").asLong(), pushed::toString);
    aliceSocket.close();
    assertTrue(
        audited(
            "event=moderator_action",
            "by=" + moderator.userId(),
            "action=message_deleted",
            "message:" + groupId + "/" + seq));

    Api.Response again =
        api.delete(
            "/api/v1/moderation/conversations/" + groupId + "/messages/" + seq, moderator.token());
    assertEquals(204, again.status(), "a retry is answered as the first time");
    Api.Response missing =
        api.delete(
            "/api/v1/moderation/conversations/" + groupId + "/messages/999", moderator.token());
    assertEquals(404, missing.status());
    Api.Response ordinary =
        api.delete("/api/v1/moderation/conversations/" + groupId + "/messages/1", alice.token());
    assertEquals(403, ordinary.status());
    assertEquals("not_moderator", ordinary.text("code"));
    assertTrue(
        audited("event=access_refused", "userId=" + alice.userId(), "reason=not_moderator"),
        "a refused moderation call is audited");
  }

  @Test
  void aSuspendedUsersSocketClosesItsTokenAndLoginAreRefusedUntilReinstated() {
    Api.User bob = api.newUser("bob");
    WsClient bobSocket = WsClient.connect(api.port(), bob.token(), "phone");

    Api.Response suspended =
        api.put(
            "/api/v1/moderation/users/" + bob.userId() + "/suspension",
            Map.of("reason", "spam wave"),
            moderator.token());
    assertEquals(204, suspended.status(), suspended::toString);

    JsonNode closing = bobSocket.next("error");
    assertEquals("unauthorized", closing.path("code").asText(), closing::toString);
    bobSocket.closeCode(SOON);
    assertEquals(401, api.get("/api/v1/conversations", bob.token()).status());
    assertEquals(401, WsClient.refusedStatus(api.port(), bob.token(), "phone"));
    Api.Response login =
        api.post("/api/v1/tokens", Map.of("username", bob.username(), "password", PASSWORD), null);
    assertEquals(403, login.status(), login::toString);
    assertEquals("suspended", login.text("code"));
    Api.Response guess =
        api.post(
            "/api/v1/tokens", Map.of("username", bob.username(), "password", "wrong guess"), null);
    assertEquals(401, guess.status());
    assertEquals("unauthorized", guess.text("code"), "a wrong password reveals nothing more");
    assertTrue(audited("event=moderator_action", "action=user_suspended", "user:" + bob.userId()));

    assertEquals(
        204,
        api.delete("/api/v1/moderation/users/" + bob.userId() + "/suspension", moderator.token())
            .status());
    Api.User back = api.login(bob.username(), PASSWORD);
    assertEquals(200, api.get("/api/v1/conversations", back.token()).status());
    assertEquals(
        401, api.get("/api/v1/conversations", bob.token()).status(), "old tokens stay dead");
    assertTrue(audited("event=moderator_action", "action=user_reinstated", "user:" + bob.userId()));
    Api.Response nobody =
        api.put(
            "/api/v1/moderation/users/nobody/suspension", Map.of("reason", "x"), moderator.token());
    assertEquals(404, nobody.status(), nobody::toString);
  }
}
