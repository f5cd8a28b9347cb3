package messenger.push;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A push service on 127.0.0.1 for tests: records each request and answers with the next scripted
 * reply, or 201 when the script is empty.
 */
final class PushReceiver implements AutoCloseable {

  record Received(String method, String path, Headers headers, byte[] body) {
    String header(String name) {
      return headers.getFirst(name);
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /**
   * @param release if not null, the reply waits until it is counted down
   */
  record Reply(int status, Map<String, String> headers, String body, CountDownLatch release) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();

  private PushReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  static PushReceiver start() throws IOException {
    return new PushReceiver();
  }

  /** The receiver's origin, which is what a VAPID {@code aud} must be. */
  String origin() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  String endpoint(String path) {
    return origin() + path;
  }

  PushReceiver answer(int status, Map<String, String> headers) {
    script.add(new Reply(status, headers, "", null));
    return this;
  }

  PushReceiver answer(Reply reply) {
    script.add(reply);
    return this;
  }

  /** The next request, waiting up to 5 s for it. */
  Received take() throws InterruptedException {
    Received r = received.poll(5, TimeUnit.SECONDS);
    assertNotNull(r, "no request reached the receiver within 5 s");
    return r;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      // The reply is taken before the request is seen: a test that scripts the next answer as soon
      // as it has taken a request must not have it given to that request.
      Reply reply = script.poll();
      if (reply == null) reply = new Reply(201, Map.of(), "", null);
      received.add(
          new Received(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getPath(),
              exchange.getRequestHeaders(),
              body));
      if (reply.release() != null && !reply.release().await(10, TimeUnit.SECONDS)) {
        throw new IOException("the test never released this reply");
      }
      reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
      byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        try (OutputStream os = exchange.getResponseBody()) {
          os.write(out);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
