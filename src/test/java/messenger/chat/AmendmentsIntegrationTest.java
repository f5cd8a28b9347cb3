package messenger.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import messenger.MessengerNode;
import messenger.media.AttachmentKeys;
import messenger.testing.Api;
import messenger.testing.Api.User;
import messenger.testing.TestServer;
import messenger.testing.WsClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Edits, deletions for everyone and reactions end to end, over real WebSockets, the real Cassandra
 * and the real embedded object store: each is an entry of the log that reaches every device of
 * every member in seq order (offline devices on reconnect), and history serves the messages as they
 * now are.
 */
@Timeout(120)
class AmendmentsIntegrationTest {

  private static final String THUMBS_UP = "\uD83D\uDC4D";
  private static final String HEART = "\u2764\uFE0F";

  private static MessengerNode node;
  private static Api api;

  @BeforeAll
  static void startServer() {
    node = TestServer.shared();
    api = new Api(node.httpPort());
  }

  private static String group(User creator, User... others) {
    List<String> members = new ArrayList<>();
    for (User other : others) members.add(other.userId());
    var created =
        api.post(
            "/api/v1/conversations",
            Map.of("type", "group", "title", "amends", "members", members),
            creator.token());
    assertEquals(201, created.status(), created.toString());
    return created.text("conversationId");
  }

  private static JsonNode amend(WsClient device, String type, Map<String, Object> frame) {
    Map<String, Object> full = new HashMap<>(frame);
    full.put("type", type);
    device.send(full);
    return device.answerTo((String) frame.get("clientMsgId"));
  }

  private static JsonNode edit(
      WsClient device, String conversation, long seq, String id, String body) {
    return amend(
        device,
        "edit",
        Map.of("clientMsgId", id, "conversationId", conversation, "seq", seq, "body", body));
  }

  private static JsonNode delete(WsClient device, String conversation, long seq, String id) {
    return amend(
        device, "delete", Map.of("clientMsgId", id, "conversationId", conversation, "seq", seq));
  }

  private static JsonNode react(
      WsClient device, String conversation, long seq, String id, String emoji, boolean on) {
    return amend(
        device,
        "react",
        Map.of(
            "clientMsgId",
            id,
            "conversationId",
            conversation,
            "seq",
            seq,
            "emoji",
            emoji,
            "on",
            on));
  }

  /** Message items that arrive on {@code device} until the one with {@code seq}, in order. */
  private static List<JsonNode> itemsUpTo(WsClient device, long seq) {
    List<JsonNode> items = new ArrayList<>();
    device.framesUntil(
        frame -> {
          if (!"messages".equals(frame.path("type").asText())) return false;
          boolean last = false;
          for (JsonNode item : frame.path("items")) {
            items.add(item);
            last |= item.path("seq").asLong() == seq;
          }
          return last;
        },
        WsClient.WAIT);
    return items;
  }

  private static List<Long> seqs(List<JsonNode> items) {
    return items.stream().map(item -> item.path("seq").asLong()).toList();
  }

  private static JsonNode history(User reader, String conversation) {
    var page = api.get("/api/v1/conversations/" + conversation + "/messages", reader.token());
    assertEquals(200, page.status(), page.toString());
    return page.body();
  }

  private static JsonNode historyItem(User reader, String conversation, long seq) {
    for (JsonNode m : history(reader, conversation).path("messages")) {
      if (m.path("seq").asLong() == seq) return m;
    }
    throw new AssertionError("no seq " + seq + " in " + history(reader, conversation));
  }

