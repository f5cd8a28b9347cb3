package messenger.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import messenger.testing.Api;
import messenger.testing.Api.User;
import messenger.testing.Polling;
import messenger.testing.TestServer;
import messenger.testing.WsClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Group timelines over real WebSockets and the real Cassandra: many devices, changing members. */
@Timeout(240)
class GroupTimelineIntegrationTest {

  private static Api api;

  @BeforeAll
  static void startServer() {
    api = new Api(TestServer.shared().httpPort());
  }

  private static String group(User creator, String title, List<User> others) {
    var created =
        api.post(
            "/api/v1/conversations",
            Map.of(
                "type",
                "group",
                "title",
                title,
                "members",
                others.stream().map(User::userId).toList()),
            creator.token());
    assertEquals(201, created.status(), created.toString());
    return created.text("conversationId");
  }

  private static List<String> ids(List<JsonNode> items) {
    return items.stream()
        .map(i -> i.path("seq").asLong() + ":" + i.path("messageId").asText())
        .toList();
  }

  @Test
  void fiftyMembersWithTwoDevicesEachSeeTheSameSeqOrderedTimelineWhileTwentyInterleave()
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(20);
    List<WsClient> devices = new ArrayList<>();
    try {
      List<User> users =
          IntStream.range(0, 50)
              .mapToObj(i -> CompletableFuture.supplyAsync(() -> api.newUser("member" + i), pool))
              .toList()
              .stream()
              .map(CompletableFuture::join)
              .toList();
      String group = group(users.get(0), "fifty", users.subList(1, 50));
      for (User user : users) {
        devices.add(WsClient.connect(api.port(), user.token(), "phone"));
        devices.add(WsClient.connect(api.port(), user.token(), "laptop"));
      }

      int perSender = 10;
      List<CompletableFuture<Void>> senders = new ArrayList<>();
      for (int s = 0; s < 20; s++) {
        WsClient sender = devices.get(2 * s);
        int senderIndex = s;
        senders.add(
            CompletableFuture.runAsync(
                () -> {
                  for (int m = 0; m < perSender; m++) {
                    sender.sendMessage(
                        group, "s" + senderIndex + "-" + m, "from " + senderIndex + " #" + m);
                  }
                },
                pool));
      }
      senders.forEach(CompletableFuture::join);

      int total = 20 * perSender;
      List<String> first = null;
      for (WsClient device : devices) {
        List<JsonNode> items = device.messages(total).items();
        for (int i = 0; i < total; i++) {
          assertEquals(i + 1, items.get(i).path("seq").asLong(), "dense seq order on every device");
        }
        List<String> timeline = ids(items);
        if (first == null) first = timeline;
        assertEquals(first, timeline, "every device holds the same timeline");
        assertTrue(device.noFrame("messages", Duration.ofMillis(50)), "nothing twice");
      }
      assertEquals(total, first.stream().distinct().count());
    } finally {
      devices.forEach(WsClient::close);
      pool.shutdownNow();
    }
  }

  @Test
  void membersAddedAndRemovedDuringTrafficSeeExactlyTheirPartOfTheTimeline() throws Exception {
    User admin = api.newUser("admin");
    User leaving = api.newUser("leaving");
    User joining = api.newUser("joining");
    User staying = api.newUser("staying");
    String group = group(admin, "moving", List.of(leaving, staying));
    try (WsClient adminPhone = WsClient.connect(api.port(), admin.token(), "phone");
        WsClient leavingPhone = WsClient.connect(api.port(), leaving.token(), "phone");
        WsClient joiningPhone = WsClient.connect(api.port(), joining.token(), "phone");
        WsClient stayingPhone = WsClient.connect(api.port(), staying.token(), "phone")) {
      adminPhone.discard("messages");
      var traffic =
          CompletableFuture.runAsync(
              () -> {
                for (int i = 0; i < 30; i++)
                  adminPhone.sendMessage(group, "t-" + i, "traffic " + i);
              });
      Polling.until(
          Duration.ofSeconds(30),
          () -> api.conversationEntry(staying, group).path("lastSeq").asLong() >= 5,
          "traffic is flowing");
      long removedAt =
          api.delete(
                  "/api/v1/conversations/" + group + "/members/" + leaving.userId(), admin.token())
              .body()
              .path("seq")
              .asLong();
      long addedAt =
          api.post(
                  "/api/v1/conversations/" + group + "/members",
                  Map.of("userId", joining.userId()),
                  admin.token())
              .body()
              .path("seq")
              .asLong();
      traffic.join();
      long last = 32; // 30 messages and two membership entries

      List<JsonNode> everything = stayingPhone.messages((int) last).items();
      assertEquals(range(1, last), seqs(everything));
      assertEquals(
          "member_removed",
          everything.get((int) removedAt - 1).path("system").path("kind").asText());
      assertEquals(
          leaving.userId(),
          everything.get((int) removedAt - 1).path("system").path("userId").asText());

      List<JsonNode> leavingSaw = leavingPhone.messages((int) removedAt).items();
      assertEquals(range(1, removedAt), seqs(leavingSaw));
      assertEquals(
          "member_removed",
          leavingSaw.get(leavingSaw.size() - 1).path("system").path("kind").asText());
      List<JsonNode> joiningSaw = joiningPhone.messages((int) (last - addedAt + 1)).items();
      assertEquals(range(addedAt, last), seqs(joiningSaw));
      assertEquals("member_added", joiningSaw.get(0).path("system").path("kind").asText());

      // After the traffic: one more message reaches the members and not the one who left.
      adminPhone.sendMessage(group, "after", "after the changes");
      assertEquals(last + 1, stayingPhone.messages(1).items().get(0).path("seq").asLong());
      assertEquals(last + 1, joiningPhone.messages(1).items().get(0).path("seq").asLong());
      assertTrue(
          leavingPhone.noFrame("messages", Duration.ofMillis(500)), "nothing after the removal");

      leavingPhone.send(
          Map.of(
              "type", "send", "conversationId", group, "clientMsgId", "x", "body", "let me back"));
      assertEquals("not_member", leavingPhone.answerTo("x").path("code").asText());
      assertEquals(
          403, api.get("/api/v1/conversations/" + group + "/messages", leaving.token()).status());
      assertEquals(403, api.get("/api/v1/conversations/" + group, leaving.token()).status());
      assertTrue(api.conversationEntry(leaving, group).path("left").asBoolean());

      JsonNode history =
          api.get("/api/v1/conversations/" + group + "/messages?limit=100", joining.token()).body();
      List<Long> visible = new ArrayList<>();
      history.path("messages").forEach(m -> visible.add(m.path("seq").asLong()));
      assertEquals(
          addedAt, visible.get(visible.size() - 1).longValue(), "history starts where they joined");
      assertTrue(!history.path("hasMore").asBoolean());
    }
  }

  private static List<Long> seqs(List<JsonNode> items) {
    return items.stream().map(i -> i.path("seq").asLong()).toList();
  }

  private static List<Long> range(long from, long to) {
    return java.util.stream.LongStream.rangeClosed(from, to).boxed().toList();
  }
}
