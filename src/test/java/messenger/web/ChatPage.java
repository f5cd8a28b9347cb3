package messenger.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.google.gson.JsonObject;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.WebSocketRoute;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FilePayload;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * One person using the web client in a browser context of their own (own storage, own WebSocket),
 * driven the way a person does: through labels, buttons and the Enter key.
 *
 * <p>The page's WebSocket goes through Playwright's WebSocket routing, which passes every frame on
 * unchanged; {@link #dropConnection()} and {@link #refuseConnections} stand for a network that
 * fails, so the reconnect and catch-up path runs in a real browser.
 */
final class ChatPage implements AutoCloseable {

  static final String PASSWORD = "correct horse";

  final String username;
  final BrowserContext context;
  final Page page;
  private final List<String> pageErrors = new CopyOnWriteArrayList<>();
  private final List<WebSocketRoute> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean refusing;
  private CDPSession devTools;

  /**
   * @param controlledNetwork route the WebSocket through Playwright, for {@link #dropConnection}
   *     and {@link #refuseConnections}; Playwright does that by replacing the page's WebSocket
   *     class, so the other pages keep the browser's own, on which the page's CSP is really
   *     enforced
   */
  ChatPage(
      Browser browser,
      String baseUrl,
      String username,
      int width,
      int height,
      boolean controlledNetwork) {
    this.username = username;
    this.context =
        browser.newContext(new Browser.NewContextOptions().setViewportSize(width, height));
    context.setDefaultTimeout(15_000);
    if (controlledNetwork) routeWebSocket();
    this.page = context.newPage();
    // Script errors and CSP violations end up here; a test fails on any.
    page.onPageError(error -> pageErrors.add(error));
    page.onConsoleMessage(
        message -> {
          if ("error".equals(message.type())) pageErrors.add(message.text());
        });
    page.navigate(baseUrl);
  }

  private void routeWebSocket() {
    context.routeWebSocket(
        Pattern.compile(".*/api/v1/ws.*"),
        socket -> {
          if (refusing) {
            socket.close();
            return;
          }
          socket.connectToServer();
          sockets.add(socket);
        });
  }

  ChatPage register() {
    field("Username").fill(username);
    field("Password").fill(PASSWORD);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Register")).click();
    return connected();
  }

  ChatPage logIn() {
    field("Username").fill(username);
    field("Password").fill(PASSWORD);
    field("Password").press("Enter");
    return connected();
  }

  ChatPage connected() {
    assertThat(page.locator("#connection")).hasAttribute("data-state", "connected");
    return this;
  }

  void startChatWith(String other) {
    field("Start a chat with username").fill(other);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Chat").setExact(true))
        .click();
    assertThat(page.locator("#chat-title")).hasText(other);
  }

  void createGroup(String title, String... members) {
    page.getByText("New group").click();
    field("Group name").fill(title);
    field("Members (usernames, comma separated)").fill(String.join(", ", members));
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create group")).click();
    assertThat(page.locator("#chat-title")).hasText(title);
  }

  void addMember(String member) {
    field("Add member by username").fill(member);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add").setExact(true))
        .click();
  }

  /** Types into the composer and presses Enter, as a person does. */
  void send(String text) {
    Locator composer = field("Message");
    composer.fill(text);
    composer.press("Enter");
  }

  /** Picks files with the paperclip's file picker. */
  void attach(FilePayload... files) {
    page.locator("#composer-file").setInputFiles(files);
  }

  /** Drops a file on the conversation, as a drag from the desktop does. */
  void drop(FilePayload file) {
    dispatchWithFile(
        file,
        "dt => document.querySelector('#chat-pane').dispatchEvent("
            + "new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}))");
  }

  /** Pastes a file into the composer, as pasting a copied image does. */
  void paste(FilePayload file) {
    dispatchWithFile(
        file,
        "dt => document.querySelector('#composer-input').dispatchEvent("
            + "new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true}))");
  }

  private void dispatchWithFile(FilePayload file, String dispatch) {
    page.evaluate(
        "([name, mime, base64]) => {"
            + " const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));"
            + " const dt = new DataTransfer();"
            + " dt.items.add(new File([bytes], name, {type: mime}));"
            + " ("
            + dispatch
            + ")(dt); }",
        List.of(file.name, file.mimeType, Base64.getEncoder().encodeToString(file.buffer)));
  }

  /** The files waiting in the composer. */
  Locator chips() {
    return page.locator("#composer-files .chip");
  }

  void type(String text) {
    field("Message").pressSequentially(text);
  }

  Locator field(String label) {
    return page.getByLabel(label, new Page.GetByLabelOptions().setExact(true));
  }

  Locator conversation(String title) {
    return page.locator(".conversation").filter(new Locator.FilterOptions().setHasText(title));
  }

  void open(String title) {
    conversation(title).getByRole(AriaRole.BUTTON).click();
    assertThat(page.locator("#chat-title")).hasText(title);
  }

  /** The bodies of the messages shown in the open conversation, system notes excluded. */
  Locator bodies() {
    return page.locator("#messages .message:not(.pending) .body");
  }

  /** The message whose text has {@code text} (not one that only quotes it). */
  Locator message(String text) {
    return page.locator("#messages .message")
        .filter(
            new Locator.FilterOptions()
                .setHas(page.locator(".body", new Page.LocatorOptions().setHasText(text))));
  }

  Locator tickOf(String text) {
    return message(text).locator(".tick");
  }

  /**
   * Uses one of a message's actions (Reply, React, Edit, Delete), which show when the pointer is
   * over the message, as a person does.
   */
  void act(String text, String action) {
    Locator message = message(text);
    message.hover();
    message
        .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName(action).setExact(true))
        .click();
  }

  /** The chip of one emoji under a message: its count, and aria-pressed when it is mine. */
  Locator reaction(String text, String emoji) {
    return message(text).locator(".reaction[data-emoji='" + emoji + "']");
  }

  /** Messages deleted for everyone, as the log shows them. */
  Locator tombstones() {
    return page.locator("#messages .message.deleted");
  }

  /** Scrolls the message log to its top, where the page asks for older messages. */
  void scrollToTop() {
    page.locator("#messages").evaluate("log => log.scrollTop = 0");
  }

  /** Breaks the open WebSocket, as a network failure does. */
  void dropConnection() {
    List<WebSocketRoute> open = new ArrayList<>(sockets);
    sockets.clear();
    open.forEach(WebSocketRoute::close);
  }

  /** While true, every new WebSocket fails at once, as it does without a network. */
  void refuseConnections(boolean refuse) {
    this.refusing = refuse;
  }

  /**
   * Limits what the page sends to {@code bytesPerSecond}, as a slow uplink does (Chromium's network
   * emulation, over the DevTools protocol); -1 lifts the limit. Downloads stay unlimited.
   */
  void throttleUploads(int bytesPerSecond) {
    if (devTools == null) {
      devTools = context.newCDPSession(page);
      devTools.send("Network.enable");
    }
    JsonObject conditions = new JsonObject();
    conditions.addProperty("offline", false);
    conditions.addProperty("latency", 0);
    conditions.addProperty("downloadThroughput", -1);
    conditions.addProperty("uploadThroughput", bytesPerSecond);
    devTools.send("Network.emulateNetworkConditions", conditions);
  }

  void screenshot(String name) {
    page.screenshot(
        new Page.ScreenshotOptions().setPath(Path.of("target/screenshots", name + ".png")));
  }

  List<String> pageErrors() {
    return pageErrors;
  }

  @Override
  public void close() {
    context.close();
  }
}
