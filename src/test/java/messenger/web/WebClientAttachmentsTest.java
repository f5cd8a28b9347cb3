package messenger.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FilePayload;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import messenger.testing.Chromium;
import messenger.testing.TestS3;
import messenger.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Files in the web client, in headless Chromium against the real server, Cassandra and S3Proxy: the
 * browser uploads straight to the store over the presigned PUT and shows or downloads over the
 * presigned GET. Screenshots go to {@code target/screenshots/}.
 */
@Timeout(180)
class WebClientAttachmentsTest {

  private static final int IMAGE_WIDTH = 240;
  private static final int IMAGE_HEIGHT = 160;
  private static final Pattern FROM_THE_STORE =
      Pattern.compile("^http://127\\.0\\.0\\.1:" + TestS3.PORT + "/.*");

  private static Chromium chromium;
  private static String baseUrl;
  private final List<ChatPage> pages = new ArrayList<>();

  @BeforeAll
  static void start() {
    baseUrl = "http://127.0.0.1:" + TestServer.shared().httpPort() + "/";
    chromium = Chromium.launch();
    PlaywrightAssertions.setDefaultAssertionTimeout(15_000);
  }

  @AfterAll
  static void stop() {
    if (chromium != null) chromium.close();
  }

  @AfterEach
  void closePages() {
    for (ChatPage page : pages) {
      assertEquals(List.of(), page.pageErrors(), page.username + "'s page reported errors");
      page.close();
    }
  }

  @Test
  void anImagePickedByOneIsShownInlineToTheOtherAndOpensFullSize() {
    ChatPage alice = person("alice").register();
    ChatPage bob = person("bob").register();
    alice.startChatWith(bob.username);

    alice.attach(png("crag.png"));
    assertThat(alice.chips()).hasCount(1);
    assertThat(alice.chips().first()).hasAttribute("data-state", "done");
    assertThat(alice.chips().first()).containsText("crag.png");
    alice.screenshot("attachment-composer");
    alice.send("The crag from above");
    assertThat(alice.chips()).hasCount(0);

    bob.open(alice.username);
    Locator image = bob.message("The crag from above").locator(".image-attachment img");
    assertThat(image).hasAttribute("src", FROM_THE_STORE);
    assertThat(image).hasAttribute("width", String.valueOf(IMAGE_WIDTH));
    loaded(bob.page, image, IMAGE_WIDTH);
    bob.screenshot("attachment-image");

    image.click();
    Locator full = bob.page.locator(".lightbox img");
    assertThat(full).isVisible();
    loaded(bob.page, full, IMAGE_WIDTH);
    bob.screenshot("attachment-full-size");
    bob.page.keyboard().press("Escape");
    assertThat(full).hasCount(0);

    // The sender's own copy shows the same image once stored.
    loaded(alice.page, alice.message("The crag from above").locator("img"), IMAGE_WIDTH);
  }

  @Test
  void aFileArrivesAsADownloadChipThatSavesTheSameBytes() throws IOException {
    ChatPage alice = person("alice").register();
    ChatPage bob = person("bob").register();
    alice.startChatWith(bob.username);
    byte[] notes = "Route notes: 6a+, 7a, 7b\n".repeat(100).getBytes(StandardCharsets.UTF_8);

    alice.attach(new FilePayload("route-notes.txt", "text/plain", notes));
    assertThat(alice.chips().first()).hasAttribute("data-state", "done");
    alice.send("");

    bob.open(alice.username);
    Locator chip = bob.page.locator("#messages .file-attachment");
    assertThat(chip).containsText("route-notes.txt");
    assertThat(chip).containsText("2.4 KB");
    assertThat(bob.conversation(alice.username)).containsText("📎 route-notes.txt");
    bob.screenshot("attachment-file");

    Download download = bob.page.waitForDownload(chip::click);
    assertEquals("route-notes.txt", download.suggestedFilename());
    assertArrayEquals(notes, Files.readAllBytes(download.path()));
  }

  @Test
  void aDroppedAndAPastedFileEachBecomeAChipAndGoTogether() {
    ChatPage alice = person("alice").register();
    ChatPage bob = person("bob").register();
    alice.startChatWith(bob.username);

    alice.drop(png("dropped.png"));
    assertThat(alice.chips()).hasCount(1);
    alice.paste(png("image.png"));
    assertThat(alice.chips()).hasCount(2);
    assertThat(alice.chips().nth(0)).containsText("dropped.png");
    assertThat(alice.chips().nth(1)).containsText("image.png");
    assertThat(alice.chips().nth(0)).hasAttribute("data-state", "done");
    assertThat(alice.chips().nth(1)).hasAttribute("data-state", "done");
    alice.screenshot("attachment-drop-and-paste");
    alice.send("two ways in");

    bob.open(alice.username);
    Locator images = bob.message("two ways in").locator(".image-attachment img");
    assertThat(images).hasCount(2);
    loaded(bob.page, images.nth(0), IMAGE_WIDTH);
    loaded(bob.page, images.nth(1), IMAGE_WIDTH);
  }

