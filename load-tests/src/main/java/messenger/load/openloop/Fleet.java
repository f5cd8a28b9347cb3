package messenger.load.openloop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import messenger.load.Provisioning;
import messenger.load.Provisioning.User;

/**
 * The users of a run, one connected device each, in fixed pairs with a direct conversation, and
 * the single scheduler thread that makes them send on a {@link Schedule}'s timeline. Each device
 * behaves like a real client: it acknowledges what it receives (an {@code ack} with the last
 * cursor of each {@code messages} frame, coalesced while one is waiting to go out) and answers the
 * server's {@code ping}. What comes back is counted in the current {@link Tally}: a send's id and
 * its body carry the phase, the message's index and its due time.
 */
final class Fleet implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Device> devices = new ArrayList<>();
  private final List<int[]> pairs;
  private final List<String> conversations;
  private final ExecutorService io;
  private final AtomicInteger closed = new AtomicInteger();
  private final Map<String, LongAdder> errorsWithoutRef = new ConcurrentHashMap<>();
  private volatile Tally tally;

  private Fleet(List<int[]> pairs, List<String> conversations, ExecutorService io) {
    this.pairs = pairs;
    this.conversations = conversations;
    this.io = io;
  }

  /**
   * Creates {@code users} users (in bulk with an admin token; else registered and logged in over
   * the public API, {@code publicApiConcurrency} at a time), pairs them with {@code seed}, opens
   * each pair's direct conversation and connects every device; answers once each device has had
   * a {@code pong} back.
   */
  static Fleet start(
      String baseUrl, String adminToken, int publicApiConcurrency, int users, long seed, int ioThreads) {
    Provisioning provisioning = new Provisioning(baseUrl, adminToken).publicApiConcurrency(publicApiConcurrency);
    List<User> accounts = provisioning.users(users);
    List<int[]> pairs = Schedule.randomPairs(users, seed);
    long started = System.nanoTime();
    List<String> conversations =
        Provisioning.parallel(
            pairs.size(), i -> provisioning.direct(accounts.get(pairs.get(i)[0]), accounts.get(pairs.get(i)[1])));
    ExecutorService io = Executors.newFixedThreadPool(ioThreads, r -> daemon(r, "openloop-io"));
    HttpClient http = HttpClient.newBuilder().executor(io).connectTimeout(Duration.ofSeconds(10)).build();
    URI ws = URI.create(baseUrl.replaceFirst("^http", "ws") + "/api/v1/ws?deviceId=openloop");
    Fleet fleet = new Fleet(pairs, conversations, io);
    fleet.devices.addAll(Provisioning.parallel(accounts.size(), i -> fleet.new Device(accounts.get(i)).connect(http, ws)));
    CompletableFuture.allOf(fleet.devices.stream().map(Device::ready).toArray(CompletableFuture[]::new))
        .orTimeout(60, TimeUnit.SECONDS)
        .join();
    System.out.printf(
        "%d pairs: conversations opened and %d devices connected in %d ms%n",
        pairs.size(), fleet.devices.size(), Duration.ofNanos(System.nanoTime() - started).toMillis());
    return fleet;
  }

  int pairCount() {
    return pairs.size();
  }

  int deviceCount() {
    return devices.size();
  }

  int openDevices() {
    return devices.size() - closed.get();
  }

  /** Error frames that answered no send (going_away, heartbeat_timeout, ...) by code, so far. */
  Map<String, Long> errorsWithoutRef() {
    Map<String, Long> codes = new TreeMap<>();
    errorsWithoutRef.forEach((code, n) -> codes.put(code, n.sum()));
    return codes;
  }

  /**
   * Sends the phase's messages on its timeline from one scheduler thread and returns at once; the
   * future completes after the last send was handed to its socket. A send due in the past goes at
   * once: it is late, and its latency counts from its due time.
   */
  CompletableFuture<Void> play(Tally phase) {
    tally = phase;
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread scheduler =
        new Thread(
            () -> {
              long count = phase.schedule.count();
              for (int k = 0; k < count; k++) {
                long due = phase.dueAt(k);
                long wait;
                while ((wait = due - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
                send(phase, k, due);
              }
              done.complete(null);
            },
            "openloop-scheduler");
    scheduler.setDaemon(true);
    scheduler.start();
    return done;
  }

  private void send(Tally phase, int k, long due) {
    int[] pair = pairs.get(phase.schedule.pair(k));
    Device from = devices.get(phase.schedule.fromFirst(k) ? pair[0] : pair[1]);
    String id = phase.id + "-" + k;
    String frame =
        "{\"type\":\"send\",\"clientMsgId\":\""
            + id
            + "\",\"conversationId\":\""
            + conversations.get(phase.schedule.pair(k))
            + "\",\"body\":\""
            + id
            + "-"
            + due
            + "\"}";
    from.enqueue(() -> frame)
        .whenComplete(
            (ok, failure) -> {
              if (failure == null) phase.written(k, System.nanoTime());
              else phase.writeFailed(k);
            });
  }

  @Override
  public void close() {
    for (Device d : devices) d.close();
    io.shutdownNow();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** One user's device: its socket, its send queue and what it makes of the frames it receives. */
  private final class Device implements WebSocket.Listener {

    private final User user;
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final AtomicLong ackCursor = new AtomicLong();
    private final AtomicBoolean ackQueued = new AtomicBoolean();
    private final AtomicBoolean gone = new AtomicBoolean();
    private WebSocket socket;
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);

    Device(User user) {
      this.user = user;
    }

    Device connect(HttpClient http, URI uri) {
      socket =
          http.newWebSocketBuilder()
              .header("Authorization", "Bearer " + user.token())
              .connectTimeout(Duration.ofSeconds(30))
              .buildAsync(uri, this)
              .join();
      enqueue(() -> "{\"type\":\"ping\"}");
      return this;
    }

    CompletableFuture<Void> ready() {
      return ready;
    }

    /**
     * Queues a frame behind the ones before it (the JDK socket takes one send at a time); the
     * text is made when its turn comes, so a queued ack carries the latest cursor.
     */
    synchronized CompletableFuture<?> enqueue(Supplier<String> text) {
      tail = tail.handle((ok, failure) -> null).thenCompose(ignored -> socket.sendText(text.get(), true));
      return tail;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String frame = partial.toString();
        partial.setLength(0);
        try {
          onFrame(JSON.readTree(frame));
        } catch (Exception e) {
          System.err.println("openloop: unreadable frame " + frame + ": " + e);
        }
      }
      webSocket.request(1);
      return null;
    }

    private void onFrame(JsonNode frame) {
      Tally t = tally;
      switch (frame.path("type").asText()) {
        case "pong" -> ready.complete(null);
        case "ping" -> enqueue(() -> "{\"type\":\"pong\"}");
        case "sent" -> {
          int k = indexIn(t, frame.path("clientMsgId").asText());
          if (k >= 0) t.acked(k);
        }
        case "error" -> {
          int k = indexIn(t, frame.path("ref").asText());
          if (k >= 0) t.refused(k, frame.path("code").asText());
          else if (frame.path("ref").isNull() || frame.path("ref").isMissingNode()) connectionError(frame);
        }
        case "messages" -> onMessages(frame.path("items"), t);
        default -> {
          // receipts, presence, typing: not counted
        }
      }
    }

    private void onMessages(JsonNode items, Tally t) {
      long now = System.nanoTime();
      long last = 0;
      for (JsonNode item : items) {
        last = Math.max(last, item.path("cursor").asLong());
        if (t == null || user.userId().equals(item.path("senderId").asText())) continue;
        // body: <phase>-<k>-<due nanos>
        String[] parts = item.path("body").asText().split("-");
        if (parts.length == 3 && parts[0].equals(Integer.toString(t.id))) {
          t.delivered(Integer.parseInt(parts[1]), Long.parseLong(parts[2]), now);
        }
      }
      if (last > 0) ack(last);
    }

    private void connectionError(JsonNode frame) {
      String code = frame.path("code").asText();
      LongAdder seen = errorsWithoutRef.computeIfAbsent(code, c -> new LongAdder());
      seen.increment();
      if (seen.sum() == 1) System.err.println("openloop: first " + code + " (" + user.username() + "): " + frame);
    }

    private void ack(long cursor) {
      ackCursor.accumulateAndGet(cursor, Math::max);
      if (ackQueued.compareAndSet(false, true)) {
        enqueue(
            () -> {
              ackQueued.set(false);
              return "{\"type\":\"ack\",\"cursor\":" + ackCursor.get() + "}";
            });
      }
    }

    /** The index of a message of phase {@code t} from its clientMsgId, or -1. */
    private int indexIn(Tally t, String clientMsgId) {
      int dash = clientMsgId.indexOf('-');
      if (t == null || dash < 0 || !clientMsgId.substring(0, dash).equals(Integer.toString(t.id))) return -1;
      try {
        return Integer.parseInt(clientMsgId.substring(dash + 1));
      } catch (NumberFormatException e) {
        return -1;
      }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      lost("closed " + statusCode + " " + reason);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      lost("error " + error);
    }

    private void lost(String why) {
      if (gone.compareAndSet(false, true)) {
        if (closed.incrementAndGet() == 1) {
          System.err.println("openloop: first connection gone (" + user.username() + "): " + why);
        }
        ready.complete(null);
      }
    }

    void close() {
      if (gone.compareAndSet(false, true) && socket != null) socket.abort();
    }
  }
}
