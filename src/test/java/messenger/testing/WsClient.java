package messenger.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A real WebSocket client ({@code java.net.http.WebSocket}) that queues every frame it receives,
 * except heartbeat pings, which it answers with a pong as a well-behaved client does (unless told
 * to fall {@link #silent()}). Waiting is always on the queue with a deadline; frames skipped while
 * waiting for one of another type keep their arrival order ({@link ArrivedFrames}).
 */
public final class WsClient implements WebSocket.Listener, AutoCloseable {

  public static final Duration WAIT = Duration.ofSeconds(20);

  private final ArrivedFrames frames = new ArrivedFrames();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private WebSocket socket;
  private volatile java.util.function.Consumer<String> observer = text -> {};
  private volatile String discarded = "";
  private volatile boolean answerPings = true;
  private volatile boolean reading = true;
  private final java.util.concurrent.atomic.AtomicInteger pings =
      new java.util.concurrent.atomic.AtomicInteger();

  /** The upgrade's HTTP status when the server refused it, as a failed connect. */
  public static int refusedStatus(int port, String token, String deviceId) {
    return refusedStatus(port, token, deviceId, null);
  }

  /** As {@link #refusedStatus(int, String, String)}, from a page of {@code origin}. */
  public static int refusedStatus(int port, String token, String deviceId, String origin) {
    return refusedStatus(() -> connect(port, token, deviceId, origin));
  }

  /** As {@link #refusedStatus(int, String, String, String)}, to the node {@code api} talks to. */
  public static int refusedStatus(Api api, String token, String deviceId, String origin) {
    return refusedStatus(() -> connect(api, token, deviceId, origin));
  }

  private static int refusedStatus(java.util.function.Supplier<WsClient> connecting) {
    try {
      connecting.get().close();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof java.net.http.WebSocketHandshakeException refused) {
        return refused.getResponse().statusCode();
      }
      throw e;
    }
    throw new AssertionError("the server accepted the connection");
  }

  public static WsClient connect(int port, String token, String deviceId) {
    return connect(port, token, deviceId, null);
  }

  /** A connection whose client names itself {@code client} for the device list. */
  public static WsClient connectAs(int port, String token, String deviceId, String client) {
    String query =
        deviceId
            + "&client="
            + java.net.URLEncoder.encode(client, java.nio.charset.StandardCharsets.UTF_8);
    return connect(port, token, query, null);
  }

  /** A connection as a browser page of {@code origin} opens it (none if null). */
  public static WsClient connect(int port, String token, String deviceId, String origin) {
    return connect(
        HttpClient.newHttpClient(), "ws://127.0.0.1:" + port, token, deviceId, origin, text -> {});
  }

  /**
   * A connection whose every server frame, pings included, is also handed to {@code observer} as
   * text as it arrives, from the first on (the contract tests check each against the AsyncAPI).
   */
  public static WsClient connectObserved(
      int port, String token, String deviceId, java.util.function.Consumer<String> observer) {
    return connect(
        HttpClient.newHttpClient(), "ws://127.0.0.1:" + port, token, deviceId, null, observer);
  }

  /** A connection to the API {@code api} talks to, over TLS (wss) if it is an HTTPS one. */
  public static WsClient connect(Api api, String token, String deviceId, String origin) {
    return connect(
        api.client(), api.base().replaceFirst("^http", "ws"), token, deviceId, origin, text -> {});
  }

  private static WsClient connect(
      HttpClient http,
      String base,
      String token,
      String deviceId,
      String origin,
      java.util.function.Consumer<String> observer) {
    WsClient client = new WsClient();
    client.observer = observer;
    var builder = http.newWebSocketBuilder();
    if (origin != null) builder.header("Origin", origin);
    client.socket =
        builder
            .header("Authorization", "Bearer " + token)
            .connectTimeout(Duration.ofSeconds(10))
            .buildAsync(URI.create(base + "/api/v1/ws?deviceId=" + deviceId), client)
            .orTimeout(20, TimeUnit.SECONDS)
            .join();
    return client;
  }

  public void send(Object frame) {
    sendRaw(Api.json(frame));
  }

  /** One send at a time: java.net.http.WebSocket refuses a send while another is under way. */
  public synchronized void sendRaw(String text) {
    socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
  }

  /** Sends a message frame without waiting for its answer. */
  public void post(String conversationId, String clientMsgId, String body) {
    send(
        Map.of(
            "type",
            "send",
            "conversationId",
            conversationId,
            "clientMsgId",
            clientMsgId,
            "body",
            body));
  }

  /** Sends a message and waits for its {@code sent} frame (other frames stay queued in order). */
  public JsonNode sendMessage(String conversationId, String clientMsgId, String body) {
    post(conversationId, clientMsgId, body);
    return next("sent");
  }

  /** The next frame of this type; frames of other types before it are kept for later. */
  public JsonNode next(String type) {
    return next(frame -> type.equals(frame.path("type").asText()), "\"" + type + "\" frame");
  }

  /** Every frame up to and including the first that {@code last} accepts, in arrival order. */
  public List<JsonNode> framesUntil(java.util.function.Predicate<JsonNode> last, Duration timeout) {
    List<JsonNode> taken = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        JsonNode frame = frames.take(deadline);
        if (frame == null) break;
        taken.add(frame);
        if (last.test(frame)) return taken;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new AssertionError(
        "the last frame did not come within "
            + timeout
            + " ("
            + taken.size()
            + " others did: "
            + taken
            + ")");
  }

  /** The {@code sent} or {@code error} frame answering the send with this clientMsgId. */
  public JsonNode answerTo(String clientMsgId) {
    return next(
        frame ->
            clientMsgId.equals(frame.path("clientMsgId").asText(null))
                || clientMsgId.equals(frame.path("ref").asText(null)),
        "answer to " + clientMsgId);
  }

  /** The next message frame; if none comes, the failure says how far the items had got. */
  private JsonNode next(String type, int arrived, int wanted) {
    try {
      return next(type);
    } catch (AssertionError none) {
      throw new AssertionError(
          none.getMessage() + " (" + arrived + " of " + wanted + " message items had arrived)");
    }
  }

  /** The earliest frame {@code wanted} accepts; the frames before it stay queued, in order. */
  public JsonNode next(java.util.function.Predicate<JsonNode> wanted, String what) {
    try {
      JsonNode frame = frames.take(wanted, System.nanoTime() + WAIT.toNanos());
      if (frame != null) return frame;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new AssertionError("no " + what + " within " + WAIT + "; queued: " + frames);
  }

  /** Message items received until {@code count} have arrived, in order, with their frame sizes. */
  public Received messages(int count) {
    List<JsonNode> items = new ArrayList<>();
    List<Integer> batchSizes = new ArrayList<>();
    while (items.size() < count) {
      JsonNode frame = next("messages", items.size(), count);
      batchSizes.add(frame.path("items").size());
      frame.path("items").forEach(items::add);
    }
    return new Received(items, batchSizes);
  }

  /**
   * Message items received until {@code count} whose messageId is not in {@code held} have arrived,
   * in order: what a client keeps of a new connection after dropping what an earlier one handed it,
   * by messageId as every client must (a repeat may come with any cursor). Repeats on this
   * connection are kept, so a test still sees them.
   */
  public List<JsonNode> messagesNotIn(java.util.Set<String> held, int count) {
    List<JsonNode> items = new ArrayList<>();
    while (items.size() < count) {
      for (JsonNode item : next("messages").path("items")) {
        if (!held.contains(item.path("messageId").asText())) items.add(item);
      }
    }
    return items;
  }

  public record Received(List<JsonNode> items, List<Integer> batchSizes) {
    public List<String> bodies() {
      return items.stream().map(i -> i.path("body").asText()).toList();
    }

    public long lastCursor() {
      return items.get(items.size() - 1).path("cursor").asLong();
    }
  }

  /** True if no frame of this type arrives within {@code quiet}. */
  public boolean noFrame(String type, Duration quiet) {
    long deadline = System.nanoTime() + quiet.toNanos();
    try {
      while (true) {
        JsonNode frame = frames.take(deadline);
        if (frame == null) return true;
        if (type.equals(frame.path("type").asText())) return false;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Drop frames of this type as they arrive (a load generator's sender has no use for them). */
  public void discard(String type) {
    discarded = type;
  }

  public void ack(long cursor) {
    send(Map.of("type", "ack", "cursor", cursor));
  }

  public boolean isOpen() {
    return !closed.isDone() && !socket.isInputClosed();
  }

  /** Stop answering heartbeat pings and stop sending anything: a client that went away. */
  public void silent() {
    answerPings = false;
  }

  /** Stop reading from the socket: a client that stalled (its TCP window fills). */
  public void stallReading() {
    reading = false;
  }

  /** Read again after {@link #stallReading()}. */
  public void resumeReading() {
    reading = true;
    socket.request(1);
  }

  public int pingsReceived() {
    return pings.get();
  }

  /** The close status code the server sent, once the connection has closed. */
  public int closeCode(Duration timeout) {
    return closed.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket
          .sendClose(WebSocket.NORMAL_CLOSURE, "bye")
          .orTimeout(5, TimeUnit.SECONDS)
          .exceptionally(e -> null)
          .join();
    }
    closed.orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> -1).join();
    socket.abort();
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      observer.accept(partial.toString());
      try {
        JsonNode frame = Api.JSON.readTree(partial.toString());
        String type = frame.path("type").asText();
        if (type.equals("ping")) {
          pings.incrementAndGet();
          if (answerPings) sendRaw("{\"type\":\"pong\"}");
        } else if (!discarded.equals(type)) {
          frames.add(frame);
        }
      } catch (java.io.IOException e) {
        throw new AssertionError("server sent invalid JSON: " + partial, e);
      }
      partial.setLength(0);
    }
    if (reading) webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.completeExceptionally(error);
  }
}
