package messenger.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import messenger.testing.Api;

/**
 * A device as a well-behaved client runs it against a cluster: one WebSocket at a time to one of
 * the nodes; when it closes (the node died, or said {@code going_away}), it reconnects to the next
 * node with a short exponential backoff and the server catches it up from what it acknowledged. It
 * acknowledges every batch it receives (by positions and cursor), keeps each message once by {@code
 * messageId}, never by cursor, which is not dense across connections, and remembers the order in
 * which each conversation's seqs first arrived. Sends are retried with the same {@code clientMsgId}
 * until the server acknowledges them, as docs/protocol.md asks.
 */
final class ChatDevice implements AutoCloseable {

  private static final Duration MAX_BACKOFF = Duration.ofSeconds(1);
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(15);

  /** One WebSocket connection's life, for the failover numbers. */
  record Connection(int port, long openedAt, long closedAt) {}

  /** A send the server acknowledged ({@code sent}), with when it was first tried and answered. */
  record Acked(
      String conversationId,
      String clientMsgId,
      String messageId,
      long seq,
      long firstTriedAt,
      long ackedAt) {}

  private final String name;
  private final Api.User user;
  private final List<Integer> ports;
  private final HttpClient http = HttpClient.newHttpClient();
  private final Thread connector;

  private volatile boolean closing;
  private volatile int portIndex;
  private volatile WebSocket socket;
  private volatile long openedAt;
  private volatile CompletableFuture<Void> currentClosed = new CompletableFuture<>();

  private final Map<String, CompletableFuture<JsonNode>> answers = new ConcurrentHashMap<>();
  private final Set<String> messageIds = new HashSet<>();
  private final Map<String, List<Long>> firstSeqs = new HashMap<>();
  private final Map<String, Map<Long, String>> messageIdBySeq = new HashMap<>();
  private final Map<String, Map<String, String>> messageIdByBody = new HashMap<>();
  private final List<String> anomalies = new ArrayList<>();
  private final List<Connection> connections = new ArrayList<>();
  private int duplicates;

  /**
   * @param home index in {@code ports} of the node the device connects to first
   */
  ChatDevice(String name, Api.User user, List<Integer> ports, int home) {
    this.name = name;
    this.user = user;
    this.ports = List.copyOf(ports);
    this.portIndex = home;
    this.connector = new Thread(this::connectLoop, "device-" + name);
    connector.setDaemon(true);
    connector.start();
  }

  String name() {
    return name;
  }

  Api.User user() {
    return user;
  }

  /** The port of the node the device is connected to, if it is. */
  Optional<Integer> connectedPort() {
    return socket == null ? Optional.empty() : Optional.of(ports.get(portIndex));
  }

