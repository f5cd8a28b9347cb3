package messenger.testing;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A headless Chromium driven by Playwright for the web client's end-to-end tests.
 *
 * <p>Uses the system's Chromium when there is one ({@code CHROMIUM_PATH}, else Debian's {@code
 * /usr/bin/chromium}, which {@code .ci/run} installs), and tells Playwright not to download its
 * own. Without one, Playwright downloads its Chromium on first use, so {@code ./mvnw verify} also
 * works on a machine where nothing was installed by hand.
 */
public final class Chromium implements AutoCloseable {

  /**
   * Flags for a machine without network beyond loopback: without the background-networking ones
   * Chromium keeps trying to reach its update and sync services, and hangs on them.
   */
  private static final List<String> FLAGS =
      List.of(
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--disable-dev-shm-usage");

  private final Playwright playwright;
  private final Browser browser;

  private Chromium(Playwright playwright, Browser browser) {
    this.playwright = playwright;
    this.browser = browser;
  }

  public static Chromium launch() {
    Optional<Path> system = systemChromium();
    Playwright playwright =
        Playwright.create(
            new Playwright.CreateOptions()
                .setEnv(
                    system.isPresent()
                        ? Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
                        : Map.of()));
    try {
      // Playwright gives every launch a fresh, empty user-data-dir of its own.
      BrowserType.LaunchOptions options =
          new BrowserType.LaunchOptions().setHeadless(true).setArgs(FLAGS);
      system.ifPresent(options::setExecutablePath);
      return new Chromium(playwright, playwright.chromium().launch(options));
    } catch (RuntimeException e) {
      playwright.close();
      throw e;
    }
  }

  public Browser browser() {
    return browser;
  }

  @Override
  public void close() {
    browser.close();
    playwright.close();
  }

  private static Optional<Path> systemChromium() {
    String configured = System.getenv("CHROMIUM_PATH");
    if (configured != null && !configured.isBlank()) return Optional.of(Path.of(configured));
    Path debian = Path.of("/usr/bin/chromium");
    return Files.isExecutable(debian) ? Optional.of(debian) : Optional.empty();
  }
}