  @Test
  void anEditReachesEveryDeviceInSeqOrderAndHistoryAndCatchUpShowTheLatestText() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    String group = group(alice, bob);
    try (WsClient alicesPhone = WsClient.connect(api.port(), alice.token(), "phone");
        WsClient bobsPhone = WsClient.connect(api.port(), bob.token(), "phone")) {
      long seq = alicesPhone.sendMessage(group, "m-1", "see you at 5").path("seq").asLong();
      JsonNode sent = edit(alicesPhone, group, seq, "e-1", "see you at 6");
      assertEquals("sent", sent.path("type").asText(), sent.toString());
      long editSeq = sent.path("seq").asLong();
      assertEquals(seq + 1, editSeq);

      List<JsonNode> live = itemsUpTo(bobsPhone, editSeq);
      assertEquals(
          List.of(seq, editSeq), seqs(live).subList(seqs(live).size() - 2, seqs(live).size()));
      JsonNode editEntry = live.get(live.size() - 1);
      assertEquals("edit", editEntry.path("amendment").path("kind").asText());
      assertEquals(seq, editEntry.path("amendment").path("seq").asLong());
      assertEquals("see you at 6", editEntry.path("amendment").path("body").asText());
      assertEquals("", editEntry.path("body").asText());

      JsonNode inHistory = historyItem(bob, group, seq);
      assertEquals("see you at 6", inHistory.path("body").asText());
      assertTrue(inHistory.hasNonNull("editedAt"), inHistory.toString());
      assertEquals(
          "edit", historyItem(bob, group, editSeq).path("amendment").path("kind").asText());

      // A device that was never online catches up on the message as it now is, then the edit.
      try (WsClient bobsLaptop = WsClient.connect(api.port(), bob.token(), "laptop")) {
        List<JsonNode> caughtUp = itemsUpTo(bobsLaptop, editSeq);
        JsonNode message =
            caughtUp.stream().filter(i -> i.path("seq").asLong() == seq).findFirst().orElseThrow();
        assertEquals("see you at 6", message.path("body").asText());
        assertTrue(message.hasNonNull("editedAt"));
        assertEquals(seqs(caughtUp).stream().sorted().toList(), seqs(caughtUp));
      }
    }
  }

  @Test
  void onlyTheSenderEditsOnlyMessagesThatExist() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    String group = group(alice, bob);
    try (WsClient alicesPhone = WsClient.connect(api.port(), alice.token(), "phone");
        WsClient bobsPhone = WsClient.connect(api.port(), bob.token(), "phone")) {
      long seq = alicesPhone.sendMessage(group, "m-1", "mine").path("seq").asLong();

      assertEquals("not_sender", edit(bobsPhone, group, seq, "e-b", "yours").path("code").asText());
      assertEquals(
          "not_found", edit(alicesPhone, group, seq + 50, "e-x", "x").path("code").asText());
      var renamed =
          api.patch("/api/v1/conversations/" + group, Map.of("title", "new"), bob.token());
      long rename = renamed.body().path("seq").asLong();
      assertEquals(
          "not_a_message", edit(alicesPhone, group, rename, "e-1", "x").path("code").asText());
      assertEquals(
          "reaction_not_allowed",
          react(bobsPhone, group, seq, "r-x", "\uD83E\uDD84", true).path("code").asText());
      assertEquals("mine", historyItem(bob, group, seq).path("body").asText());
    }
  }

  @Test
  void aDeletionForEveryoneLeavesNoTraceOfTheTextOrTheFileAnywhereTheServerServes()
      throws Exception {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    String group = group(alice, bob);
    byte[] data = new byte[5_000];
    new Random(7).nextBytes(data);
    String upload = api.upload(alice, group, "image/png", data);
    String secret = "the-secret-" + System.nanoTime();
    try (WsClient alicesPhone = WsClient.connect(api.port(), alice.token(), "phone");
        WsClient bobsPhone = WsClient.connect(api.port(), bob.token(), "phone")) {
      var posted =
          api.post(
              "/api/v1/conversations/" + group + "/messages",
              Map.of(
                  "clientMsgId",
                  "m-1",
                  "body",
                  secret,
                  "attachments",
                  List.of(
                      Map.of(
                          "id",
                          upload,
                          "mime",
                          "image/png",
                          "size",
                          data.length,
                          "name",
                          "a.png"))),
              alice.token());
      assertEquals(201, posted.status(), posted.toString());
      long seq = posted.body().path("seq").asLong();
      String stored = AttachmentKeys.stored(group, alice.userId(), upload);
      assertTrue(node.objectStore().head(stored).toCompletableFuture().join().isPresent());

      JsonNode deleted = delete(alicesPhone, group, seq, "d-1");
      assertEquals("sent", deleted.path("type").asText(), deleted.toString());
      long deleteSeq = deleted.path("seq").asLong();
      JsonNode entry =
          itemsUpTo(bobsPhone, deleteSeq).stream()
              .filter(i -> i.path("seq").asLong() == deleteSeq)
              .findFirst()
              .orElseThrow();
      assertEquals("delete", entry.path("amendment").path("kind").asText());
      assertEquals(seq, entry.path("amendment").path("seq").asLong());

      JsonNode tombstone = historyItem(bob, group, seq);
      assertTrue(tombstone.path("deleted").asBoolean(), tombstone.toString());
      assertEquals("", tombstone.path("body").asText());
      assertFalse(tombstone.has("attachments"), tombstone.toString());
      assertFalse(history(alice, group).toString().contains(secret));
      assertFalse(node.objectStore().head(stored).toCompletableFuture().join().isPresent());
      assertEquals(
          404,
          api.get(
                  "/api/v1/conversations/" + group + "/messages/" + seq + "/attachments/" + upload,
                  bob.token())
              .status());
      JsonNode listed = api.conversationEntry(bob, group);
      assertFalse(listed.toString().contains(secret), listed.toString());

      // A retry of the deletion gets its first answer; an edit of the tombstone is refused.
      assertEquals(deleteSeq, delete(alicesPhone, group, seq, "d-1").path("seq").asLong());
      assertEquals(
          "message_deleted", edit(alicesPhone, group, seq, "e-1", "x").path("code").asText());

      try (WsClient bobsLaptop = WsClient.connect(api.port(), bob.token(), "laptop")) {
        List<JsonNode> caughtUp = itemsUpTo(bobsLaptop, deleteSeq);
        assertFalse(caughtUp.toString().contains(secret), caughtUp.toString());
        assertFalse(caughtUp.toString().contains(upload), caughtUp.toString());
      }
      // The journal row itself no longer holds the text: a direct read of the log finds none.
      var raw =
          new JournalConversationLog(node.system(), "akka.persistence.cassandra.query")
              .read(group, seq, seq)
              .toCompletableFuture()
              .get();
      assertEquals("", raw.get(0).body());
      assertTrue(raw.get(0).attachments().isEmpty());
    }
  }

  @Test
  void anAdminDeletesAnyonesMessageOtherMembersOnlyTheirOwn() {
    User admin = api.newUser("admin");
    User bob = api.newUser("bob");
    User carol = api.newUser("carol");
    String group = group(admin, bob, carol);
    try (WsClient admins = WsClient.connect(api.port(), admin.token(), "phone");
        WsClient bobs = WsClient.connect(api.port(), bob.token(), "phone");
        WsClient carols = WsClient.connect(api.port(), carol.token(), "phone")) {
      long bobsMessage = bobs.sendMessage(group, "m-b", "from bob").path("seq").asLong();
      assertEquals("not_sender", delete(carols, group, bobsMessage, "d-c").path("code").asText());
      assertEquals("sent", delete(admins, group, bobsMessage, "d-a").path("type").asText());
      assertTrue(historyItem(carol, group, bobsMessage).path("deleted").asBoolean());
    }
  }

  @Test
  void reactionsAreCountedPerEmojiSayWhetherTheReaderReactedAndNeverCountAsUnread() {
    User alice = api.newUser("alice");
    User bob = api.newUser("bob");
    User carol = api.newUser("carol");
    String group = group(alice, bob, carol);
    try (WsClient alices = WsClient.connect(api.port(), alice.token(), "phone");
        WsClient bobs = WsClient.connect(api.port(), bob.token(), "phone");
        WsClient carols = WsClient.connect(api.port(), carol.token(), "phone")) {
      long seq = alices.sendMessage(group, "m-1", "lunch?").path("seq").asLong();
      int unreadBefore = api.conversationEntry(alice, group).path("unreadCount").asInt();

      react(bobs, group, seq, "r-1", THUMBS_UP, true);
      react(carols, group, seq, "r-2", THUMBS_UP, true);
      react(carols, group, seq, "r-3", HEART, true);
      long last = react(carols, group, seq, "r-4", HEART, false).path("seq").asLong();
      itemsUpTo(alices, last);

      Map<String, JsonNode> forBob = reactions(historyItem(bob, group, seq));
      assertEquals(Map.of(THUMBS_UP, 2), counts(forBob));
      assertTrue(forBob.get(THUMBS_UP).path("mine").asBoolean());
      assertFalse(
          reactions(historyItem(alice, group, seq)).get(THUMBS_UP).path("mine").asBoolean());
      assertEquals(unreadBefore, api.conversationEntry(alice, group).path("unreadCount").asInt());
      assertTrue(alices.noFrame("error", Duration.ofMillis(200)));
    }
  }

  private static Map<String, JsonNode> reactions(JsonNode item) {
    Map<String, JsonNode> byEmoji = new HashMap<>();
    for (JsonNode r : item.path("reactions")) byEmoji.put(r.path("emoji").asText(), r);
    return byEmoji;
  }

  private static Map<String, Integer> counts(Map<String, JsonNode> reactions) {
    Map<String, Integer> counts = new HashMap<>();
    reactions.forEach((emoji, r) -> counts.put(emoji, r.path("count").asInt()));
    return counts;
  }
}
