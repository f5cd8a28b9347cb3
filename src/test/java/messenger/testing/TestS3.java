package messenger.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import messenger.media.ObjectStoreSettings;
import messenger.media.S3ObjectStore;
import messenger.storage.S3ProxyLauncher;
import messenger.storage.S3ProxyOrphans;

/**
 * The S3Proxy every test in this JVM shares, as {@link TestCassandra} is the shared Cassandra:
 * started on first use under {@code target/test-s3} (emptied first, so each run is fresh) on port
 * 19100 ({@code -Dtest.s3.port=N} moves it), stopped by a shutdown hook. Nodes under test point at
 * it ({@link #nodeConfig}) instead of each starting their own.
 */
public final class TestS3 {

  public static final int PORT = Integer.getInteger("test.s3.port", 19100);
  public static final Path DATA_DIR = Path.of("target", "test-s3");
  public static final String BUCKET = "test-attachments";

  private static S3ProxyLauncher launcher;
  private static RuntimeException startFailure;

  private TestS3() {}

  /** The running S3Proxy, started on the first call. */
  public static synchronized S3ProxyLauncher launcher() {
    // One failed start is enough: every later test class would otherwise wait out the timeout.
    if (startFailure != null) throw startFailure;
    if (launcher == null) {
      try {
        // One left running by an earlier, killed test JVM must stop before its files go.
        S3ProxyOrphans.stop(DATA_DIR);
        deleteRecursively(DATA_DIR);
        launcher = S3ProxyLauncher.start(new S3ProxyLauncher.Settings(DATA_DIR, PORT));
      } catch (IOException e) {
        startFailure = new UncheckedIOException("The test S3Proxy did not start", e);
        throw startFailure;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        startFailure = new IllegalStateException("Interrupted while starting the test S3Proxy", e);
        throw startFailure;
      }
      Runtime.getRuntime().addShutdownHook(new Thread(launcher::close, "stop-test-s3proxy"));
    }
    return launcher;
  }

  /** The {@code messenger.object-store} settings of a node under test, on the shared S3Proxy. */
  public static Map<String, Object> nodeConfig() {
    S3ProxyLauncher s3 = launcher();
    return Map.of(
        "messenger.object-store.endpoint", s3.endpoint().toString(),
        "messenger.object-store.access-key", s3.credentials().accessKey(),
        "messenger.object-store.secret-key", s3.credentials().secretKey(),
        "messenger.object-store.bucket", BUCKET);
  }

  /** The same, as the environment of a server process. */
  public static Map<String, String> nodeEnvironment() {
    S3ProxyLauncher s3 = launcher();
    return Map.of(
        "MESSENGER_S3_ENDPOINT", s3.endpoint().toString(),
        "MESSENGER_S3_ACCESS_KEY", s3.credentials().accessKey(),
        "MESSENGER_S3_SECRET_KEY", s3.credentials().secretKey(),
        "MESSENGER_S3_BUCKET", BUCKET);
  }

  /**
   * Settings on the shared S3Proxy with {@code bucket} and presigned URLs to {@code
   * publicEndpoint}.
   */
  public static ObjectStoreSettings settings(String bucket, String publicEndpoint) {
    S3ProxyLauncher s3 = launcher();
    return new ObjectStoreSettings(
        s3.endpoint().toString(),
        publicEndpoint,
        "us-east-1",
        bucket,
        s3.credentials().accessKey(),
        s3.credentials().secretKey(),
        new ObjectStoreSettings.Embedded(PORT, DATA_DIR));
  }

  /** A store on the shared S3Proxy whose {@code bucket} exists; the caller closes it. */
  public static S3ObjectStore store(String bucket) {
    S3ObjectStore store = S3ObjectStore.create(settings(bucket, ""));
    try {
      store.ensureBucket().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      store.close();
      throw new IllegalStateException("bucket " + bucket + " could not be made", e);
    }
    return store;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(path);
    }
  }
}