  /** Waits (polling, with a deadline) until the device has an open connection. */
  void awaitConnected(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (socket == null) {
      if (System.nanoTime() > deadline)
        throw new AssertionError(name + " did not connect within " + timeout);
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
  }

  /**
   * Sends a message and retries it with the same clientMsgId (on whatever connection the device has
   * by then) until the server says {@code sent}; only {@code unavailable}, {@code rate_limited} and
   * {@code overloaded} are expected refusals.
   */
  Acked sendUntilAcked(String conversationId, String clientMsgId, Duration timeout) {
    long firstTried = System.nanoTime();
    long deadline = firstTried + timeout.toNanos();
    String frame =
        Api.json(
            Map.of(
                "type",
                "send",
                "conversationId",
                conversationId,
                "clientMsgId",
                clientMsgId,
                "body",
                clientMsgId));
    while (System.nanoTime() < deadline) {
      WebSocket ws = socket;
      if (ws == null) {
        LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        continue;
      }
      CompletableFuture<JsonNode> answer = new CompletableFuture<>();
      answers.put(clientMsgId, answer);
      try {
        sendText(ws, frame);
        JsonNode reply = answer.get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (reply.path("type").asText().equals("sent")) {
          return new Acked(
              conversationId,
              clientMsgId,
              reply.path("messageId").asText(),
              reply.path("seq").asLong(),
              firstTried,
              System.nanoTime());
        }
        String code = reply.path("code").asText();
        if (!code.equals("unavailable")
            && !code.equals("rate_limited")
            && !code.equals("overloaded")) {
          throw new AssertionError(name + ": send " + clientMsgId + " refused: " + reply);
        }
      } catch (IOException | ExecutionException | TimeoutException e) {
        // The connection went or the answer did not come: retry, on the next connection if need be.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      } finally {
        answers.remove(clientMsgId, answer);
      }
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    }
    throw new AssertionError(name + ": " + clientMsgId + " was not acknowledged within " + timeout);
  }

  /** Whether this device holds each of these messageIds. */
  synchronized boolean holdsAll(Set<String> wanted) {
    return messageIds.containsAll(wanted);
  }

  /** The seqs of the conversation in the order they first arrived (duplicates dropped). */
  synchronized List<Long> seqsInArrivalOrder(String conversationId) {
    return List.copyOf(firstSeqs.getOrDefault(conversationId, List.of()));
  }

  synchronized Map<Long, String> messageIdsBySeq(String conversationId) {
    return Map.copyOf(messageIdBySeq.getOrDefault(conversationId, Map.of()));
  }

  /** Entries delivered again (same messageId) across connections; the client drops them. */
  synchronized int duplicates() {
    return duplicates;
  }

  /** What should never happen: one clientMsgId stored as two messages, one seq with two ids. */
  synchronized List<String> anomalies() {
    return List.copyOf(anomalies);
  }

  synchronized List<Connection> connections() {
    List<Connection> all = new ArrayList<>(connections);
    if (socket != null) all.add(new Connection(ports.get(portIndex), openedAt, Long.MAX_VALUE));
    return all;
  }

  @Override
  public void close() {
    closing = true;
    WebSocket ws = socket;
    if (ws != null) ws.abort();
    currentClosed.complete(null);
    connector.interrupt();
    try {
      connector.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void connectLoop() {
    int failures = 0;
    while (!closing) {
      int port = ports.get(portIndex);
      CompletableFuture<Void> closed = new CompletableFuture<>();
      currentClosed = closed;
      if (closing) break;
      try {
        WebSocket ws =
            http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + user.token())
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(
                    URI.create("ws://127.0.0.1:" + port + "/api/v1/ws?deviceId=" + name),
                    new Listener(closed))
                .get(10, TimeUnit.SECONDS);
        long opened = System.nanoTime();
        synchronized (this) {
          openedAt = opened;
          socket = ws;
        }
        failures = 0;
        // Blocks until the connection ends, whichever side ends it.
        closed.join();
        synchronized (this) {
          socket = null;
          connections.add(new Connection(port, opened, System.nanoTime()));
        }
        ws.abort();
        answers
            .values()
            .forEach(a -> a.completeExceptionally(new IOException("connection closed")));
      } catch (InterruptedException e) {
        break;
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        failures++;
      }
      if (closing) break;
      // Another node next: the one this device was on may be gone.
      portIndex = (portIndex + 1) % ports.size();
      long backoff = Math.min(MAX_BACKOFF.toMillis(), 25L << Math.min(failures, 6));
      LockSupport.parkNanos(
          Duration.ofMillis(backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1))
              .toNanos());
    }
  }

  /** java.net.http.WebSocket allows one send at a time; acks, pongs and sends share the socket. */
  private static void sendText(WebSocket ws, String text) throws IOException {
    synchronized (ws) {
      try {
        ws.sendText(text, true).get(5, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new IOException("send failed", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }

  private synchronized void received(JsonNode item) {
    String messageId = item.path("messageId").asText();
    String conversationId = item.path("conversationId").asText();
    long seq = item.path("seq").asLong();
    if (!messageIds.add(messageId)) {
      duplicates++;
      return;
    }
    firstSeqs.computeIfAbsent(conversationId, c -> new ArrayList<>()).add(seq);
    String other =
        messageIdBySeq
            .computeIfAbsent(conversationId, c -> new HashMap<>())
            .putIfAbsent(seq, messageId);
    if (other != null)
      anomalies.add(
          "seq " + seq + " of " + conversationId + " is both " + other + " and " + messageId);
    String body = item.path("body").asText();
    String sameBody =
        messageIdByBody
            .computeIfAbsent(conversationId, c -> new HashMap<>())
            .putIfAbsent(body, messageId);
    if (sameBody != null)
      anomalies.add(
          body + " stored twice in " + conversationId + ": " + sameBody + ", " + messageId);
  }

  private final class Listener implements WebSocket.Listener {
    private final CompletableFuture<Void> closed;
    private final StringBuilder partial = new StringBuilder();

    Listener(CompletableFuture<Void> closed) {
      this.closed = closed;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        try {
          onFrame(ws, Api.JSON.readTree(text));
        } catch (IOException e) {
          // The connection went while acking or answering a ping; the close follows.
        }
      }
      ws.request(1);
      return null;
    }

    private void onFrame(WebSocket ws, JsonNode frame) throws IOException {
      switch (frame.path("type").asText()) {
        case "messages" -> {
          JsonNode items = frame.path("items");
          items.forEach(ChatDevice.this::received);
          if (!items.isEmpty()) sendText(ws, ack(items));
        }
        case "ping" -> sendText(ws, "{\"type\":\"pong\"}");
        case "sent" -> answer(frame.path("clientMsgId").asText(), frame);
        case "error" -> {
          if (frame.hasNonNull("ref")) answer(frame.path("ref").asText(), frame);
        }
        default -> {
          // Receipts, typing, presence: not what these tests look at.
        }
      }
    }

    /** Positions, as docs/protocol.md prefers, and the cursor, which it accepts for a release. */
    private static String ack(JsonNode items) {
      Map<String, Long> positions = new HashMap<>();
      items.forEach(
          item ->
              positions.merge(
                  item.path("conversationId").asText(), item.path("seq").asLong(), Math::max));
      long cursor = items.get(items.size() - 1).path("cursor").asLong();
      return Api.json(Map.of("type", "ack", "cursor", cursor, "positions", positions));
    }

    private void answer(String clientMsgId, JsonNode frame) {
      CompletableFuture<JsonNode> waiting = answers.get(clientMsgId);
      if (waiting != null) waiting.complete(frame);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      closed.complete(null);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closed.complete(null);
    }
  }
}
