package messenger.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import messenger.testing.Chromium;
import messenger.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Edits, deletions for everyone and reactions in the web client, two people in two browser contexts
 * of headless Chromium against the real server and Cassandra: what one does reaches the other's
 * page through the log's amendment entries. Screenshots go to {@code target/screenshots/}.
 */
@Timeout(180)
class WebClientRichMessagesTest {

  private static final String THUMBS_UP = "\uD83D\uDC4D";
  private static final String HEART = "\u2764\uFE0F";

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
  void theUpArrowInAnEmptyComposerEditsMyLastMessageAndTheOtherPageShowsItEdited() {
    ChatPage alice = person("alice").register();
    ChatPage bob = person("bob").register();
    alice.startChatWith(bob.username);
    alice.send("Meet at the crag at 5");
    alice.send("Bring the long rope");
    bob.open(alice.username);
    assertThat(bob.message("Bring the long rope")).hasCount(1);

    Locator composer = alice.field("Message");
    composer.press("ArrowUp");
    assertThat(composer).hasValue("Bring the long rope");
    assertThat(alice.page.locator("#composer-context")).containsText("Editing");
    composer.fill("Bring the long rope and the stick clip");
    composer.press("Enter");

    for (ChatPage page : List.of(alice, bob)) {
      Locator edited = page.message("Bring the long rope and the stick clip");
      assertThat(edited.locator(".edited")).hasText("edited");
      assertThat(page.bodies())
          .hasText(
              new String[] {"Meet at the crag at 5", "Bring the long rope and the stick clip"});
    }
    assertThat(composer).hasValue("");
    assertThat(alice.page.locator("#composer-context")).isHidden();
    bob.screenshot("rich-edited");

    // The Edit action does the same for an older message; Escape leaves it as it was.
    alice.act("Meet at the crag at 5", "Edit");
    assertThat(composer).hasValue("Meet at the crag at 5");
    composer.press("Escape");
    assertThat(composer).hasValue("");
    alice.act("Meet at the crag at 5", "Edit");
    composer.fill("Meet at the crag at 6");
    composer.press("Enter");
    assertThat(bob.message("Meet at the crag at 6").locator(".edited")).hasCount(1);
    assertThat(bob.message("Meet at the crag at 5")).hasCount(0);
  }

  @Test
  void aDeletionForEveryoneLeavesATombstoneOnBothPagesAndNoneOfTheOldTextInTheDom() {
    ChatPage alice = person("alice").register();
    ChatPage bob = person("bob").register();
    alice.startChatWith(bob.username);
    String secret = "the door code is " + UUID.randomUUID().toString().substring(0, 6);
    alice.send("Hi Bob");
    alice.send(secret);
    bob.open(alice.username);
    assertThat(bob.message(secret)).hasCount(1);

    // Cancel in the dialog keeps the message.
    alice.act(secret, "Delete");
    Locator dialog = alice.page.locator("#delete-dialog");
    assertThat(dialog).isVisible();
    alice.screenshot("rich-delete-confirm");
    dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Cancel")).click();
    assertThat(dialog).isHidden();
    assertThat(alice.message(secret)).hasCount(1);

    alice.act(secret, "Delete");
    dialog
        .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete for everyone"))
        .click();
    for (ChatPage page : List.of(alice, bob)) {
      assertThat(page.tombstones()).hasCount(1);
      assertThat(page.tombstones()).containsText("Message deleted");
      assertThat(page.message(secret)).hasCount(0);
      assertThat(page.message("Hi Bob")).hasCount(1);
      assertThat(page.conversation(page == alice ? bob.username : alice.username))
          .containsText("Message deleted");
      assertFalse(page.page.content().contains(secret), page.username + "'s DOM has the old text");
    }
    // A tombstone offers nothing to do.
    assertThat(bob.tombstones().locator(".actions")).hasCount(0);
    bob.screenshot("rich-deleted");
  }

  @Test
  void aReactionPickedOnOnePageAndToggledOnTheOtherCountsOnBoth() {
    ChatPage alice = person("alice").register();
    ChatPage bob = person("bob").register();
    alice.startChatWith(bob.username);
    alice.send("Sunny tomorrow, shall we go?");
    bob.open(alice.username);

    bob.act("Sunny tomorrow, shall we go?", "React");
    bob.page
        .getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("React " + THUMBS_UP))
        .click();
    counts(alice, bob, THUMBS_UP, "1", false, true);

    // Alice clicks the chip: hers too.
    alice.reaction("Sunny tomorrow, shall we go?", THUMBS_UP).click();
    counts(alice, bob, THUMBS_UP, "2", true, true);
    alice.screenshot("rich-reactions");

    // Bob clicks it again: his comes off, hers stays.
    bob.reaction("Sunny tomorrow, shall we go?", THUMBS_UP).click();
    counts(alice, bob, THUMBS_UP, "1", true, false);

