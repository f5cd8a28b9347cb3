package messenger.storage;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs S3Proxy as a child JVM: the object store of a development node and of the tests when no
 * external S3 endpoint is configured. Its dependency tree (jclouds, Jetty, an older Guava and
 * Jackson) clashes with the server's, so it gets a class path of its own from Maven Central ({@link
 * MavenClasspath}) instead of sharing ours. Objects are plain files under {@code
 * <dataDir>/objects}; it listens on 127.0.0.1 only and checks AWS signatures (v2 or v4) against an
 * access key and secret generated once per data directory and kept in {@code
 * <dataDir>/credentials.properties}, readable by the owner only ({@link S3ProxyConfigFiles}).
 * {@link #start} returns once it answers HTTP; {@link #close} stops it, and the next start stops
 * one that a killed server left behind ({@link S3ProxyOrphans}).
 */
public final class S3ProxyLauncher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(S3ProxyLauncher.class);

  public static final String VERSION = "2.7.0";
  static final String MAIN_CLASS = "org.gaul.s3proxy.Main";
  static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
  private static final int TAIL_LINES = 40;

  /** Where the embedded store keeps its files, the loopback port it serves on, its start limit. */
  public record Settings(Path dataDir, int port, Duration startupTimeout) {
    public Settings(Path dataDir, int port) {
      this(dataDir, port, Duration.ofSeconds(60));
    }
  }

  /** The identity and secret S3 clients sign with. */
  public record Credentials(String accessKey, String secretKey) {
    @Override
    public String toString() {
      return "Credentials[accessKey=" + accessKey + ", secretKey=<hidden>]";
    }
  }

  private final Process process;
  private final Path pidFile;
  private final URI endpoint;
  private final Credentials credentials;
  private boolean closed;

  private S3ProxyLauncher(Process process, Path pidFile, URI endpoint, Credentials credentials) {
    this.process = process;
    this.pidFile = pidFile;
    this.endpoint = endpoint;
    this.credentials = credentials;
  }

  /**
   * Starts S3Proxy and blocks until it answers HTTP or {@code settings.startupTimeout()} passes. On
   * failure the child is stopped and the exception carries the tail of its output.
   */
  public static S3ProxyLauncher start(Settings settings) throws IOException, InterruptedException {
    long started = System.nanoTime();
    Path dataDir = settings.dataDir().toAbsolutePath().normalize();
    Path logs = Files.createDirectories(dataDir.resolve("logs"));
    Path pidFile = dataDir.resolve("s3proxy.pid");
    S3ProxyOrphans.stop(dataDir);
    requireFree(settings.port());

    String classpath =
        MavenClasspath.of(
            "org.gaul:s3proxy:" + VERSION,
            dataDir.resolveSibling("s3proxy-" + VERSION + ".classpath"),
            "about 45 MB");
    Credentials credentials = S3ProxyConfigFiles.credentials(dataDir);
    URI endpoint = URI.create("http://127.0.0.1:" + settings.port());
    Path properties = S3ProxyConfigFiles.writeProperties(dataDir, endpoint, credentials);
    Path logback = S3ProxyConfigFiles.writeLogback(dataDir);

    Path out = logs.resolve("s3proxy.out");
    Files.writeString(
        out,
        "---- " + Instant.now() + " starting S3Proxy " + VERSION + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    Process process =
        new ProcessBuilder(command(classpath, properties, logback))
            .directory(dataDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
            .start();
    S3ProxyLauncher launcher = new S3ProxyLauncher(process, pidFile, endpoint, credentials);
    try {
      process.getOutputStream().close();
      Files.writeString(pidFile, process.pid() + "\n", StandardCharsets.UTF_8);
      awaitHttp(process, endpoint, settings.startupTimeout(), out);
      log.info(
          "Embedded S3Proxy {} answers on {} after {} ms (pid {}, objects in {})",
          VERSION,
          endpoint,
          (System.nanoTime() - started) / 1_000_000,
          process.pid(),
          dataDir.resolve("objects"));
      return launcher;
    } catch (IOException | InterruptedException | RuntimeException e) {
      launcher.close();
      throw e;
    }
  }

  /** {@code http://127.0.0.1:<port>}. */
  public URI endpoint() {
    return endpoint;
  }

  public Credentials credentials() {
    return credentials;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /**
   * Stops S3Proxy and anything it started: SIGTERM, then a kill after 10 s. Safe to call more than
   * once and from several threads.
   */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    boolean wasAlive = process.isAlive();
    boolean interrupted = false;
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    try {
      for (ProcessHandle handle : tree) {
        if (!S3ProxyOrphans.awaitExit(handle, STOP_GRACE)) {
          log.warn(
              "S3Proxy process {} did not stop within {}, killing it", handle.pid(), STOP_GRACE);
          handle.destroyForcibly();
          S3ProxyOrphans.awaitExit(handle, STOP_GRACE);
        }
      }
    } catch (InterruptedException e) {
      interrupted = true;
      tree.forEach(ProcessHandle::destroyForcibly);
    }
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException e) {
      log.warn("Could not delete {}", pidFile, e);
    }
    if (wasAlive) log.info("Embedded S3Proxy (pid {}) stopped", process.pid());
    if (interrupted) Thread.currentThread().interrupt();
  }

  private static List<String> command(String classpath, Path properties, Path logback) {
    List<String> command = new ArrayList<>();
    // As for Cassandra: Ctrl-C on the server's terminal must not stop the store under it.
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))
        || Files.isExecutable(Path.of("/bin/setsid"))) {
      command.add("setsid");
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Attachments stream through it in small buffers; a development store needs little heap.
    command.add("-Xms32m");
    command.add("-Xmx256m");
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.add("-Djava.net.preferIPv4Stack=true");
    command.add("-Dlogback.configurationFile=" + logback);
    command.add("-cp");
    command.add(classpath);
    command.add(MAIN_CLASS);
    command.add("--properties");
    command.add(properties.toString());
    return command;
  }

  /**
   * Fails fast when something already listens on the port: the child would fail to bind, and the
   * readiness check could succeed against the other process.
   */
  private static void requireFree(int port) throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
    } catch (IOException e) {
      throw new IOException(
          "Cannot start the embedded S3Proxy: port 127.0.0.1:"
              + port
              + " is in use (another S3Proxy or server? `ss -ltnp` shows who); set"
              + " MESSENGER_S3_EMBEDDED_PORT to another port",
          e);
    }
  }

  /** Any HTTP answer counts (an unsigned request gets 403): Jetty is up and S3Proxy serves. */
  private static void awaitHttp(Process process, URI endpoint, Duration timeout, Path out)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest probe =
        HttpRequest.newBuilder(endpoint.resolve("/")).timeout(Duration.ofSeconds(2)).GET().build();
    IOException lastFailure = null;
    while (true) {
      if (!process.isAlive()) {
        throw new IOException(
            "S3Proxy exited with code " + process.exitValue() + " while starting" + tail(out));
      }
      try {
        client.send(probe, HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException e) {
        lastFailure = e;
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(
            "S3Proxy did not answer on "
                + endpoint
                + " within "
                + timeout.toSeconds()
                + " s (last error: "
                + lastFailure
                + ")"
                + tail(out));
      }
      // Waiting on the process rather than sleeping notices its death at once.
      process.waitFor(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return "\n---- last lines of "
          + file
          + ":\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "\n(could not read " + file + ": " + e + ")";
    }
  }
}
