package messenger.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import messenger.MessengerNode;
import messenger.testing.Api;
import messenger.testing.Chromium;
import messenger.testing.Polling;
import messenger.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The settings screen, blocking and reporting in the web client, people in browser contexts of
 * headless Chromium against a real server and Cassandra: a display name and a password changed (the
 * other page of the same user logged out), the device list and a device logged out from it, the
 * export, a block in a direct conversation and in a group, a report as a moderator then reads it,
 * and a deleted account. The node is one of its own, with an admin token to make a moderator.
 * Screenshots go to {@code target/screenshots/}.
 */
@Timeout(240)
class WebClientAccountTest {

  private static final String ADMIN_TOKEN = "admin-" + UUID.randomUUID();

  private static MessengerNode node;
  private static Api api;
  private static Chromium chromium;
  private static String baseUrl;
  private final List<ChatPage> pages = new ArrayList<>();

  /**
   * Pages this test makes hear a refusal on purpose (a wrong password): Chromium logs each refused
   * request as a console error, which is expected there and nothing else is.
   */
  private final Set<ChatPage> refusedOnPurpose = new HashSet<>();

  private static final Pattern REFUSED_REQUEST =
      Pattern.compile("Failed to load resource: the server responded with a status of 40[13] .*");

  @BeforeAll
  static void start() throws Exception {
    node =
        MessengerNode.start(
            TestServer.isolated("webaccount", Map.of("messenger.admin.token", ADMIN_TOKEN)));
    api = new Api(node.httpPort());
    baseUrl = "http://127.0.0.1:" + node.httpPort() + "/";
    chromium = Chromium.launch();
    PlaywrightAssertions.setDefaultAssertionTimeout(15_000);
  }

  @AfterAll
  static void stop() throws Exception {
    if (chromium != null) chromium.close();
    if (node != null) node.stop();
  }

  @AfterEach
  void closePages() {
    for (ChatPage page : pages) {
      List<String> errors =
          page.pageErrors().stream()
              .filter(
                  e -> !(refusedOnPurpose.contains(page) && REFUSED_REQUEST.matcher(e).matches()))
              .toList();
      assertEquals(List.of(), errors, page.username + "'s page reported errors");
      page.close();
    }
  }

  @Test
  void aNewDisplayNameReachesTheOtherPersonAndAPasswordChangeLogsOutTheOtherPageOnly() {
    ChatPage alice = person("alice").register();
    ChatPage bob = person("bob").register();
    alice.startChatWith(bob.username);
    alice.send("Hello from the old name");
    ChatPage alicesPhone = samePerson(alice).logIn();

    openSettings(alice);
    alice.field("Display name").fill("Alice Liddell");
    button(alice, "Save name").click();
    assertThat(alice.page.locator("#name-status")).containsText("Saved");
    // Bob's page asks for the name again when he opens the conversation.
    bob.conversation(alice.username).getByRole(AriaRole.BUTTON).click();
    assertThat(bob.page.locator("#chat-title")).hasText("Alice Liddell");

    refusedOnPurpose.add(alice);
    refusedOnPurpose.add(alicesPhone);
    alice.field("Current password").fill("not my password");
    alice.field("New password").fill("a brand new secret");
    alice.field("Confirm new password").fill("a brand new secret");
    button(alice, "Change password").click();
    assertThat(alice.page.locator("#password-status"))
        .hasText("Not done: that is not your current password.");

    alice.field("Current password").fill(ChatPage.PASSWORD);
    alice.field("New password").fill("a brand new secret");
    alice.field("Confirm new password").fill("a brand new secret");
    button(alice, "Change password").click();
    assertThat(alice.page.locator("#password-status"))
        .containsText("Your other devices were logged out");
    alice.screenshot("account-password-changed");

    // The other page is back at the login screen and the old password no longer opens it.
    assertThat(alicesPhone.page.locator("#login")).isVisible();
    alicesPhone.field("Username").fill(alice.username);
    alicesPhone.field("Password").fill(ChatPage.PASSWORD);
    alicesPhone.field("Password").press("Enter");
    assertThat(alicesPhone.page.locator("#login-error")).hasText("Wrong username or password.");
    alicesPhone.field("Password").fill("a brand new secret");
    alicesPhone.field("Password").press("Enter");
    alicesPhone.connected();

    // The page that changed it stays logged in and sends.
    button(alice, "‹ Back to chats").click();
    alice.connected();
    alice.send("Still here");
    assertThat(bob.message("Still here")).hasCount(1);
  }