    alice.act("Sunny tomorrow, shall we go?", "React");
    alice
        .page
        .getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("React " + HEART))
        .click();
    counts(alice, bob, HEART, "1", true, false);
    alice.reaction("Sunny tomorrow, shall we go?", THUMBS_UP).click();
    for (ChatPage page : List.of(alice, bob)) {
      assertThat(page.reaction("Sunny tomorrow, shall we go?", THUMBS_UP)).hasCount(0);
      assertThat(page.message("Sunny tomorrow, shall we go?").locator(".reaction")).hasCount(1);
    }
  }

  @Test
  void aReplyShowsItsQuoteAboveTheComposerAndOnTheMessageAndUnavailableOnceTheOriginalIsGone() {
    ChatPage alice = person("alice").register();
    ChatPage bob = person("bob").register();
    ChatPage carol = person("carol").register();
    String title = "Crag " + UUID.randomUUID().toString().substring(0, 4);
    alice.createGroup(title, bob.username);
    alice.send("Who has the quickdraws?");
    alice.send("And the guidebook?");
    bob.open(title);

    bob.act("Who has the quickdraws?", "Reply");
    Locator context = bob.page.locator("#composer-context");
    assertThat(context).containsText("Replying to " + alice.username);
    assertThat(context).containsText("Who has the quickdraws?");
    bob.screenshot("rich-reply-composer");
    bob.send("I do, all twelve");
    assertThat(context).isHidden();

    for (ChatPage page : List.of(alice, bob)) {
      Locator quote = page.message("I do, all twelve").locator(".quote");
      assertThat(quote.locator(".quote-sender")).hasText(page == alice ? "You" : alice.username);
      assertThat(quote.locator(".quote-text")).hasText("Who has the quickdraws?");
    }
    alice.screenshot("rich-reply");

    // Carol joins after the quoted message: the server says she cannot see it.
    alice.addMember(carol.username);
    bob.act("And the guidebook?", "Reply");
    bob.send("Mine is old");
    carol.open(title);
    assertThat(carol.message("Mine is old").locator(".quote"))
        .hasText("Original message unavailable");

    // The quoted message deleted: its quote shows none of its text any more.
    alice.act("And the guidebook?", "Delete");
    alice
        .page
        .locator("#delete-dialog")
        .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete for everyone"))
        .click();
    for (ChatPage page : List.of(alice, bob)) {
      assertThat(page.message("Mine is old").locator(".quote"))
          .hasText("Original message unavailable");
      assertFalse(page.page.content().contains("And the guidebook?"));
    }
  }

  @Test
  void typingAnAtSignOffersTheGroupsMembersAndPickingOneMentionsThem() {
    ChatPage alice = person("alice").register();
    ChatPage bob = person("bob").register();
    ChatPage carol = person("carol").register();
    String title = "Belay " + UUID.randomUUID().toString().substring(0, 4);
    alice.createGroup(title, bob.username, carol.username);
    alice.send("Plans for Saturday");
    carol.open(title);

    alice.type("Are you in, @car");
    Locator options = alice.page.locator("#mention-list [role=option]");
    assertThat(options).hasCount(1);
    assertThat(options.first()).containsText("@" + carol.username);
    alice.screenshot("rich-mention-completion");
    alice.field("Message").press("Enter");
    assertThat(alice.field("Message")).hasValue("Are you in, @" + carol.username + " ");
    assertThat(alice.page.locator("#mention-list")).isHidden();

    // Every member but me, by a click this time.
    alice.type("or @");
    assertThat(options).hasCount(2);
    alice.page.locator("#mention-list [data-username='" + bob.username + "']").click();
    assertThat(alice.field("Message"))
        .hasValue("Are you in, @" + carol.username + " or @" + bob.username + " ");
    alice.field("Message").press("Enter");

    String sent = "Are you in, @" + carol.username + " or @" + bob.username;
    Locator atCarol = carol.message(sent);
    assertThat(atCarol.locator(".mention"))
        .hasText(new String[] {"@" + carol.username, "@" + bob.username});
    assertThat(atCarol).hasClass(Pattern.compile(".*\\bmentions-me\\b.*"));
    carol.screenshot("rich-mentioned");
  }

  /** The chip of {@code emoji} has {@code count} on both pages, pressed where it is that one's. */
  private static void counts(
      ChatPage alice, ChatPage bob, String emoji, String count, boolean alices, boolean bobs) {
    String text = "Sunny tomorrow, shall we go?";
    for (ChatPage page : List.of(alice, bob)) {
      Locator chip = page.reaction(text, emoji);
      assertThat(chip.locator(".reaction-count")).hasText(count);
      assertThat(chip).hasAttribute("aria-pressed", String.valueOf(page == alice ? alices : bobs));
    }
  }

  private ChatPage person(String name) {
    String username = name + "-" + UUID.randomUUID().toString().substring(0, 6);
    ChatPage page = new ChatPage(chromium.browser(), baseUrl, username, 1100, 720, false);
    pages.add(page);
    return page;
  }
}
