package messenger.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the embedded Cassandra that runs on a data directory by its pid file, and stops one whose
 * launching JVM died without stopping it (a {@code kill -9} of the server): the next start would
 * otherwise find its ports taken and its files in use.
 */
public final class CassandraOrphans {

  private static final Logger log = LoggerFactory.getLogger(CassandraOrphans.class);

  private CassandraOrphans() {}

  /**
   * Stops the Cassandra that a server left running on {@code dataDir} when it was killed without
   * closing its launcher. {@link CassandraLauncher#start} does this itself; call it directly only
   * to make sure nothing runs on a data directory before touching its files. Only a process that
   * runs CassandraDaemon on this data directory and whose launching JVM has gone counts: the pid
   * may have been reused, or a live server may still be using the directory, which is an error.
   */
  public static void stop(Path dataDir) throws IOException, InterruptedException {
    dataDir = dataDir.toAbsolutePath().normalize();
    Path pidFile = dataDir.resolve("cassandra.pid");
    Optional<ProcessHandle> found = runningOn(dataDir);
    if (found.isEmpty()) {
      Files.deleteIfExists(pidFile);
      return;
    }
    ProcessHandle orphan = found.get();
    Optional<ProcessHandle> parent = orphan.parent();
    if (parent.isPresent() && isJava(parent.get())) {
      throw new IOException(
          "The Cassandra in "
              + dataDir
              + " (pid "
              + orphan.pid()
              + ") belongs to a running JVM (pid "
              + parent.get().pid()
              + "). Stop that server or give this one another data directory and ports.");
    }
    log.warn(
        "Stopping Cassandra (pid {}) on {}: the JVM that started it is gone",
        orphan.pid(),
        dataDir);
    orphan.destroy();
    if (!awaitExit(orphan, CassandraLauncher.STOP_GRACE)) {
      orphan.destroyForcibly();
      if (!awaitExit(orphan, CassandraLauncher.KILL_GRACE)) {
        throw new IOException("Could not stop the orphaned Cassandra (pid " + orphan.pid() + ")");
      }
    }
    Files.deleteIfExists(pidFile);
  }

  /** The Cassandra that runs on {@code dataDir} according to its pid file, if any. */
  public static Optional<ProcessHandle> runningOn(Path dataDir) throws IOException {
    dataDir = dataDir.toAbsolutePath().normalize();
    Path pidFile = dataDir.resolve("cassandra.pid");
    if (!Files.isRegularFile(pidFile)) return Optional.empty();
    String content = Files.readString(pidFile, StandardCharsets.UTF_8).strip();
    Optional<ProcessHandle> found;
    try {
      found = ProcessHandle.of(Long.parseLong(content));
    } catch (NumberFormatException e) {
      found = Optional.empty();
    }
    Path dir = dataDir;
    return found.filter(h -> h.isAlive() && isOurCassandra(h, dir));
  }

  private static boolean isOurCassandra(ProcessHandle handle, Path dataDir) {
    String commandLine = commandLine(handle);
    return commandLine.contains(CassandraLauncher.MAIN_CLASS)
        && commandLine.contains(dataDir.resolve("cassandra.yaml").toUri().toString());
  }

  private static String commandLine(ProcessHandle handle) {
    Path proc = Path.of("/proc", Long.toString(handle.pid()), "cmdline");
    try {
      if (Files.isReadable(proc))
        return Files.readString(proc, StandardCharsets.UTF_8).replace('\0', ' ');
    } catch (IOException e) {
      // The process exited meanwhile; fall back to what the JDK can tell.
    }
    return handle.info().commandLine().orElse("");
  }

  private static boolean isJava(ProcessHandle handle) {
    return handle.info().command().map(c -> c.endsWith("/java")).orElse(false);
  }

  private static boolean awaitExit(ProcessHandle handle, Duration timeout)
      throws InterruptedException {
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
