package messenger.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import messenger.media.ObjectStoreSettings;
import messenger.media.S3ObjectStore;
import messenger.media.StoredObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The embedded S3Proxy's life: its keys and objects outlast a restart, and close ends it. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class S3ProxyLauncherIntegrationTest {

  private final Path dir =
      Path.of("target", "s3proxy-launcher-it", UUID.randomUUID().toString().substring(0, 8));

  @Test
  void aRestartOnTheSameDataDirKeepsTheCredentialsAndTheObjects() throws Exception {
    int port = freePort();
    S3ProxyLauncher.Credentials first;
    try (S3ProxyLauncher s3 = S3ProxyLauncher.start(new S3ProxyLauncher.Settings(dir, port));
        S3ObjectStore store = store(s3)) {
      first = s3.credentials();
      store.ensureBucket().toCompletableFuture().get(30, TimeUnit.SECONDS);
      putThroughPresignedUrl(store, "kept", "still here");
    }
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(dir.resolve("credentials.properties"))));

    try (S3ProxyLauncher s3 = S3ProxyLauncher.start(new S3ProxyLauncher.Settings(dir, port));
        S3ObjectStore store = store(s3)) {
      assertEquals(first, s3.credentials());
      assertEquals(
          Optional.of(new StoredObject(10, "text/plain")),
          store.head("kept").toCompletableFuture().get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void closeStopsTheProcess() throws Exception {
    S3ProxyLauncher s3 = S3ProxyLauncher.start(new S3ProxyLauncher.Settings(dir, freePort()));
    ProcessHandle process = ProcessHandle.of(s3.pid()).orElseThrow();

    s3.close();

    assertFalse(process.isAlive());
    assertFalse(s3.isAlive());
    assertFalse(Files.exists(dir.resolve("s3proxy.pid")));
  }

  @Test
  void aSecondStartOnADataDirInUseByALiveServerIsRefused() throws Exception {
    try (S3ProxyLauncher running =
        S3ProxyLauncher.start(new S3ProxyLauncher.Settings(dir, freePort()))) {
      IOException e =
          assertThrows(
              IOException.class,
              () -> S3ProxyLauncher.start(new S3ProxyLauncher.Settings(dir, freePort())));
      assertTrue(e.getMessage().contains("belongs to a running JVM"), e.getMessage());
      assertTrue(running.isAlive());
    }
  }

  @Test
  void aTakenPortFailsTheStartAndNamesThePort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      IOException e =
          assertThrows(
              IOException.class,
              () -> S3ProxyLauncher.start(new S3ProxyLauncher.Settings(dir, taken.getLocalPort())));
      assertTrue(
          e.getMessage().contains(":" + taken.getLocalPort() + " is in use"), e.getMessage());
    }
  }

  private static S3ObjectStore store(S3ProxyLauncher s3) {
    return S3ObjectStore.create(
        new ObjectStoreSettings(
            s3.endpoint().toString(),
            "",
            "us-east-1",
            "restart-test",
            s3.credentials().accessKey(),
            s3.credentials().secretKey(),
            new ObjectStoreSettings.Embedded(0, Path.of("unused"))));
  }

  private static void putThroughPresignedUrl(S3ObjectStore store, String key, String text)
      throws Exception {
    byte[] body = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    var upload = store.presignUpload(key, "text/plain", body.length, Duration.ofMinutes(1));
    var request =
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(upload.url()))
            .header("Content-Type", "text/plain")
            .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    int status =
        java.net.http.HttpClient.newHttpClient()
            .send(request, java.net.http.HttpResponse.BodyHandlers.discarding())
            .statusCode();
    assertEquals(200, status);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
