package messenger.load.openloop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
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
 * The users of a run, one connected device each, in fixed pairs with a direct conversation (or in
 * fixed groups), and the single scheduler thread that makes them send on a {@link Schedule}'s
 * timeline. Each device
 * behaves like a real client: it acknowledges what it receives (an {@code ack} with the last
 * cursor of each {@code messages} frame, coalesced while one is waiting to go out) and answers the
 * server's {@code ping}. What comes back is counted in the current {@link Tally}: a send's id and
 * its body carry the phase, the message's index and its due time.
 */
final class Fleet implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Device> devices = new ArrayList<>();
  private final List<int[]> memberships;
  private final List<String> conversations;
  private final ExecutorService io;
  private HttpClient http;
  private URI ws;
  private final AtomicInteger closed = new AtomicInteger();
  private final Map<String, LongAdder> errorsWithoutRef = new ConcurrentHashMap<>();
  private volatile Tally tally;
  private String padding = "";
  private volatile long ackDelayMillis;

  private Fleet(List<int[]> memberships, List<String> conversations, ExecutorService io) {
    this.memberships = memberships;
    this.conversations = conversations;
    this.io = io;
  }

  /**
   * Creates {@code users} users (in bulk with an admin token; else registered and logged in over
   * the public API, {@code publicApiConcurrency} at a time), pairs them with {@code seed} and opens
   * each pair's direct conversation (or, when {@code groups > 0}, makes that many groups of {@code
   * groupSize} with {@link Schedule#randomGroups}), and connects every device; answers once each
   * device has had a {@code pong} back.
   */
  static Fleet start(
      String baseUrl,
      String adminToken,
      int publicApiConcurrency,
      int users,
      long seed,
      int ioThreads,
      int groups,
      int groupSize) {
    Provisioning provisioning = new Provisioning(baseUrl, adminToken).publicApiConcurrency(publicApiConcurrency);
    List<User> accounts = provisioning.users(users);
    List<int[]> memberships =
        groups > 0 ? Schedule.randomGroups(users, groups, groupSize, seed) : Schedule.randomPairs(users, seed);
    long started = System.nanoTime();
    List<String> conversations =
        Provisioning.parallel(
            memberships.size(),
            i -> {
              int[] members = memberships.get(i);
              if (groups == 0) return provisioning.direct(accounts.get(members[0]), accounts.get(members[1]));
              List<User> group = new ArrayList<>();
              for (int m : members) group.add(accounts.get(m));
              return provisioning.group(group);
            });
    ExecutorService io = Executors.newFixedThreadPool(ioThreads, r -> daemon(r, "openloop-io"));
    HttpClient http = HttpClient.newBuilder().executor(io).connectTimeout(Duration.ofSeconds(10)).build();
    URI ws = URI.create(baseUrl.replaceFirst("^http", "ws") + "/api/v1/ws?deviceId=openloop");
    Fleet fleet = new Fleet(memberships, conversations, io);
    fleet.http = http;
    fleet.ws = ws;
    fleet.devices.addAll(Provisioning.parallel(accounts.size(), i -> fleet.new Device(accounts.get(i)).connect(http, ws)));
    CompletableFuture.allOf(fleet.devices.stream().map(Device::ready).toArray(CompletableFuture[]::new))
        .orTimeout(60, TimeUnit.SECONDS)
        .join();
    System.out.printf(
        "%d %s: conversations opened and %d devices connected in %d ms%n",
        memberships.size(),
        groups > 0 ? "groups of " + groupSize : "pairs",
        fleet.devices.size(),
        Duration.ofNanos(System.nanoTime() - started).toMillis());
    return fleet;
  }

  /** Message bodies get {@code chars} more characters (what a body's size costs). */
  Fleet padBodies(int chars) {
    padding = chars <= 0 ? "" : "-" + "x".repeat(chars);
    return this;
  }

  /**
   * Devices ack {@code millis} after the first entry not yet acked, acking everything that came
   * meanwhile, as the SDK does ({@code ackDelayMs}); 0 acks after every frame.
   */
  Fleet ackAtMostEvery(long millis) {
    ackDelayMillis = Math.max(0, millis);
    return this;
  }

  int conversationCount() {
    return memberships.size();
  }

  int membersEach() {
    return memberships.get(0).length;
  }

  /** {@code rate} msg/s for {@code seconds} over this fleet's conversations. */
  Schedule constant(double rate, double seconds) {
    return Schedule.constant(rate, seconds, conversationCount(), membersEach());
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
    return play(phase, false);
  }

  /** {@link #play(Tally)}, every message from its conversation's first member if {@code firstSends}. */
  CompletableFuture<Void> play(Tally phase, boolean firstSends) {
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
                send(phase, k, due, firstSends);
              }
              done.complete(null);
            },
            "openloop-scheduler");
    scheduler.setDaemon(true);
    scheduler.start();
    return done;
  }

  private void send(Tally phase, int k, long due, boolean firstSends) {
    int conversation = phase.schedule.conversation(k);
    int sender = firstSends ? 0 : phase.schedule.sender(k);
    Device from = devices.get(memberships.get(conversation)[sender]);
    String id = phase.id + "-" + k;
    String frame =
        "{\"type\":\"send\",\"clientMsgId\":\""
            + id
            + "\",\"conversationId\":\""
            + conversations.get(conversation)
            + "\",\"body\":\""
            + id
            + "-"
            + due
            + padding
            + "\"}";
    from.enqueue(() -> frame)
        .whenComplete(
            (ok, failure) -> {
              if (failure == null) phase.written(k, System.nanoTime());
              else phase.writeFailed(k);
            });
  }

  /** Every user that is not the first member of a conversation: the ones {@code firstSends} sends to. */
  List<Integer> receivers() {
    java.util.Set<Integer> result = new java.util.TreeSet<>();
    for (int[] members : memberships) for (int i = 1; i < members.length; i++) result.add(members[i]);
    java.util.Set<Integer> firsts = new java.util.HashSet<>();
    for (int[] members : memberships) firsts.add(members[0]);
    result.removeAll(firsts);
    return List.copyOf(result);
  }

  /**
   * How many messages of {@code schedule}, played with {@code firstSends}, are for each user:
   * one per message of each conversation the user is in but does not send in.
   */
  int[] expectedPerUser(Schedule schedule) {
    int[] perConversation = new int[memberships.size()];
    for (long k = 0; k < schedule.count(); k++) perConversation[schedule.conversation(k)]++;
    int[] expected = new int[devices.size()];
    for (int c = 0; c < memberships.size(); c++) {
      int[] members = memberships.get(c);
      for (int i = 1; i < members.length; i++) expected[members[i]] += perConversation[c];
    }
    return expected;
  }

  /** Closes these users' connections normally; the server sees each device go. */
  void disconnect(List<Integer> users) {
    Provisioning.parallel(users.size(), i -> devices.get(users.get(i)).disconnect());
  }

  /**
   * Connects these users' devices again, all at once ({@code threads} at a time), and answers when
   * each connect started ({@link System#nanoTime()}, by user index; 0 for the others).
   */
  long[] reconnect(List<Integer> users, int threads) {
    long[] started = new long[devices.size()];
    Provisioning.parallel(
        users.size(),
        threads,
        i -> {
          int u = users.get(i);
          started[u] = System.nanoTime();
          return devices.get(u).connect(http, ws);
        });
    return started;
  }

  /** Messages of the current phase that reached user {@code u}'s device, and when the last did. */
  int arrived(int u) {
    return devices.get(u).arrivedInPhase;
  }

  long lastArrival(int u) {
    return devices.get(u).lastArrivalNanos;
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
    private volatile CompletableFuture<Void> ready = new CompletableFuture<>();
    private final AtomicLong ackCursor = new AtomicLong();
    private final AtomicBoolean ackQueued = new AtomicBoolean();
    private final AtomicBoolean gone = new AtomicBoolean();
    // Which messages of the current phase this device has had: the socket's frames come one at a
    // time, so plain fields do.
    private final BitSet seen = new BitSet();
    private int seenPhase = -1;
    private volatile int arrivedInPhase;
    private volatile long lastArrivalNanos;
    private WebSocket socket;
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);

    Device(User user) {
      this.user = user;
    }

    /** Connects (again, after {@link #disconnect()}): a new socket, the same device id. */
    Device connect(HttpClient http, URI uri) {
      ready = new CompletableFuture<>();
      partial.setLength(0);
      tail = CompletableFuture.completedFuture(null);
      gone.set(false);
      // Each connection numbers its own cursors from the stored ack: the last one acked on an
      // earlier connection may be ahead of anything this one has sent.
      ackCursor.set(0);
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
          if (k >= 0) t.acked(k, System.nanoTime());
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
        // body: <phase>-<k>-<due nanos>[-<padding>]
        String[] parts = item.path("body").asText().split("-");
        if (parts.length >= 3 && parts[0].equals(Integer.toString(t.id))) {
          arrived(t, Integer.parseInt(parts[1]), Long.parseLong(parts[2]), now);
        }
      }
      if (last > 0) ack(last);
    }

    private void arrived(Tally t, int k, long due, long now) {
      if (seenPhase != t.id) {
        seen.clear();
        seenPhase = t.id;
        arrivedInPhase = 0;
      }
      if (k < 0) return;
      if (seen.get(k)) {
        t.duplicate();
        return;
      }
      seen.set(k);
      lastArrivalNanos = now;
      arrivedInPhase++;
      t.delivered(k, due, now);
    }

    private void connectionError(JsonNode frame) {
      String code = frame.path("code").asText();
      LongAdder seen = errorsWithoutRef.computeIfAbsent(code, c -> new LongAdder());
      seen.increment();
      if (seen.sum() == 1) System.err.println("openloop: first " + code + " (" + user.username() + "): " + frame);
    }

    private void ack(long cursor) {
      ackCursor.accumulateAndGet(cursor, Math::max);
      if (!ackQueued.compareAndSet(false, true)) return;
      Runnable send =
          () ->
              enqueue(
                  () -> {
                    ackQueued.set(false);
                    return "{\"type\":\"ack\",\"cursor\":" + ackCursor.get() + "}";
                  });
      long delay = ackDelayMillis;
      if (delay == 0) send.run();
      else CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS, io).execute(send);
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

    /** A normal close, not counted as a lost connection; {@link #connect} opens the next. */
    Device disconnect() {
      if (gone.compareAndSet(false, true)) {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "offline").orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
      }
      return this;
    }

    void close() {
      if (gone.compareAndSet(false, true) && socket != null) socket.abort();
    }
  }
}