  @Test
  void theDeviceListShowsTheOtherPageWithItsClientLabelAndLogsItOut() {
    ChatPage alice = person("alice").register();
    ChatPage other = samePerson(alice).logIn();

    openSettings(alice);
    Locator devices = alice.page.locator("#device-list .device");
    assertThat(devices).hasCount(2);
    Locator mine = alice.page.locator("#device-list .device.this-device");
    assertThat(mine).containsText("This device");
    assertThat(mine).containsText(Pattern.compile("on Linux"));
    Locator theOther = alice.page.locator("#device-list .device:not(.this-device)");
    assertThat(theOther).containsText("online now");
    assertThat(theOther).containsText(Pattern.compile("on Linux"));
    alice.screenshot("account-devices");

    theOther.getByRole(AriaRole.BUTTON).click();
    assertThat(alice.page.locator("#devices-status")).containsText("was logged out");
    assertThat(devices).hasCount(1);
    assertThat(other.page.locator("#login")).isVisible();
  }

  @Test
  void downloadMyDataSavesAJsonFileOfMyAccountAndMyMessages() throws Exception {
    ChatPage alice = person("alice").register();
    ChatPage bob = person("bob").register();
    alice.startChatWith(bob.username);
    alice.send("A message of mine to export");
    assertThat(alice.tickOf("A message of mine"))
        .hasAttribute("data-status", Pattern.compile("sent|delivered"));

    openSettings(alice);
    Download download = alice.page.waitForDownload(() -> button(alice, "Download my data").click());
    assertEquals("messenger-" + alice.username + "-export.json", download.suggestedFilename());
    JsonNode document = Api.JSON.readTree(Files.readString(download.path()));
    assertEquals(alice.username, document.path("account").path("username").asText());
    assertEquals(
        "A message of mine to export",
        document.path("conversations").path(0).path("messages").path(0).path("body").asText(),
        document::toString);
    assertThat(alice.page.locator("#export-status")).hasText("Downloaded.");
  }

  @Test
  void blockingTheOtherPersonShutsTheComposerRefusesTheirSendsAndAnUnblockOpensItAgain() {
    ChatPage alice = person("alice").register();
    ChatPage bob = person("bob").register();
    alice.startChatWith(bob.username);
    alice.send("Hi Bob");
    bob.open(alice.username);
    assertThat(bob.message("Hi Bob")).hasCount(1);

    Locator toggle = alice.page.locator("#block-toggle");
    assertThat(toggle).hasText("Block");
    toggle.click();
    assertThat(toggle).hasText("Unblock");
    assertThat(alice.page.locator("#chat-notice"))
        .hasText("You blocked " + bob.username + " — unblock to send.");
    assertThat(alice.field("Message")).isDisabled();
    // Presence stops both ways while one blocks the other.
    assertThat(alice.page.locator("#chat-subtitle")).hasText("offline");
    alice.screenshot("account-blocked");

    // Bob is not told, but his send is refused in plain words.
    bob.send("Why no answer?");
    Locator refused = bob.page.locator("#messages .message.pending");
    assertThat(refused).containsText("you cannot send here: one of you blocked the other");
    bob.screenshot("account-blocked-refused");

    toggle.click();
    assertThat(toggle).hasText("Block");
    assertThat(alice.page.locator("#chat-notice")).isHidden();
    assertThat(alice.field("Message")).isEnabled();
    refused.getByRole(AriaRole.BUTTON).click();
    assertThat(alice.message("Why no answer?")).hasCount(1);
    alice.send("Sorry, back now");
    assertThat(bob.message("Sorry, back now")).hasCount(1);
  }

  @Test
  void aGroupMessageFromSomeoneIBlockIsFoldedBehindShowEvenAfterAReload() {
    ChatPage alice = person("alice").register();
    ChatPage bob = person("bob").register();
    ChatPage carol = person("carol").register();
    alice.startChatWith(bob.username);
    alice.page.locator("#block-toggle").click();
    assertThat(alice.page.locator("#block-toggle")).hasText("Unblock");
    alice.createGroup("Climbing", bob.username, carol.username);
    alice.send("Who is in on Saturday?");

    bob.open("Climbing");
    bob.send("Me, and I bring the rope");
    carol.open("Climbing");
    assertThat(carol.message("Me, and I bring the rope")).hasCount(1);

    Locator folded = alice.page.locator("#messages .message.from-blocked");
    assertThat(folded).hasCount(1);
    assertThat(folded).containsText("Message from a blocked user");
    assertThat(alice.message("Me, and I bring the rope")).hasCount(0);
    alice.screenshot("account-group-folded");

    // History marks it fromBlocked too.
    alice.page.reload();
    alice.connected();
    alice.open("Climbing");
    assertThat(folded).hasCount(1);
    folded.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("show")).click();
    assertThat(alice.message("Me, and I bring the rope")).hasCount(1);
    assertThat(folded).hasCount(0);

