package messenger.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import messenger.MessengerNode;
import messenger.contract.Contracts.Direction;
import messenger.testing.Api;
import messenger.testing.Polling;
import messenger.testing.TestServer;
import messenger.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real traffic against a real node, every request, answer and frame checked against the contracts
 * as it happens ({@link CheckedApi}, {@link Contracts#frameProblems}): registration, login, lookup,
 * direct and group conversations, sends, history, membership changes, receipts, settings, devices
 * and push registration, tokens, health, metrics, the web files, the operator call, and their
 * refusals; over the WebSocket every client frame type and every server frame type but the receipt
 * batch (which takes more than 16 receipts at once).
 */
@Timeout(180)
class ContractSamplesIntegrationTest {

  private static final String ADMIN_TOKEN = "admin-" + UUID.randomUUID();
  private static final String PASSWORD = "correct horse";

  private static MessengerNode node;
  private static Api api;

  @BeforeAll
  static void startNode() throws Exception {
    // A heartbeat every second, so the server's ping frames show up within the test.
    node =
        MessengerNode.start(
            TestServer.isolated(
                "samples",
                Map.of(
                    "messenger.admin.token",
                    ADMIN_TOKEN,
                    "messenger.delivery.heartbeat-interval",
                    "1s")));
    api = new Api(node.httpPort());
  }

  @AfterAll
  static void stopNode() throws Exception {
    node.stop();
  }

  @Test
  void everyOperationAnswersWithAStatusAndBodyItsSchemaDocuments() throws Exception {
    CheckedApi http = new CheckedApi(api);
    People people = accounts(http);
    conversations(http, people);
    devicesAndPush(http, people.alice());
    ownAccount(http, people);
    blocks(http, people);
    operationsContractsAndWeb(http);
    moderation(http, people);
    logout(http, people);

    Set<String> every =
        Contracts.operations().stream()
            .map(op -> op.method() + " " + op.path())
            .collect(Collectors.toCollection(TreeSet::new));
    every.removeAll(http.succeeded());
    assertEquals(Set.of(), every, "operations without a checked successful sample");
  }

  /** Who the HTTP samples act as: tokens, and the ids others look them up by. */
  private record People(
      String aliceName, String alice, String bob, String carol, String bobId, String carolId) {}

  private static People accounts(CheckedApi http) {
    String a = unique("alice");
    String b = unique("bob");
    String c = unique("carol");
    http.post(
        201,
        "/api/v1/users",
        Map.of("username", a, "password", PASSWORD, "displayName", "A"),
        null);
    http.post(201, "/api/v1/users", Map.of("username", b, "password", PASSWORD), null);
    http.post(201, "/api/v1/users", Map.of("username", c, "password", PASSWORD), null);
    http.post(409, "/api/v1/users", Map.of("username", a, "password", PASSWORD), null);
    http.post(400, "/api/v1/users", Map.of("username", "No!", "password", PASSWORD), null);
    http.post(400, "/api/v1/users", "{not json", null);
    String alice = login(http, a);
    String bob = login(http, b);
    String carol = login(http, c);
    http.post(401, "/api/v1/tokens", Map.of("username", a, "password", "not the password"), null);
    String bobId =
        http.call(200, "GET", "/api/v1/users", "?username=" + b, null, alice)
            .body()
            .path("userId")
            .asText();
    String carolId =
        http.call(200, "GET", "/api/v1/users", "?username=" + c, null, alice)
            .body()
            .path("userId")
            .asText();
    http.call(404, "GET", "/api/v1/users", "?username=" + unique("nobody"), null, alice);
    http.get(400, "/api/v1/users", alice);
    http.get(401, "/api/v1/users", null);
    http.get(404, "/api/v1/users/{userId}", alice, carolId);

    return new People(a, alice, bob, carol, bobId, carolId);
  }

  private static void conversations(CheckedApi http, People people) {
    String alice = people.alice();
    String bob = people.bob();
    String carol = people.carol();
    String bobId = people.bobId();
    String carolId = people.carolId();
    String direct =
        http.post(
                201,
                "/api/v1/conversations",
                Map.of("type", "direct", "members", List.of(bobId)),
                alice)
            .body()
            .path("conversationId")
            .asText();
    http.post(
        200, "/api/v1/conversations", Map.of("type", "direct", "members", List.of(bobId)), alice);
    http.post(
        400, "/api/v1/conversations", Map.of("type", "circle", "members", List.of(bobId)), alice);
    http.post(
        404,
        "/api/v1/conversations",
        Map.of("type", "direct", "members", List.of("u-none")),
        alice);
    String group =
        http.post(
                201,
                "/api/v1/conversations",
                Map.of("type", "group", "title", "Climbing", "members", List.of(bobId)),
                alice)
            .body()
            .path("conversationId")
            .asText();
    http.get(200, "/api/v1/users/{userId}", alice, bobId);
    http.get(200, "/api/v1/users/{userId}/presence", alice, bobId);
    http.get(404, "/api/v1/users/{userId}/presence", alice, carolId);

    String messages = "/api/v1/conversations/{conversationId}/messages";
    http.post(201, messages, Map.of("clientMsgId", "c-1", "body", "hello"), alice, direct);
    http.post(201, messages, Map.of("clientMsgId", "c-1", "body", "hello"), alice, direct);
    http.post(400, messages, Map.of("clientMsgId", "c-2", "body", ""), alice, direct);
    http.post(
        413, messages, Map.of("clientMsgId", "c-3", "body", "x".repeat(70_000)), alice, direct);
    http.post(403, messages, Map.of("clientMsgId", "c-4", "body", "hi"), carol, direct);
    http.call(200, "GET", messages, "?limit=10", null, bob, direct);
    http.call(400, "GET", messages, "?limit=0", null, bob, direct);
    http.get(403, messages, carol, direct);
    http.get(404, messages, alice, "d-does-not-exist");
    amendments(http, alice, bob, direct);

    String one = "/api/v1/conversations/{conversationId}";
    http.get(200, one, alice, group);
    http.call(200, "PATCH", one, "", Map.of("title", "Bouldering"), bob, group);
    http.call(400, "PATCH", one, "", Map.of("title", ""), bob, group);
    http.post(200, one + "/members", Map.of("userId", carolId), bob, group);
    http.post(400, one + "/members", Map.of(), bob, group);
    http.post(201, messages, Map.of("clientMsgId", "g-1", "body", "welcome"), carol, group);
    http.get(200, messages, carol, group);
    attachments(http, alice, carol, bob, direct, group);
    http.call(403, "DELETE", one + "/members/{userId}", "", null, bob, group, carolId);
    http.call(200, "DELETE", one + "/members/{userId}", "", null, alice, group, carolId);
    http.call(404, "DELETE", one + "/members/{userId}", "", null, alice, group, carolId);
    String role = one + "/members/{userId}/role";
    http.call(403, "PUT", role, "", Map.of("role", "admin"), bob, group, bobId);
    http.call(200, "PUT", role, "", Map.of("role", "admin"), alice, group, bobId);
    http.call(400, "PUT", role, "", Map.of("role", "owner"), alice, group, bobId);
    http.call(200, "PUT", role, "", Map.of("role", "member"), alice, group, bobId);
    String aliceId = api.get("/api/v1/account", alice).text("userId");
    http.call(409, "PUT", role, "", Map.of("role", "member"), alice, group, aliceId);
    String invites = one + "/invites";
    JsonNode invite = http.post(201, invites, Map.of(), bob, group).body();
    http.post(400, invites, Map.of("expiresInSeconds", 0), bob, group);
    http.get(200, invites, alice, group);
    http.post(200, "/api/v1/invites/join", Map.of("token", invite.path("token").asText()), carol);
    http.post(404, "/api/v1/invites/join", Map.of("token", "not-a-token"), carol);
    http.call(403, "DELETE", invites + "/{inviteId}", "", null, carol, group, "x");
    http.call(
        204,
        "DELETE",
        invites + "/{inviteId}",
        "",
        null,
        bob,
        group,
        invite.path("inviteId").asText());
    http.call(200, "DELETE", one + "/members/{userId}", "", null, carol, group, carolId);
    Map<String, Object> strict = Map.of("addMembers", "admins", "rename", "everyone");
    http.call(403, "PUT", one + "/permissions", "", strict, bob, group);
    http.call(200, "PUT", one + "/permissions", "", strict, alice, group);
    http.call(400, "PUT", one + "/permissions", "", Map.of("rename", "nobody"), alice, group);
    http.call(
        200,
        "PUT",
        one + "/permissions",
        "",
        Map.of("addMembers", "everyone", "rename", "everyone"),
        alice,
        group);
    http.call(204, "PATCH", one + "/settings", "", Map.of("muted", true), bob, group);
    http.call(400, "PATCH", one + "/settings", "", Map.of(), bob, group);
    http.get(200, one + "/receipts", alice, direct);
    http.get(403, one + "/receipts", carol, direct);
    JsonNode list = http.get(200, "/api/v1/conversations", alice).body();
    assertEquals(2, list.path("conversations").size());
    http.get(401, "/api/v1/conversations", "not-a-token");
  }

  /** A message edited, reacted to and deleted over HTTP, its history, and the refusals. */
  private static void amendments(CheckedApi http, String alice, String bob, String direct) {
    String messages = "/api/v1/conversations/{conversationId}/messages";
    long seq =
        http.post(201, messages, Map.of("clientMsgId", "a-1", "body", "first"), alice, direct)
            .body()
            .path("seq")
            .asLong();
    String amend = messages + "/{seq}/amendments";
    String at = Long.toString(seq);
    http.post(
        201, amend, Map.of("clientMsgId", "a-2", "kind", "edit", "body", "1st"), alice, direct, at);
    http.post(
        403, amend, Map.of("clientMsgId", "a-3", "kind", "edit", "body", "x"), bob, direct, at);
    http.post(
        201,
        amend,
        Map.of("clientMsgId", "a-4", "kind", "reaction", "emoji", "\uD83D\uDC4D"),
        bob,
        direct,
        at);
    http.post(
        422,
        amend,
        Map.of("clientMsgId", "a-5", "kind", "reaction", "emoji", "x"),
        bob,
        direct,
        at);
    http.post(400, amend, Map.of("clientMsgId", "a-6", "kind", "shout"), bob, direct, at);
    http.post(
        201,
        messages,
        Map.of("clientMsgId", "a-7", "body", "re", "replyTo", Map.of("seq", seq)),
        bob,
        direct);
    http.get(200, messages, bob, direct);
    http.post(201, amend, Map.of("clientMsgId", "a-8", "kind", "delete"), alice, direct, at);
    http.post(410, amend, Map.of("clientMsgId", "a-9", "kind", "delete"), alice, direct, at);
    http.get(200, messages, bob, direct);
  }

  /** An upload, its PUT to the store, the message naming it, its download, and refusals. */
  private static void attachments(
      CheckedApi http, String alice, String carol, String bob, String direct, String group) {
    byte[] file = "%PDF-1.4 a small file".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Map<String, Object> upload =
        Map.of(
            "conversationId",
            group,
            "mime",
            "application/pdf",
            "size",
            file.length,
            "name",
            "a.pdf");
    JsonNode ticket = http.post(201, "/api/v1/uploads", upload, alice).body();
    http.post(
        403,
        "/api/v1/uploads",
        Map.of("conversationId", direct, "mime", "application/pdf", "size", 5, "name", "a.pdf"),
        carol);
    http.post(
        415,
        "/api/v1/uploads",
        Map.of("conversationId", group, "mime", "text/html", "size", 5, "name", "a.html"),
        alice);
    http.post(
        413,
        "/api/v1/uploads",
        Map.of(
            "conversationId", group, "mime", "application/pdf", "size", 1L << 40, "name", "a.pdf"),
        alice);
    var put =
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(ticket.path("url").asText()))
            .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(file));
    ticket
        .path("headers")
        .fields()
        .forEachRemaining(h -> put.header(h.getKey(), h.getValue().asText()));
    try {
      int stored =
          java.net.http.HttpClient.newHttpClient()
              .send(put.build(), java.net.http.HttpResponse.BodyHandlers.discarding())
              .statusCode();
      assertEquals(200, stored);
    } catch (java.io.IOException | InterruptedException e) {
      throw new AssertionError("the upload to the store failed", e);
    }
    String messages = "/api/v1/conversations/{conversationId}/messages";
    Map<String, Object> attachment =
        Map.of(
            "id",
            ticket.path("uploadId").asText(),
            "mime",
            "application/pdf",
            "size",
            file.length,
            "name",
            "a.pdf");
    long seq =
        http.post(
                201,
                messages,
                Map.of("clientMsgId", "f-1", "attachments", List.of(attachment)),
                alice,
                group)
            .body()
            .path("seq")
            .asLong();
    Map<String, Object> missing =
        Map.of("id", "missing", "mime", "application/pdf", "size", 5, "name", "a.pdf");
    http.post(
        422, messages, Map.of("clientMsgId", "f-2", "attachments", List.of(missing)), alice, group);
    http.post(
        415,
        messages,
        Map.of(
            "clientMsgId",
            "f-3",
            "attachments",
            List.of(Map.of("id", "x", "mime", "text/html", "size", 5, "name", "a.html"))),
        alice,
        group);
    String download = messages + "/{seq}/attachments/{attachmentId}";
    http.get(200, download, bob, group, Long.toString(seq), ticket.path("uploadId").asText());
    http.get(404, download, bob, group, Long.toString(seq), "not-attached");
  }

  private static void devicesAndPush(CheckedApi http, String alice) throws Exception {
    try (WsClient phone = WsClient.connect(api.port(), alice, "phone")) {
      http.sampled("GET", "/api/v1/ws");
      assertTrue(http.get(200, "/api/v1/devices", alice).body().path("devices").size() >= 1);
    }
    assertEquals(400, WsClient.refusedStatus(api.port(), alice, ""));
    // Not an upgrade: an error body like any other refusal.
    http.call(400, "GET", "/api/v1/ws", "?deviceId=phone", null, alice);
    String push = "/api/v1/devices/{deviceId}/push";
    http.call(204, "PUT", push, "", webPush(), alice, "laptop");
    http.call(
        204,
        "PUT",
        push,
        "",
        Map.of(
            "kind", "unified-push", "endpoint", "https://push.example.com/up/1", "previews", false),
        alice,
        "tablet");
    http.call(
        400,
        "PUT",
        push,
        "",
        Map.of("kind", "carrier-pigeon", "endpoint", "https://push.example.com/x"),
        alice,
        "laptop");
    http.call(
        400,
        "PUT",
        push,
        "",
        Map.of("kind", "web-push", "endpoint", "https://push.example.com/x"),
        alice,
        "laptop");
    JsonNode devices = http.get(200, "/api/v1/devices", alice).body();
    assertTrue(devices.toString().contains("unified-push"), devices.toString());
    http.call(204, "DELETE", push, "", null, alice, "tablet");
    http.call(400, "DELETE", push, "", null, alice, "bad*id");
    http.get(200, "/api/v1/push/vapid-public-key", alice);
  }

  private static void ownAccount(CheckedApi http, People people) {
    String alice = people.alice();
    http.get(200, "/api/v1/account", alice);
    byte[] picture = {(byte) 0x89, 'P', 'N', 'G'};
    JsonNode ticket =
        http.post(
                201,
                "/api/v1/account/avatar/uploads",
                Map.of("mime", "image/png", "size", picture.length),
                alice)
            .body();
    http.post(415, "/api/v1/account/avatar/uploads", Map.of("mime", "text/html", "size", 4), alice);
    api.putToStore(ticket, picture);
    http.call(
        200,
        "PUT",
        "/api/v1/account/avatar",
        "",
        Map.of("uploadId", ticket.path("uploadId").asText()),
        alice);
    http.call(422, "PUT", "/api/v1/account/avatar", "", Map.of("uploadId", "none"), alice);
    String aliceId = api.get("/api/v1/account", alice).text("userId");
    http.get(200, "/api/v1/users/{userId}/avatar", alice, aliceId);
    http.call(204, "DELETE", "/api/v1/account/avatar", "", null, alice);
    http.get(404, "/api/v1/users/{userId}/avatar", alice, aliceId);
    JsonNode export = http.get(200, "/api/v1/account/export", alice).body();
    assertTrue(export.path("conversations").size() >= 1, export::toString);
    http.call(200, "PATCH", "/api/v1/account", "", Map.of("displayName", "Alice"), alice);
    http.call(400, "PATCH", "/api/v1/account", "", Map.of("displayName", ""), alice);
    String password = "/api/v1/account/password";
    Map<String, Object> change = Map.of("currentPassword", PASSWORD, "newPassword", "another one");
    http.call(204, "PUT", password, "", change, alice);
    http.call(
        403,
        "PUT",
        password,
        "",
        Map.of("currentPassword", "not it", "newPassword", "a third one"),
        alice);
    http.call(
        204,
        "PUT",
        password,
        "",
        Map.of("currentPassword", "another one", "newPassword", PASSWORD),
        alice);
    String oldPhone = login(http, people.aliceName());
    try (WsClient phone = WsClient.connect(api.port(), oldPhone, "old-phone")) {
      http.call(204, "DELETE", "/api/v1/devices/{deviceId}", "", null, alice, "old-phone");
    }
    http.call(404, "DELETE", "/api/v1/devices/{deviceId}", "", null, alice, "old-phone");
    http.get(401, "/api/v1/conversations", oldPhone);
    String leaving = unique("leaving");
    http.post(201, "/api/v1/users", Map.of("username", leaving, "password", PASSWORD), null);
    String token = login(http, leaving);
    http.call(403, "DELETE", "/api/v1/account", "", Map.of("password", "not it"), token);
    http.call(204, "DELETE", "/api/v1/account", "", Map.of("password", PASSWORD), token);
    http.get(401, "/api/v1/account", token);
  }

  private static void blocks(CheckedApi http, People people) {
    String alice = people.alice();
    String block = "/api/v1/blocks/{userId}";
    http.call(204, "PUT", block, "", null, alice, people.carolId());
    http.call(204, "PUT", block, "", null, alice, people.carolId());
    http.call(404, "PUT", block, "", null, alice, unique("nobody"));
    JsonNode blocked = http.get(200, "/api/v1/blocks", alice).body().path("blocked");
    assertEquals(people.carolId(), blocked.get(0).path("userId").asText());
    http.post(
        403,
        "/api/v1/conversations",
        Map.of("type", "direct", "members", List.of(people.carolId())),
        alice);
    http.call(204, "DELETE", block, "", null, alice, people.carolId());
    http.call(404, "DELETE", block, "", null, alice, unique("nobody"));
  }

  private static void operationsContractsAndWeb(CheckedApi http) {
    for (String health :
        new String[] {
          "/health/alive", "/health/ready", "/api/v1/health/alive", "/api/v1/health/ready"
        }) {
      http.get(200, health, null);
    }
    assertTrue(http.get(200, "/metrics", null).text().contains("messenger_"));
    http.get(200, "/api/v1/openapi.json", null);
    http.get(200, "/api/v1/asyncapi.json", null);
    assertTrue(http.get(200, "/", null).text().contains("<html"));
    http.get(200, "/sw.js", null);
    http.get(200, "/assets/{file}", null, "main.js");
    http.get(404, "/assets/{file}", null, "no-such-file.js");
    String prefix = "b" + UUID.randomUUID().toString().substring(0, 8) + "-";
    Map<String, Object> bulk = Map.of("usernamePrefix", prefix, "count", 2, "password", PASSWORD);
    assertEquals(
        2, http.post(201, "/api/admin/users", bulk, ADMIN_TOKEN).body().path("users").size());
    http.post(401, "/api/admin/users", bulk, "wrong");
  }

  /**
   * Reports, the moderator role (Carol's), and each moderator call with its refusals; Bob ends up
   * suspended and reinstated, so nothing after this uses his token.
   */
  private static void moderation(CheckedApi http, People people) {
    String alice = people.alice();
    String carol = people.carol();
    String group =
        http.post(
                201,
                "/api/v1/conversations",
                Map.of("type", "group", "members", List.of(people.bobId()), "title", "reported"),
                alice)
            .body()
            .path("conversationId")
            .asText();
    long seq =
        http.post(
                201,
                "/api/v1/conversations/{conversationId}/messages",
                Map.of("clientMsgId", "r-1", "body", "buy now"),
                people.bob(),
                group)
            .body()
            .path("seq")
            .asLong();
    String reportId =
        http.post(
                201,
                "/api/v1/reports",
                Map.of("conversationId", group, "seq", seq, "reason", "spam"),
                alice)
            .body()
            .path("reportId")
            .asText();
    http.post(
        201,
        "/api/v1/reports",
        Map.of("userId", people.bobId(), "reason", "harassment", "note", "rude"),
        alice);
    http.post(400, "/api/v1/reports", Map.of("userId", people.bobId(), "reason", "meh"), alice);
    http.post(
        404,
        "/api/v1/reports",
        Map.of("conversationId", group, "seq", 99, "reason", "spam"),
        alice);

    String reports = "/api/v1/moderation/reports";
    String moderator = "/api/admin/moderators/{userId}";
    http.get(403, reports, carol);
    http.call(200, "PUT", moderator, "", null, ADMIN_TOKEN, people.carolId());
    http.call(404, "PUT", moderator, "", null, ADMIN_TOKEN, "nobody");
    http.get(200, "/api/admin/moderators", ADMIN_TOKEN);
    http.call(200, "GET", reports, "?status=open&limit=10", null, carol);
    http.call(400, "GET", reports, "?status=closed", null, carol);
    http.get(200, reports + "/{reportId}", carol, reportId);
    http.get(404, reports + "/{reportId}", carol, "no-such-report");
    String resolution = reports + "/{reportId}/resolution";
    http.post(400, resolution, Map.of("outcome", "maybe"), carol, reportId);
    http.post(200, resolution, Map.of("outcome", "actioned", "note", "deleted"), carol, reportId);

    String message = "/api/v1/moderation/conversations/{conversationId}/messages/{seq}";
    http.call(204, "DELETE", message, "", null, carol, group, Long.toString(seq));
    http.call(404, "DELETE", message, "", null, carol, group, "99");
    String suspension = "/api/v1/moderation/users/{userId}/suspension";
    http.call(400, "PUT", suspension, "", Map.of(), carol, people.bobId());
    http.call(204, "PUT", suspension, "", Map.of("reason", "spam"), carol, people.bobId());
    http.call(204, "DELETE", suspension, "", null, carol, people.bobId());
    http.call(404, "DELETE", suspension, "", null, carol, "nobody");
    http.call(200, "DELETE", moderator, "", null, ADMIN_TOKEN, people.carolId());
    http.get(403, reports, carol);
  }

  private static void logout(CheckedApi http, People people) {
    String alice = people.alice();
    String thisDevice = login(http, people.aliceName());
    http.call(204, "DELETE", "/api/v1/tokens/current", "", null, thisDevice);
    http.get(401, "/api/v1/conversations", thisDevice);
    http.call(204, "DELETE", "/api/v1/tokens", "", null, alice);
    http.call(401, "DELETE", "/api/v1/tokens", "", null, alice);
  }

  @Test
  void framesBothWaysConformToTheAsyncApi() {
    List<String> problems = new CopyOnWriteArrayList<>();
    Set<String> seen = new ConcurrentSkipListSet<>();
    Consumer<String> check =
        text -> {
          problems.addAll(Contracts.frameProblems(Direction.SERVER, text));
          seen.add(Contracts.tree(text).path("type").asText());
        };
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    Api.User carol = api.newUser("carol");
    String direct = api.direct(alice, bob);
    String group =
        api.post(
                "/api/v1/conversations",
                Map.of("type", "group", "title", "Frames", "members", List.of(bob.userId())),
                alice.token())
            .text("conversationId");
    try (WsClient wa = WsClient.connectObserved(api.port(), alice.token(), "a1", check)) {
      WsClient wb = WsClient.connectObserved(api.port(), bob.token(), "b1", check);
      wa.next(
          f -> f.path("type").asText().equals("presence") && f.path("online").asBoolean(),
          "bob online");
      send(
          wa, Map.of("type", "send", "clientMsgId", "w-1", "conversationId", direct, "body", "hi"));
      long seq = wa.answerTo("w-1").path("seq").asLong();
      JsonNode item =
          wb.next(
                  f ->
                      f.path("type").asText().equals("messages") && f.toString().contains("\"hi\""),
                  "hi")
              .path("items")
              .get(0);
      send(wb, Map.of("type", "ack", "cursor", item.path("cursor").asLong()));
      send(wb, Map.of("type", "read", "conversationId", direct, "seq", seq));
      wa.next(
          f -> f.path("type").asText().equals("receipt") && f.path("kind").asText().equals("read"),
          "read receipt");
      send(wb, Map.of("type", "typing", "conversationId", direct));
      wa.next("typing");
      send(wa, Map.of("type", "ping"));
      wa.next("pong");
      send(wa, Map.of("type", "sync", "after", 0));
      wa.next("messages");
      send(wa, Map.of("type", "pong"));
      // Amendments: entries with `amendment`, and the message they change as history serves it.
      send(
          wa,
          Map.of(
              "type",
              "edit",
              "clientMsgId",
              "w-e",
              "conversationId",
              direct,
              "seq",
              seq,
              "body",
              "hello"));
      send(
          wb,
          Map.of(
              "type",
              "react",
              "clientMsgId",
              "w-r",
              "conversationId",
              direct,
              "seq",
              seq,
              "emoji",
              "\uD83D\uDC4D",
              "on",
              true));
      long reacted = wb.answerTo("w-r").path("seq").asLong();
      assertEquals("sent", wa.answerTo("w-e").path("type").asText());
      wa.next(f -> f.toString().contains("\"seq\":" + reacted), "the reaction entry");
      send(wa, Map.of("type", "sync", "after", 0));
      wa.next(f -> f.toString().contains("editedAt") && f.toString().contains("mine"), "revised");
      send(
          wa, Map.of("type", "delete", "clientMsgId", "w-d", "conversationId", direct, "seq", seq));
      assertEquals("sent", wa.answerTo("w-d").path("type").asText());
      send(wa, Map.of("type", "sync", "after", 0));
      wa.next(f -> f.toString().contains("\"deleted\":true"), "the tombstone");
      // A membership change reaches members as an item with `system` set.
      api.post(
          "/api/v1/conversations/" + group + "/members",
          Map.of("userId", carol.userId()),
          alice.token());
      wb.next(f -> f.toString().contains("member_added"), "member_added item");
      // Blocking: bob's group message reaches alice flagged; his direct sends are refused.
      assertEquals(204, api.put("/api/v1/blocks/" + bob.userId(), null, alice.token()).status());
      send(
          wb,
          Map.of("type", "send", "clientMsgId", "w-b", "conversationId", group, "body", "hidden"));
      wa.next(f -> f.toString().contains("\"fromBlocked\":true"), "an item flagged fromBlocked");
      send(
          wb, Map.of("type", "send", "clientMsgId", "w-x", "conversationId", direct, "body", "no"));
      assertEquals("blocked", wb.answerTo("w-x").path("code").asText());
      assertEquals(204, api.delete("/api/v1/blocks/" + bob.userId(), alice.token()).status());
      // Refusals: an unknown type, a broken field, a conversation the sender is not in.
      String unknown = "{\"type\":\"nope\"}";
      assertFalse(Contracts.frameProblems(Direction.CLIENT, unknown).isEmpty());
      wa.sendRaw(unknown);
      assertEquals("unknown_type", wa.next("error").path("code").asText());
      String broken = "{\"type\":\"ack\",\"cursor\":-1}";
      assertFalse(Contracts.frameProblems(Direction.CLIENT, broken).isEmpty());
      wa.sendRaw(broken);
      assertEquals("bad_frame", wa.next("error").path("code").asText());
      send(
          wa,
          Map.of(
              "type", "send", "clientMsgId", "w-2", "conversationId", "g-not-mine", "body", "hi"));
      assertEquals("error", wa.answerTo("w-2").path("type").asText());
      Polling.until(Duration.ofSeconds(20), () -> wa.pingsReceived() > 0, "a heartbeat ping");
      wb.close();
      wa.next(
          f -> f.path("type").asText().equals("presence") && !f.path("online").asBoolean(),
          "bob offline");
    }
    assertEquals(List.of(), problems);
    Set<String> missing =
        new TreeSet<>(
            Set.of("messages", "sent", "error", "ping", "pong", "typing", "receipt", "presence"));
    missing.removeAll(seen);
    assertEquals(Set.of(), missing, "server frame types not seen");
  }

  /** A client frame, checked against the AsyncAPI before it goes out. */
  private static void send(WsClient ws, Map<String, Object> frame) {
    String json = Api.json(frame);
    assertEquals(List.of(), Contracts.frameProblems(Direction.CLIENT, json));
    ws.sendRaw(json);
  }

  private static String login(CheckedApi http, String username) {
    return http.post(
            200, "/api/v1/tokens", Map.of("username", username, "password", PASSWORD), null)
        .body()
        .path("token")
        .asText();
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A browser-shaped Web Push subscription with a real P-256 key and a 16-byte secret. */
  private static Map<String, Object> webPush() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    ECPublicKey key = (ECPublicKey) generator.generateKeyPair().getPublic();
    byte[] point = new byte[65];
    point[0] = 4;
    System.arraycopy(unsigned(key.getW().getAffineX().toByteArray()), 0, point, 1, 32);
    System.arraycopy(unsigned(key.getW().getAffineY().toByteArray()), 0, point, 33, 32);
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return Map.of(
        "kind",
        "web-push",
        "endpoint",
        "https://push.example.com/wp/1",
        "keys",
        Map.of("p256dh", b64.encodeToString(point), "auth", b64.encodeToString(new byte[16])),
        "previews",
        true);
  }

  /** A coordinate as exactly 32 bytes (BigInteger adds a sign byte or drops leading zeros). */
  private static byte[] unsigned(byte[] twosComplement) {
    byte[] out = new byte[32];
    int from = Math.max(0, twosComplement.length - 32);
    int length = twosComplement.length - from;
    System.arraycopy(twosComplement, from, out, 32 - length, length);
    return out;
  }
}
