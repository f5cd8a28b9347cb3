package messenger.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import messenger.MessengerNode;
import messenger.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The TypeScript SDK's own tests ({@code clients/js}, {@code npm test}) against this build's real
 * server, so {@code ./mvnw verify} runs them: the server starts in-process as in the other
 * integration tests, and the Node tests reach it through {@code MESSENGER_URL}. Their output goes
 * to this test's output line by line; a failing Node test fails this one. Needs Node 18+ and npm.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class JsSdkIntegrationTest {

  private static final Path SDK = Path.of("clients", "js");
  private static final int HEARTBEAT_TIMEOUT_MS = 3_000;
  private static MessengerNode node;

  @BeforeAll
  static void startNode() throws Exception {
    node =
        MessengerNode.start(
            TestServer.isolated(
                "sdk",
                Map.of(
                    "messenger.delivery.heartbeat-interval",
                    "1s",
                    "messenger.delivery.websocket-connection-timeout",
                    HEARTBEAT_TIMEOUT_MS + "ms")));
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (node != null) node.stop();
  }

  @Test
  void theSdkTestsPassAgainstTheRealServer() throws Exception {
    assertTrue(Files.isRegularFile(SDK.resolve("package.json")), "run from the project root");
    String url = "http://127.0.0.1:" + node.httpPort();
    // `npm ci` installs exactly the committed lock file (typescript, ws and types; nothing at run
    // time).
    boolean locked = Files.isRegularFile(SDK.resolve("package-lock.json"));
    assertEquals(
        0,
        run(
            url,
            locked
                ? List.of("npm", "ci", "--no-audit", "--no-fund")
                : List.of("npm", "install", "--no-audit", "--no-fund")),
        "npm could not install the SDK's dev dependencies");
    assertEquals(0, run(url, List.of("npm", "test")), "the SDK's tests failed (output above)");
  }

  private static int run(String url, List<String> command)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(SDK.toFile());
    builder.environment().put("MESSENGER_URL", url);
    builder
        .environment()
        .put("MESSENGER_HEARTBEAT_TIMEOUT_MS", String.valueOf(HEARTBEAT_TIMEOUT_MS));
    builder.redirectErrorStream(true);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run " + command.get(0) + ": the SDK tests need Node 18+ and npm (README)", e);
    }
    System.out.println("[sdk] $ " + String.join(" ", command));
    Thread pump = new Thread(() -> copyLines(process), "sdk-output");
    pump.setDaemon(true);
    pump.start();
    if (!process.waitFor(8, TimeUnit.MINUTES)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not finish in 8 minutes");
    }
    // The output may still be in the pipe when the process has exited.
    pump.join(TimeUnit.SECONDS.toMillis(10));
    return process.exitValue();
  }

  private static void copyLines(Process process) {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        System.out.println("[sdk] " + line);
      }
    } catch (IOException e) {
      System.out.println("[sdk] (output ended: " + e.getMessage() + ")");
    }
  }
}