    // Carol blocks Bob from his group message, and unblocks him in Settings.
    carol.act("Me, and I bring the rope", "Block");
    Locator carolsFolded = carol.page.locator("#messages .message.from-blocked");
    assertThat(carolsFolded).hasCount(1);
    openSettings(carol);
    Locator blocked = carol.page.locator("#blocked-list .blocked-person");
    assertThat(blocked).hasCount(1);
    assertThat(blocked).containsText(bob.username);
    carol.screenshot("account-blocked-people");
    blocked.getByRole(AriaRole.BUTTON).click();
    assertThat(blocked).hasCount(0);
    assertThat(carol.page.locator("#blocked-empty")).isVisible();
    button(carol, "‹ Back to chats").click();
    assertThat(carolsFolded).hasCount(0);
    assertThat(carol.message("Me, and I bring the rope")).hasCount(1);
  }

  @Test
  void aReportedMessageReachesTheModeratorsWithItsReasonNoteAndText() {
    ChatPage alice = person("alice").register();
    ChatPage bob = person("bob").register();
    bob.startChatWith(alice.username);
    String spam = "Cheap watches at " + UUID.randomUUID().toString().substring(0, 6);
    bob.send(spam);
    alice.open(bob.username);
    assertThat(alice.message(spam)).hasCount(1);

    alice.act(spam, "Report");
    Locator dialog = alice.page.locator("#report-dialog");
    assertThat(dialog).isVisible();
    dialog.getByLabel("Reason").selectOption("spam");
    dialog.getByLabel("Note (optional)").fill("ads, again");
    alice.screenshot("account-report");
    dialog
        .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Send report"))
        .click();
    assertThat(dialog).isHidden();
    assertThat(alice.page.locator("#chat-status"))
        .hasText("Thank you: the moderators have your report.");

    Api.User moderator = api.newUser("mod");
    assertEquals(
        200,
        api.put("/api/admin/moderators/" + moderator.userId(), Map.of(), ADMIN_TOKEN).status());
    String reporterId = api.login(alice.username, ChatPage.PASSWORD).userId();
    AtomicReference<String> reportId = new AtomicReference<>();
    Polling.until(
        Duration.ofSeconds(15),
        () -> {
          for (JsonNode r :
              api.get("/api/v1/moderation/reports", moderator.token()).body().path("reports")) {
            if (r.path("reporterId").asText().equals(reporterId))
              reportId.set(r.path("reportId").asText());
          }
          return reportId.get() != null;
        },
        "alice's report in the moderators' open list");
    JsonNode report =
        api.get("/api/v1/moderation/reports/" + reportId.get(), moderator.token()).body();
    assertEquals("spam", report.path("reason").asText(), report::toString);
    assertEquals("ads, again", report.path("note").asText(), report::toString);
    assertEquals(spam, report.path("evidence").path("body").asText(), report::toString);
  }

  @Test
  void aDeletedAccountCannotLogInAgainAndTheOtherPersonSeesDeletedUser() {
    ChatPage alice = person("alice").register();
    ChatPage bob = person("bob").register();
    alice.startChatWith(bob.username);
    alice.send("Goodbye, Bob");
    assertThat(bob.conversation(alice.username)).containsText("Goodbye, Bob");

    openSettings(alice);
    refusedOnPurpose.add(alice);
    alice.field("Password to confirm").fill("not my password");
    button(alice, "Delete my account for good").click();
    assertThat(alice.page.locator("#close-status"))
        .hasText("Not done: that is not your current password.");
    alice.screenshot("account-delete");
    alice.field("Password to confirm").fill(ChatPage.PASSWORD);
    button(alice, "Delete my account for good").click();

    assertThat(alice.page.locator("#login")).isVisible();
    alice.field("Username").fill(alice.username);
    alice.field("Password").fill(ChatPage.PASSWORD);
    alice.field("Password").press("Enter");
    assertThat(alice.page.locator("#login-error")).hasText("Wrong username or password.");

    bob.conversation(alice.username).getByRole(AriaRole.BUTTON).click();
    assertThat(bob.page.locator("#chat-title")).hasText("Deleted user");
    assertThat(bob.page.locator("#chat-subtitle")).hasText("account deleted");
    assertThat(bob.conversation("Deleted user")).hasCount(1);
    assertThat(bob.message("Goodbye, Bob")).hasCount(1);
    assertThat(bob.page.locator("#chat-notice"))
        .hasText("This account was deleted; nobody receives messages here.");
    assertThat(bob.field("Message")).isDisabled();
    bob.screenshot("account-deleted-user");
  }

  private static void openSettings(ChatPage page) {
    button(page, "Settings").click();
    assertThat(page.page.locator("#settings")).isVisible();
    assertThat(page.page.locator("#device-list .device").first()).isVisible();
  }

  private static Locator button(ChatPage page, String name) {
    return page.page.getByRole(
        AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
  }

  private ChatPage person(String name) {
    String username = name + "-" + UUID.randomUUID().toString().substring(0, 6);
    return page(username);
  }

  /** The same user in a second browser context: another device. */
  private ChatPage samePerson(ChatPage person) {
    return page(person.username);
  }

  private ChatPage page(String username) {
    ChatPage page = new ChatPage(chromium.browser(), baseUrl, username, 1100, 720, false);
    pages.add(page);
    return page;
  }
}
