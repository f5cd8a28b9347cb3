package messenger.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the embedded S3Proxy that runs on a data directory by its pid file, and stops one whose
 * launching JVM died without stopping it (a {@code kill -9} of the server): the next start would
 * otherwise find its port taken.
 */
public final class S3ProxyOrphans {

  private static final Logger log = LoggerFactory.getLogger(S3ProxyOrphans.class);

  private S3ProxyOrphans() {}

  /**
   * Stops the S3Proxy a server left running on this data directory when it was killed without
   * closing its launcher; one whose launching JVM still runs is an error (two servers on one
   * directory). {@link S3ProxyLauncher#start} does this itself; call it directly only before
   * deleting the directory.
   */
  public static void stop(Path dataDir) throws IOException, InterruptedException {
    dataDir = dataDir.toAbsolutePath().normalize();
    Path pidFile = dataDir.resolve("s3proxy.pid");
    if (!Files.isRegularFile(pidFile)) return;
    ProcessHandle orphan;
    try {
      orphan =
          ProcessHandle.of(
                  Long.parseLong(Files.readString(pidFile, StandardCharsets.UTF_8).strip()))
              .orElse(null);
    } catch (NumberFormatException e) {
      orphan = null;
    }
    String properties = dataDir.resolve("s3proxy.properties").toString();
    if (orphan != null && orphan.isAlive() && commandLine(orphan).contains(properties)) {
      var parent = orphan.parent();
      if (parent.isPresent() && parent.get().info().command().orElse("").endsWith("/java")) {
        throw new IOException(
            "The S3Proxy in "
                + dataDir
                + " (pid "
                + orphan.pid()
                + ") belongs to a running JVM (pid "
                + parent.get().pid()
                + "). Stop that server or give this one another data directory and port.");
      }
      log.warn(
          "Stopping S3Proxy (pid {}) on {}: the JVM that started it is gone",
          orphan.pid(),
          dataDir);
      orphan.destroy();
      if (!awaitExit(orphan, S3ProxyLauncher.STOP_GRACE)) {
        orphan.destroyForcibly();
        if (!awaitExit(orphan, S3ProxyLauncher.STOP_GRACE)) {
          throw new IOException("Could not stop the orphaned S3Proxy (pid " + orphan.pid() + ")");
        }
      }
    }
    Files.deleteIfExists(pidFile);
  }

  private static String commandLine(ProcessHandle handle) {
    Path proc = Path.of("/proc", Long.toString(handle.pid()), "cmdline");
    try {
      if (Files.isReadable(proc)) {
        return Files.readString(proc, StandardCharsets.UTF_8).replace('\0', ' ');
      }
    } catch (IOException e) {
      // The process exited meanwhile; fall back to what the JDK can tell.
    }
    return handle.info().commandLine().orElse("");
  }

  static boolean awaitExit(ProcessHandle handle, Duration timeout) throws InterruptedException {
    try {
      handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return !handle.isAlive();
    }
  }
}
