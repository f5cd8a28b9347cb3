package messenger.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import messenger.testing.Polling;
import messenger.testing.TestS3;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The S3 object store against a real S3Proxy (the shared {@link TestS3}), as a client uses it. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class S3ObjectStoreIntegrationTest {

  /** java.net.http sets these itself from the URL and the body, and refuses them from callers. */
  private static final Set<String> RESTRICTED = Set.of("content-length", "host");

  private static final HttpClient http = HttpClient.newHttpClient();
  private static S3ObjectStore store;

  @BeforeAll
  static void start() {
    store = TestS3.store("it-" + UUID.randomUUID().toString().substring(0, 8));
  }

  @AfterAll
  static void stop() {
    store.close();
  }

  @Test
  void presignedUploadIsHeadedDownloadedAsAnAttachmentAndDeletedTwice() throws Exception {
    String key = "attachments/" + UUID.randomUUID();
    byte[] bytes = "a picture, honestly".getBytes(StandardCharsets.UTF_8);

    PresignedRequest upload =
        store.presignUpload(key, "image/png", bytes.length, Duration.ofMinutes(5));
    assertEquals("PUT", upload.method());
    assertEquals(200, put(upload, "image/png", bytes).statusCode());

    assertEquals(Optional.of(new StoredObject(bytes.length, "image/png")), head(key));

    PresignedRequest download =
        store.presignDownload(key, "naïve \"photo\".png", "image/png", Duration.ofMinutes(5));
    HttpResponse<byte[]> got = get(download);
    assertEquals(200, got.statusCode());
    assertArrayEquals(bytes, got.body());
    assertEquals(
        "attachment; filename=\"na?ve ?photo?.png\";"
            + " filename*=UTF-8''na%C3%AFve%20%22photo%22.png",
        got.headers().firstValue("Content-Disposition").orElseThrow());
    assertEquals("image/png", got.headers().firstValue("Content-Type").orElseThrow());

    store.delete(key).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(Optional.empty(), head(key));
    store.delete(key).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void headOfAKeyNeverStoredIsEmpty() throws Exception {
    assertEquals(Optional.empty(), head("attachments/" + UUID.randomUUID()));
  }

  @Test
  void uploadWithAnotherContentTypeThanTheSignedOneIsRefused() throws Exception {
    String key = "attachments/" + UUID.randomUUID();
    byte[] bytes = "<script>".getBytes(StandardCharsets.UTF_8);
    PresignedRequest upload =
        store.presignUpload(key, "image/png", bytes.length, Duration.ofMinutes(5));

    assertEquals(403, put(upload, "text/html", bytes).statusCode());
    assertEquals(Optional.empty(), head(key));
  }

  @Test
  void uploadOfMoreBytesThanTheSignedLengthIsRefused() throws Exception {
    String key = "attachments/" + UUID.randomUUID();
    PresignedRequest upload = store.presignUpload(key, "image/png", 4, Duration.ofMinutes(5));

    int status = put(upload, "image/png", "12345678".getBytes(StandardCharsets.UTF_8)).statusCode();
    assertEquals(403, status);
    assertEquals(Optional.empty(), head(key));
  }

  @Test
  void anExpiredPresignedUploadIsRefused() throws Exception {
    String key = "attachments/" + UUID.randomUUID();
    byte[] bytes = "late".getBytes(StandardCharsets.UTF_8);
    PresignedRequest upload =
        store.presignUpload(key, "text/plain", bytes.length, Duration.ofSeconds(1));

    // The SDK signs only positive validity; the store checks it in whole seconds.
    Polling.until(
        Duration.ofSeconds(30),
        () -> put(upload, "text/plain", bytes).statusCode() == 403,
        "the presigned URL to expire");
    store.delete(key).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aBrowserOnAnotherOriginMayPutAndGet() throws Exception {
    PresignedRequest upload =
        store.presignUpload("attachments/cors", "image/png", 1, Duration.ofMinutes(1));
    HttpRequest preflight =
        HttpRequest.newBuilder(URI.create(upload.url()))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", "https://chat.example.test")
            .header("Access-Control-Request-Method", "PUT")
            .header("Access-Control-Request-Headers", "content-type")
            .build();

    HttpResponse<Void> answer = http.send(preflight, HttpResponse.BodyHandlers.discarding());

    assertEquals(200, answer.statusCode());
    assertEquals("*", answer.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
    String methods = answer.headers().firstValue("Access-Control-Allow-Methods").orElseThrow();
    assertTrue(methods.contains("PUT") && methods.contains("GET"), methods);
  }

  @Test
  void presignedUrlsNameThePublicEndpoint() {
    try (S3ObjectStore behindProxy =
        S3ObjectStore.create(TestS3.settings("any", "https://media.example.test:8443"))) {
      PresignedRequest upload =
          behindProxy.presignUpload("k", "image/png", 1, Duration.ofMinutes(1));
      PresignedRequest download =
          behindProxy.presignDownload("k", "f.png", "image/png", Duration.ofMinutes(1));
      assertTrue(upload.url().startsWith("https://media.example.test:8443/any/k?"), upload.url());
      assertTrue(
          download.url().startsWith("https://media.example.test:8443/any/k?"), download.url());
    }
  }

  private static HttpResponse<Void> put(PresignedRequest upload, String contentType, byte[] body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(upload.url()))
            .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
    upload.headers().entrySet().stream()
        .filter(h -> !RESTRICTED.contains(h.getKey().toLowerCase()))
        .filter(h -> !h.getKey().equalsIgnoreCase("content-type"))
        .forEach(h -> request.header(h.getKey(), h.getValue()));
    request.header("Content-Type", contentType);
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.discarding());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse<byte[]> get(PresignedRequest download) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(download.url())).GET();
    download.headers().entrySet().stream()
        .filter(h -> !RESTRICTED.contains(h.getKey().toLowerCase()))
        .forEach(h -> request.header(h.getKey(), h.getValue()));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static Optional<StoredObject> head(String key) throws Exception {
    return store.head(key).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
