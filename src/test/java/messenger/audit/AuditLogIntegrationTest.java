package messenger.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import messenger.MessengerNode;
import messenger.testing.Api;
import messenger.testing.Polling;
import messenger.testing.TestServer;
import messenger.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * Security refusals each leave one audit event, marked SECURITY_AUDIT, with the fields that say who
 * was refused what, and no password or token in it.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class AuditLogIntegrationTest {

  private static final String PASSWORD = "correct horse";

  private static final Logger audit = (Logger) LoggerFactory.getLogger(Audit.LOGGER);
  private static final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private static Level levelBefore;
  private static MessengerNode node;
  private static Api api;

  @BeforeAll
  static void start() throws Exception {
    events.start();
    audit.addAppender(events);
    levelBefore = audit.getLevel();
    audit.setLevel(Level.INFO);
    node =
        MessengerNode.start(
            TestServer.isolated(
                "audit", Map.of("messenger.http.allowed-origins", "https://chat.example.com")));
    api = new Api(node.httpPort());
  }

  @AfterAll
  static void stop() throws Exception {
    audit.setLevel(levelBefore);
    audit.detachAppender(events);
    node.stop();
  }

  @Test
  void aFailedLoginIsAuditedWithTheNameAndAddressButNotThePassword() {
    Api.User alice = api.newUser("alice");
    String wrong = "wrong-" + java.util.UUID.randomUUID();
    assertEquals(
        401,
        api.post("/api/v1/tokens", Map.of("username", alice.username(), "password", wrong), null)
            .status());

    ILoggingEvent event = theOnly(e -> alice.username().equals(fields(e).get("username")));
    Map<String, String> fields = fields(event);
    assertEquals("login_failed", fields.get("event"));
    assertEquals("127.0.0.1", fields.get("address"));
    assertEquals("bad_credentials", fields.get("reason"));
    assertTrue(
        event.getFormattedMessage().startsWith("event=login_failed "), event::getFormattedMessage);
    assertFalse(event.getFormattedMessage().contains(wrong), "no password in the audit log");
  }

  @Test
  void aNonMemberSendOverHttpIsAuditedWithTheUserAndRoute() {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    Api.User mallory = api.newUser("mallory");
    String conversation = api.direct(alice, bob);

    Api.Response refused =
        api.post(
            "/api/v1/conversations/" + conversation + "/messages",
            Map.of("clientMsgId", "c1", "body", "let me in"),
            mallory.token());
    assertEquals(403, refused.status());
    assertEquals("not_member", refused.text("code"));

    ILoggingEvent event = theOnly(e -> mallory.userId().equals(fields(e).get("userId")));
    Map<String, String> fields = fields(event);
    assertEquals("access_refused", fields.get("event"));
    assertEquals("POST /api/v1/conversations/" + conversation + "/messages", fields.get("route"));
    assertEquals("not_member", fields.get("reason"));
    assertEquals("127.0.0.1", fields.get("address"));
    assertNoSecrets(event, mallory, "let me in");
  }

  @Test
  void aNonMemberSendOverAWebSocketIsAuditedWithTheUserAndFrame() {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    Api.User mallory = api.newUser("mallory");
    String conversation = api.direct(alice, bob);

    try (WsClient ws = WsClient.connect(api.port(), mallory.token(), "phone")) {
      ws.send(
          Map.of(
              "type",
              "send",
              "conversationId",
              conversation,
              "clientMsgId",
              "w1",
              "body",
              "let me in"));
      JsonNode answer = ws.answerTo("w1");
      assertEquals("not_member", answer.path("code").asText(), answer::toString);
    }

    ILoggingEvent event = theOnly(e -> mallory.userId().equals(fields(e).get("userId")));
    Map<String, String> fields = fields(event);
    assertEquals("access_refused", fields.get("event"));
    assertEquals("ws", fields.get("route"));
    assertEquals("w1", fields.get("ref"));
    assertEquals("not_member", fields.get("reason"));
    assertEquals("127.0.0.1", fields.get("address"));
    assertNoSecrets(event, mallory, "let me in");
  }

  @Test
  void aRefusedOriginIsAuditedWithTheOrigin() {
    Api.User alice = api.newUser("alice");
    String origin = "https://evil-" + java.util.UUID.randomUUID() + ".example.net";
    assertEquals(403, WsClient.refusedStatus(api.port(), alice.token(), "phone", origin));

    ILoggingEvent event = theOnly(e -> origin.equals(fields(e).get("origin")));
    Map<String, String> fields = fields(event);
    assertEquals("origin_refused", fields.get("event"));
    assertEquals("ws", fields.get("route"));
    assertEquals("127.0.0.1", fields.get("address"));
    assertFalse(event.getFormattedMessage().contains(alice.token()), "no token in the audit log");
  }

  @Test
  void aRefusedCorsPreflightIsAudited() {
    String origin = "https://evil-" + java.util.UUID.randomUUID() + ".example.net";
    var answer =
        api.exchange(
            "OPTIONS",
            "/api/v1/tokens",
            Map.of("Origin", origin, "Access-Control-Request-Method", "POST"),
            null);
    assertEquals(403, answer.statusCode());

    Map<String, String> fields = fields(theOnly(e -> origin.equals(fields(e).get("origin"))));
    assertEquals("cors_refused", fields.get("event"));
    assertEquals("OPTIONS /api/v1/tokens", fields.get("route"));
  }

  @Test
  void valuesFromClientsCannotForgeALineOrAField() {
    String forged = "x\nevent=tokens_revoked userId=someone";
    assertEquals(
        401,
        api.post("/api/v1/tokens", Map.of("username", forged, "password", "whatever-it-is"), null)
            .status());
    ILoggingEvent event = theOnly(e -> forged.equals(fields(e).get("username")));
    String text = event.getFormattedMessage();
    assertFalse(text.contains("\n"), text);
    assertTrue(text.contains("username=\"x\\nevent=tokens_revoked userId=someone\""), text);
  }

  /** The one audit event that {@code wanted} picks, once it has been logged. */
  @Test
  void aRevocationAndTheRevokedTokensLaterUseAreAuditedWithoutTheToken() {
    Api.User carol = api.newUser("carol");
    assertEquals(204, api.delete("/api/v1/tokens/current", carol.token()).status());
    ILoggingEvent revoked =
        theOnly(
            e ->
                "tokens_revoked".equals(fields(e).get("event"))
                    && carol.userId().equals(fields(e).get("userId")));
    assertTrue(fields(revoked).get("scope").startsWith("token:"), revoked::getFormattedMessage);

    int before = matching(e -> "token_refused".equals(fields(e).get("event"))).size();
    assertEquals(401, api.get("/api/v1/conversations", carol.token()).status());
    Polling.until(
        Duration.ofSeconds(10),
        () -> matching(e -> "revoked".equals(fields(e).get("reason"))).size() > 0,
        "a token_refused event");
    List<ILoggingEvent> refused = matching(e -> "token_refused".equals(fields(e).get("event")));
    assertEquals(before + 1, refused.size(), refused::toString);
    ILoggingEvent last = refused.get(refused.size() - 1);
    assertEquals("127.0.0.1", fields(last).get("address"));
    assertFalse(
        (last.getFormattedMessage() + fields(last)).contains(carol.token()),
        "no token in the audit log");
  }

  private static ILoggingEvent theOnly(Predicate<ILoggingEvent> wanted) {
    Polling.until(Duration.ofSeconds(10), () -> !matching(wanted).isEmpty(), "an audit event");
    List<ILoggingEvent> found = matching(wanted);
    assertEquals(1, found.size(), found::toString);
    ILoggingEvent event = found.get(0);
    assertTrue(event.getMarkerList().contains(Audit.SECURITY_AUDIT), "marked SECURITY_AUDIT");
    return event;
  }

  private static List<ILoggingEvent> matching(Predicate<ILoggingEvent> wanted) {
    List<ILoggingEvent> copy;
    // ListAppender appends under the appender's lock; read under it too.
    synchronized (events) {
      copy = new ArrayList<>(events.list);
    }
    return copy.stream().filter(wanted).toList();
  }

  private static Map<String, String> fields(ILoggingEvent event) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (event.getKeyValuePairs() != null) {
      event.getKeyValuePairs().forEach(pair -> fields.put(pair.key, String.valueOf(pair.value)));
    }
    return fields;
  }

  private static void assertNoSecrets(ILoggingEvent event, Api.User user, String body) {
    String text = event.getFormattedMessage() + fields(event);
    assertFalse(text.contains(user.token()), "no token in the audit log");
    assertFalse(text.contains(PASSWORD), "no password in the audit log");
    assertFalse(text.contains(body), "no message body in the audit log");
  }
}
