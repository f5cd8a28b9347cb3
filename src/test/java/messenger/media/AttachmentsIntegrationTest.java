package messenger.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import messenger.MessengerNode;
import messenger.testing.Api;
import messenger.testing.Api.User;
import messenger.testing.TestServer;
import messenger.testing.WsClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Attachments end to end: the real server, the real Cassandra and the real S3-compatible store the
 * tests start (S3Proxy); the bytes go between this client and the store over the presigned URLs.
 */
@Timeout(120)
class AttachmentsIntegrationTest {

  private static MessengerNode node;
  private static Api api;

  @BeforeAll
  static void startServer() {
    node = TestServer.shared();
    api = new Api(node.httpPort());
  }

  private static String group(User creator, List<User> others) {
    var created =
        api.post(
            "/api/v1/conversations",
            Map.of(
                "type",
                "group",
                "title",
                "files",
                "members",
                others.stream().map(User::userId).toList()),
            creator.token());
    assertEquals(201, created.status(), created.toString());
    return created.text("conversationId");
  }

  private static byte[] bytes(int size) {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    return data;
  }

  private static String upload(User user, String conversationId, String mime, byte[] data) {
    return api.upload(user, conversationId, mime, data);
  }

  private static Map<String, Object> file(String id, String mime, long size, String name) {
    Map<String, Object> file = new HashMap<>();
    file.put("id", id);
    file.put("mime", mime);
    file.put("size", size);
    file.put("name", name);
    return file;
  }

  /** The item of {@code seq} in the next messages frame that has it. */
  private static JsonNode itemOf(WsClient device, long seq) {
    JsonNode frame =
        device.next(
            f -> "messages".equals(f.path("type").asText()) && itemIn(f, seq) != null,
            "a messages frame with seq " + seq);
    return itemIn(frame, seq);
  }

  private static JsonNode itemIn(JsonNode frame, long seq) {
    for (JsonNode item : frame.path("items")) if (item.path("seq").asLong() == seq) return item;
    return null;
  }

  private static Api.Response send(User user, String conversationId, Object... files) {
    return api.post(
        "/api/v1/conversations/" + conversationId + "/messages",
        Map.of("clientMsgId", UUID.randomUUID().toString(), "attachments", List.of(files)),
        user.token());
  }

  private static Api.Response download(User user, String conversationId, long seq, String id) {
    return api.get(
        "/api/v1/conversations/" + conversationId + "/messages/" + seq + "/attachments/" + id,
        user.token());
  }

  @Test
  void aFileSentToAGroupArrivesLiveAndInHistoryAndAnotherMemberDownloadsTheSameBytes()
      throws Exception {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    String group = group(alice, List.of(bob));
    try (WsClient bobsPhone = WsClient.connect(api.port(), bob.token(), "phone")) {
      byte[] photo = bytes(200_000);
      String id = upload(alice, group, "image/png", photo);
      Map<String, Object> sent = file(id, "image/png", photo.length, "beach.png");
      sent.put("width", 640);
      sent.put("height", 480);
      sent.put("preview", "data:image/png;base64,iVBORw0KGgo=");

      var answer =
          api.post(
              "/api/v1/conversations/" + group + "/messages",
              Map.of("clientMsgId", "c-1", "body", "look", "attachments", List.of(sent)),
              alice.token());
      assertEquals(201, answer.status(), answer.toString());
      long seq = answer.body().path("seq").asLong();

      JsonNode live = itemOf(bobsPhone, seq);
      JsonNode attached = live.path("attachments").get(0);
      assertEquals(id, attached.path("id").asText());
      assertEquals(photo.length, attached.path("size").asLong());
      assertEquals("beach.png", attached.path("name").asText());
      assertEquals(640, attached.path("width").asInt());
      assertEquals("data:image/png;base64,iVBORw0KGgo=", attached.path("preview").asText());

      JsonNode history =
          api.get("/api/v1/conversations/" + group + "/messages", bob.token()).body();
      assertEquals(
          id, history.path("messages").get(0).path("attachments").get(0).path("id").asText());

      var signed = download(bob, group, seq, id);
      assertEquals(200, signed.status(), signed.toString());
      assertTrue(Instant.parse(signed.text("expiresAt")).isAfter(Instant.now()));
      var got = api.fetch(signed.text("url"));
      assertEquals(200, got.statusCode());
      assertArrayEquals(photo, got.body());
      assertTrue(
          got.headers().firstValue("Content-Disposition").orElse("").contains("beach.png"),
          got.headers().map().toString());
      assertEquals("image/png", got.headers().firstValue("Content-Type").orElse(""));
    }
  }