  @Test
  void aRefusedTypeIsExplainedAndThePageKeepsWorking() {
    ChatPage alice = person("alice").register();
    ChatPage bob = person("bob").register();
    alice.startChatWith(bob.username);

    alice.attach(
        new FilePayload("page.html", "text/html", "<p>hi</p>".getBytes(StandardCharsets.UTF_8)));
    Locator refused = alice.chips().first();
    assertThat(refused).hasAttribute("data-state", "failed");
    assertThat(refused).containsText("this type of file cannot be sent");
    alice.screenshot("attachment-refused");

    alice.send("Text still goes");
    assertThat(bob.conversation(alice.username)).containsText("Text still goes");
    assertThat(alice.tickOf("Text still goes"))
        .hasAttribute("data-status", Pattern.compile("sent|delivered|read"));
    // The refused file stays, with its reason, until removed.
    assertThat(refused).hasAttribute("data-state", "failed");
    alice.page.getByLabel("Remove page.html").click();
    assertThat(alice.chips()).hasCount(0);
    // The browser logs the 415 of POST /uploads itself; the page handled it.
    alice.pageErrors().removeIf(e -> e.contains("status of 415"));
  }

  @Test
  void anUploadShowsItsProgressAndTheFileGoesOnceItIsDone() {
    ChatPage alice = person("alice").register();
    ChatPage bob = person("bob").register();
    alice.startChatWith(bob.username);
    // Noise does not compress: some 350 KB, five seconds and more at 64 KB/s.
    FilePayload photo = noise("summit.png", 400, 300);

    alice.throttleUploads(64 * 1024);
    alice.attach(photo);
    Locator chip = alice.chips().first();
    Locator progress =
        chip.getByRole(
            AriaRole.PROGRESSBAR,
            new Locator.GetByRoleOptions().setName("Uploading summit.png").setExact(true));
    assertThat(chip).hasAttribute("data-state", "uploading");
    assertThat(progress).isVisible();
    // Part of the file has gone and part has not: 1 to 99 percent, shown in words as well.
    assertThat(progress).hasAttribute("value", Pattern.compile("^[1-9][0-9]?$"));
    assertThat(chip.locator(".chip-status")).hasText(Pattern.compile("^[0-9]{1,2}%$"));
    alice.screenshot("attachment-progress");

    assertThat(chip)
        .hasAttribute(
            "data-state", "done", new LocatorAssertions.HasAttributeOptions().setTimeout(60_000));
    assertThat(progress).hasCount(0);
    assertThat(chip).containsText("summit.png");
    alice.throttleUploads(-1);
    alice.send("From the top");
    assertThat(alice.chips()).hasCount(0);

    bob.open(alice.username);
    Locator image = bob.message("From the top").locator(".image-attachment img");
    assertThat(image).hasAttribute("src", FROM_THE_STORE);
    loaded(bob.page, image, 400);
  }

  /** The image has loaded from the store, at its full width, not just the preview. */
  private static void loaded(Page page, Locator image, int width) {
    page.waitForFunction(
        "([img, width]) => img.src.startsWith('http') && img.complete && img.naturalWidth === width",
        List.of(image.elementHandle(), width),
        new Page.WaitForFunctionOptions().setTimeout(15_000));
  }

  private static FilePayload png(String name) {
    var image = new BufferedImage(IMAGE_WIDTH, IMAGE_HEIGHT, BufferedImage.TYPE_INT_RGB);
    var g = image.createGraphics();
    g.setColor(new Color(0x2f6fed));
    g.fillRect(0, 0, IMAGE_WIDTH, IMAGE_HEIGHT);
    g.setColor(Color.ORANGE);
    g.fillOval(IMAGE_WIDTH / 4, IMAGE_HEIGHT / 4, IMAGE_WIDTH / 2, IMAGE_HEIGHT / 2);
    g.dispose();
    var bytes = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new FilePayload(name, "image/png", bytes.toByteArray());
  }

  /** A PNG of random pixels, which PNG cannot compress: about {@code 3 * width * height} bytes. */
  private static FilePayload noise(String name, int width, int height) {
    var image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    var random = new Random(42);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) image.setRGB(x, y, random.nextInt(0x1000000));
    }
    var bytes = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new FilePayload(name, "image/png", bytes.toByteArray());
  }

  private ChatPage person(String name) {
    String username = name + "-" + UUID.randomUUID().toString().substring(0, 6);
    ChatPage page = new ChatPage(chromium.browser(), baseUrl, username, 1100, 720, false);
    pages.add(page);
    return page;
  }
}
