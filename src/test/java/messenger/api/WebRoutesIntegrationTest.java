package messenger.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import messenger.testing.TestS3;
import messenger.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The web client's files as the server serves them: types, security headers, nothing else. */
@Timeout(60)
class WebRoutesIntegrationTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static int port;

  @BeforeAll
  static void startServer() {
    port = TestServer.shared().httpPort();
  }

  @Test
  void thePageComesWithAStrictContentSecurityPolicy() throws Exception {
    HttpResponse<String> page = get("/");
    assertEquals(200, page.statusCode());
    assertTrue(header(page, "Content-Type").startsWith("text/html"));
    String csp = header(page, "Content-Security-Policy");
    assertTrue(csp.contains("script-src 'self'"), csp);
    assertTrue(csp.contains("frame-ancestors 'none'"), csp);
    assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval"), csp);
    // Attachments go to and come from the object store's origin alone, over presigned URLs.
    String store = "http://127.0.0.1:" + TestS3.PORT;
    assertTrue(csp.contains("img-src 'self' data: " + store + ";"), csp);
    assertTrue(csp.contains("connect-src 'self' " + store + ";"), csp);
    assertEquals("nosniff", header(page, "X-Content-Type-Options"));
    assertEquals("no-cache", header(page, "Cache-Control"));
    // Every script is a file of this origin; the page holds no script and no secret of its own.
    assertFalse(page.body().matches("(?s).*<script(?![^>]*\\bsrc=)[^>]*>.*"), "inline script");
    assertFalse(page.body().toLowerCase().contains("token"), "nothing secret in the page");
  }

  @Test
  void scriptsStylesAndTheServiceWorkerHaveTheirTypes() throws Exception {
    assertTrue(header(get("/assets/main.js"), "Content-Type").contains("javascript"));
    assertTrue(header(get("/assets/style.css"), "Content-Type").startsWith("text/css"));
    HttpResponse<String> worker = get("/sw.js");
    assertEquals(200, worker.statusCode());
    assertTrue(header(worker, "Content-Type").contains("javascript"));
  }

  @Test
  void onlyTheWebFolderIsServedAndTheApiStillAnswers() throws Exception {
    assertEquals(404, get("/assets/no-such-file.js").statusCode());
    assertEquals(404, get("/assets/..%2F..%2Fapplication.conf").statusCode());
    assertEquals(404, get("/application.conf").statusCode());
    HttpResponse<String> unknownApi = get("/api/v1/no-such-route");
    assertEquals(404, unknownApi.statusCode());
    assertTrue(unknownApi.body().contains("\"not_found\""), unknownApi.body());
    assertEquals(200, get("/health/alive").statusCode());
  }

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse("");
  }
}
