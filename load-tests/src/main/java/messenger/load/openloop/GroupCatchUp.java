package messenger.load.openloop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import messenger.load.Provisioning;
import messenger.load.Provisioning.User;

/**
 * {@code -Dmode=groupcatchup}: one member of {@code groups} groups of {@code groupSize} is offline
 * while {@code posts} posts go to those groups round-robin (over HTTP, from the other members);
 * then its device connects and the time until it holds every one of them is measured, {@code
 * rounds} times. Issue 16's "a member offline during 1,000 posts to 20 groups catches up in ≤ 1 s
 * after connecting".
 */
final class GroupCatchUp {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DEVICE = "catchup";

  private final String baseUrl;
  private final Provisioning provisioning;
  /** For the measured device's WebSocket; HTTP calls go through {@link Provisioning}. */
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private GroupCatchUp(String baseUrl, String adminToken) {
    this.baseUrl = baseUrl;
    this.provisioning = new Provisioning(baseUrl, adminToken);
  }

  static void run(String baseUrl, String adminToken, int groups, int groupSize, int posts, int rounds) {
    new GroupCatchUp(baseUrl, adminToken).measure(groups, groupSize, posts, rounds);
  }

  private void measure(int groups, int groupSize, int posts, int rounds) {
    List<User> users = provisioning.users(1 + groups * (groupSize - 1));
    User member = users.get(0);
    List<String> conversations = new ArrayList<>();
    List<List<User>> senders = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      List<User> others = users.subList(1 + g * (groupSize - 1), 1 + (g + 1) * (groupSize - 1));
      List<User> members = new ArrayList<>(others);
      members.add(1, member); // the first other creates it: the measured member is a plain member
      conversations.add(provisioning.group(members));
      senders.add(others);
    }
    System.out.printf("%d groups of %d, one member in all of them%n", groups, groupSize);
    // The first connection takes the groups' creation entries and acks them; each round's then
    // holds only that round's posts.
    connectAndDrain(member, "none", 0);
    for (int round = 1; round <= rounds; round++) {
      String phase = "cu" + round + "-";
      long started = System.nanoTime();
      Provisioning.parallel(
          posts,
          32,
          k -> {
            int g = k % groups;
            List<User> from = senders.get(g);
            User sender = from.get((k / groups) % from.size());
            return provisioning.post(
                "/api/v1/conversations/" + conversations.get(g) + "/messages",
                Map.of("clientMsgId", phase + k, "body", phase + k + "-" + "x".repeat(30)),
                sender.token());
          });
      System.out.printf(
          "round %d: %d posts answered in %d ms while the member was offline%n",
          round, posts, Duration.ofNanos(System.nanoTime() - started).toMillis());
      connectAndDrain(member, phase, posts);
    }
  }

  /** Connects, waits for {@code expected} entries whose body starts with {@code phase}, closes. */
  private void connectAndDrain(User user, String phase, int expected) {
    Device device = new Device(phase, expected);
    long connecting = System.nanoTime();
    WebSocket socket =
        http.newWebSocketBuilder()
            .header("Authorization", "Bearer " + user.token())
            .buildAsync(URI.create(baseUrl.replaceFirst("^http", "ws") + "/api/v1/ws?deviceId=" + DEVICE), device)
            .join();
    if (expected > 0) {
      // The time is taken on the socket's thread as the last entry arrives; this only waits.
      device.complete.completeOnTimeout(null, 60, TimeUnit.SECONDS).join();
    } else {
      waitForQuiet(device);
    }
    long ackedCursor;
    synchronized (device) {
      if (expected > 0) {
        System.out.printf(
            "  caught up: %d of %d in %s ms after connecting (first entry at %s ms); %d frames, at most %d entries"
                + " in one, %d entries in all, %d repeats%n",
            device.phaseEntries.size(), expected,
            device.completeAt == 0 ? "-" : Long.toString((device.completeAt - connecting) / 1_000_000),
            device.firstAt == 0 ? "-" : Long.toString((device.firstAt - connecting) / 1_000_000),
            device.frames, device.largestFrame, device.entries, device.repeats);
      }
      ackedCursor = device.lastCursor;
    }
    device.ack(socket).join();
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
    if (ackedCursor > 0) awaitStoredCursor(user, ackedCursor);
  }

  /** The first connection takes whatever there is (perhaps nothing): until no frame came for 2 s. */
  private static void waitForQuiet(Device device) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    long quietSince = System.nanoTime();
    long lastSeen = -1;
    while (System.nanoTime() < deadline) {
      synchronized (device) {
        if (device.frames != lastSeen) {
          lastSeen = device.frames;
          quietSince = System.nanoTime();
        }
      }
      if (System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(2)) return;
      sleep(50);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Waits until the server holds the device's ack, so the next round resends nothing. */
  private void awaitStoredCursor(User user, long cursor) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      for (JsonNode d : provisioning.get("/api/v1/devices", user.token()).path("devices")) {
        if (d.path("deviceId").asText().equals(DEVICE) && !d.path("online").asBoolean() && d.path("ackedCursor").asLong() >= cursor) {
          return;
        }
      }
      sleep(50);
    }
    System.out.println("  (the server did not report the ack within 30 s)");
  }

  /** The measured device: every entry's arrival, acked at once (one device: acks cost nothing here). */
  private static final class Device implements WebSocket.Listener {
    private final String phase;
    private final int expected;
    private final CompletableFuture<Void> complete = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final Set<String> seen = new HashSet<>();
    private final Set<String> phaseEntries = new HashSet<>();
    private long frames;
    private long entries;
    private long repeats;
    private int largestFrame;
    private long lastCursor;
    private long firstAt;
    private long completeAt;
    private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

    Device(String phase, int expected) {
      this.phase = phase;
      this.expected = expected;
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          JsonNode frame = JSON.readTree(partial.toString());
          switch (frame.path("type").asText()) {
            case "messages" -> onMessages(socket, frame.path("items"));
            case "ping" -> send(socket, "{\"type\":\"pong\"}");
            default -> {}
          }
        } catch (Exception e) {
          System.err.println("groupcatchup: unreadable frame: " + e);
        }
        partial.setLength(0);
      }
      socket.request(1);
      return null;
    }

    private void onMessages(WebSocket socket, JsonNode items) {
      long now = System.nanoTime();
      synchronized (this) {
        frames++;
        largestFrame = Math.max(largestFrame, items.size());
        for (JsonNode item : items) {
          entries++;
          lastCursor = Math.max(lastCursor, item.path("cursor").asLong());
          if (!seen.add(item.path("messageId").asText())) {
            repeats++;
            continue;
          }
          if (item.path("body").asText().startsWith(phase)) {
            if (firstAt == 0) firstAt = now;
            phaseEntries.add(item.path("messageId").asText());
          }
        }
        if (completeAt == 0 && expected > 0 && phaseEntries.size() >= expected) {
          completeAt = now;
          complete.complete(null);
        }
      }
      ack(socket);
    }

    synchronized CompletableFuture<?> ack(WebSocket socket) {
      long cursor = lastCursor;
      return cursor == 0 ? send(socket, null) : send(socket, "{\"type\":\"ack\",\"cursor\":" + cursor + "}");
    }

    /** Queues a frame behind the ones before it (the JDK socket takes one send at a time). */
    synchronized CompletableFuture<?> send(WebSocket socket, String text) {
      if (text != null) sending = sending.thenCompose(done -> socket.sendText(text, true));
      return sending;
    }
  }
}