  @Test
  void aFileSentOverTheWebSocketIsTheSameSendAndAMissingUploadIsAnErrorFrameForThatSend()
      throws Exception {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    String direct = api.direct(alice, bob);
    try (WsClient alicesPhone = WsClient.connect(api.port(), alice.token(), "phone")) {
      byte[] pdf = bytes(1234);
      String id = upload(alice, direct, "application/pdf", pdf);

      alicesPhone.send(
          Map.of(
              "type",
              "send",
              "clientMsgId",
              "w-1",
              "conversationId",
              direct,
              "attachments",
              List.of(file(id, "application/pdf", pdf.length, "menu.pdf"))));
      assertEquals("sent", alicesPhone.answerTo("w-1").path("type").asText());

      alicesPhone.send(
          Map.of(
              "type",
              "send",
              "clientMsgId",
              "w-2",
              "conversationId",
              direct,
              "attachments",
              List.of(file("never-uploaded", "application/pdf", 5, "x.pdf"))));
      JsonNode refused = alicesPhone.answerTo("w-2");
      assertEquals("error", refused.path("type").asText());
      assertEquals("upload_not_found", refused.path("code").asText());
    }
  }

  @Test
  void aNonMemberGetsNoUploadAndNoDownloadAndALaterMemberNoneOfWhatCameBeforeTheyJoined()
      throws Exception {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    User mallory = api.newUser("mallory");
    User dave = api.newUser("dave");
    String group = group(alice, List.of(bob));
    byte[] data = bytes(100);
    String id = upload(alice, group, "image/png", data);
    long seq =
        send(alice, group, file(id, "image/png", data.length, "a.png")).body().path("seq").asLong();

    var upload =
        api.post(
            "/api/v1/uploads",
            Map.of("conversationId", group, "mime", "image/png", "size", 5, "name", "x.png"),
            mallory.token());
    assertEquals(403, upload.status(), upload.toString());
    assertEquals("not_member", upload.text("code"));
    assertEquals("not_member", download(mallory, group, seq, id).text("code"));

    var added =
        api.post(
            "/api/v1/conversations/" + group + "/members",
            Map.of("userId", dave.userId()),
            alice.token());
    assertEquals(200, added.status(), added.toString());
    var before = download(dave, group, seq, id);
    assertEquals(404, before.status(), before.toString());
    assertEquals(200, download(bob, group, seq, id).status());
  }

  @Test
  void oversizeDisallowedMissingMismatchedAndTooManyFilesAreRefusedWithTheirCodes()
      throws Exception {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    String direct = api.direct(alice, bob);
    long max = 25L * 1024 * 1024;

    var big =
        api.post(
            "/api/v1/uploads",
            Map.of(
                "conversationId", direct, "mime", "image/png", "size", max + 1, "name", "big.png"),
            alice.token());
    assertEquals(413, big.status(), big.toString());
    assertEquals("too_large", big.text("code"));
    var html =
        api.post(
            "/api/v1/uploads",
            Map.of("conversationId", direct, "mime", "text/html", "size", 10, "name", "x.html"),
            alice.token());
    assertEquals(415, html.status(), html.toString());
    assertEquals("type_not_allowed", html.text("code"));

    var missing = send(alice, direct, file(UUID.randomUUID().toString(), "image/png", 10, "a.png"));
    assertEquals(422, missing.status(), missing.toString());
    assertEquals("upload_not_found", missing.text("code"));

    byte[] data = bytes(10);
    String id = upload(alice, direct, "image/png", data);
    var mismatch = send(alice, direct, file(id, "image/png", 11, "a.png"));
    assertEquals(422, mismatch.status(), mismatch.toString());
    assertEquals("upload_mismatch", mismatch.text("code"));
    var bobsClaim = send(bob, direct, file(id, "image/png", 10, "a.png"));
    assertEquals("upload_not_found", bobsClaim.text("code"), "another user's upload");

    Object[] eleven = new Object[11];
    for (int i = 0; i < eleven.length; i++) eleven[i] = file("f" + i, "image/png", 10, "a.png");
    var tooMany = send(alice, direct, eleven);
    assertEquals(400, tooMany.status(), tooMany.toString());
    assertEquals("too_many_attachments", tooMany.text("code"));

    assertEquals(
        201, send(alice, direct, file(id, "image/png", 10, "a.png")).status(), "still good");
  }

  @Test
  void anUploadNoMessageTookIsCollectedAndOneAMessageTookIsKept() throws Exception {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    String direct = api.direct(alice, bob);
    byte[] data = bytes(50);
    String orphan = upload(alice, direct, "image/png", data);
    String kept = upload(alice, direct, "image/png", data);
    long seq =
        send(alice, direct, file(kept, "image/png", data.length, "k.png"))
            .body()
            .path("seq")
            .asLong();
    ObjectStore store = node.objectStore();
    String orphanKey = AttachmentKeys.pending(direct, alice.userId(), orphan);
    assertTrue(store.head(orphanKey).toCompletableFuture().join().isPresent());

    int deleted =
        OrphanSweeper.sweep(store, Instant.now().plus(Duration.ofMinutes(1)))
            .toCompletableFuture()
            .join();

    assertTrue(deleted >= 1, "deleted " + deleted);
    assertFalse(store.head(orphanKey).toCompletableFuture().join().isPresent());
    assertEquals(
        "upload_not_found",
        send(alice, direct, file(orphan, "image/png", 50, "o.png")).text("code"));
    assertEquals(200, download(bob, direct, seq, kept).status());
  }
}
