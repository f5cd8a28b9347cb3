package messenger.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One server node as its own JVM, run the way {@code bin/messenger} runs it: {@code messenger.Main}
 * on {@code target/classes} and the class path Maven wrote to {@code target/server.classpath}
 * (package phase, before failsafe runs). Configured through the environment like a deployed node;
 * the seed nodes, which have no environment variable, as {@code -D} options.
 */
final class ServerProcess {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final int index;
  private final int httpPort;
  private final String classpath;
  private final List<String> jvmOptions;
  private final Map<String, String> environment;
  private final Path log;
  private final Path pidFile;
  private Process process;

  ServerProcess(
      int index, int httpPort, List<String> jvmOptions, Map<String, String> environment, Path dir)
      throws IOException {
    this.index = index;
    this.httpPort = httpPort;
    this.environment = Map.copyOf(environment);
    this.log = dir.resolve("logs").resolve("server-" + (index + 1) + ".log");
    this.pidFile = dir.resolve("server-" + (index + 1) + ".pid");
    this.classpath =
        "target/classes:"
            + Files.readString(Path.of("target", "server.classpath"), StandardCharsets.UTF_8)
                .strip();
    this.jvmOptions = List.copyOf(jvmOptions);
  }

  int httpPort() {
    return httpPort;
  }

  int index() {
    return index;
  }

  /**
   * @param seedNodes the Artery addresses of the seed nodes, in the order the node tries them
   */
  synchronized void launch(List<String> seedNodes) throws IOException {
    Files.createDirectories(log.getParent());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Djava.util.concurrent.ForkJoinPool.common.parallelism=4");
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.addAll(jvmOptions);
    for (int i = 0; i < seedNodes.size(); i++) {
      command.add("-Dakka.cluster.seed-nodes." + i + "=" + seedNodes.get(i));
    }
    command.add("-cp");
    command.add(classpath);
    command.add("messenger.Main");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(environment);
    process = builder.start();
    process.getOutputStream().close();
    Files.writeString(pidFile, process.pid() + "\n");
  }

  /**
   * Polls {@code /health/ready} (an Up cluster member) until it answers 200; fails if the JVM dies.
   */
  void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ready()) {
      Process p = current();
      if (p == null || !p.isAlive()) {
        throw new AssertionError(
            "server node " + (index + 1) + " exited while starting; see " + log.toAbsolutePath());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "server node "
                + (index + 1)
                + " not ready within "
                + timeout
                + "; see "
                + log.toAbsolutePath());
      }
      LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
    }
  }

  boolean ready() {
    try {
      HttpResponse<Void> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health/ready"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** SIGKILL: the node dies without draining, as on a crash or an OOM kill. */
  void kill() {
    Process p = current();
    if (p == null) return;
    p.destroyForcibly();
    awaitExit(p, Duration.ofSeconds(30));
  }

  /** SIGTERM: the node drains its connections and hands off its shards, as on a rolling restart. */
  void stop(Duration grace) {
    Process p = current();
    if (p == null) return;
    p.destroy();
    if (!awaitExit(p, grace)) {
      p.destroyForcibly();
      awaitExit(p, Duration.ofSeconds(30));
    }
  }

  private synchronized Process current() {
    return process;
  }

  private static boolean awaitExit(Process p, Duration timeout) {
    try {
      return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      return false;
    }
  }

  /**
   * Kills the server a killed test JVM left behind in {@code dir}: its ports would refuse this
   * run's nodes. Only a live {@code messenger.Main} whose command line names this directory counts.
   */
  static void killLeftover(Path dir, int index) throws IOException {
    Path pidFile = dir.resolve("server-" + (index + 1) + ".pid");
    if (!Files.isRegularFile(pidFile)) return;
    long pid;
    try {
      pid = Long.parseLong(Files.readString(pidFile).strip());
    } catch (NumberFormatException e) {
      return;
    }
    String marker = dir.toAbsolutePath().toString();
    ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(
            h ->
                h.info()
                    .commandLine()
                    .map(c -> c.contains("messenger.Main") && c.contains(marker))
                    .orElse(false))
        .ifPresent(
            h -> {
              h.destroyForcibly();
              h.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> null).join();
            });
    Files.deleteIfExists(pidFile);
  }
}
