package messenger.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import messenger.testing.Chromium;
import messenger.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The web client served at {@code /}, in headless Chromium against the real server and Cassandra:
 * people register, find each other, chat, go away and come back. Screenshots of the main screens go
 * to {@code target/screenshots/}.
 */
@Timeout(180)
class WebClientEndToEndTest {

  private static Chromium chromium;
  private static String baseUrl;
  private final List<ChatPage> pages = new ArrayList<>();

  @BeforeAll
  static void start() {
    baseUrl = "http://127.0.0.1:" + TestServer.shared().httpPort() + "/";
    chromium = Chromium.launch();
    // Two cores shared with Cassandra and the server: give the page time, never a fixed sleep.
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
  void twoPeopleFindEachOtherAndChatBothWaysWithTicksTypingAndPresence() {
    ChatPage alice = person("alice");
    alice.screenshot("login");
    alice.register();
    ChatPage bob = person("bob").register();

    alice.startChatWith(bob.username);
    assertThat(alice.page.locator("#chat-subtitle")).hasText("online");
    alice.send("Hi Bob, are you there?");
    assertThat(alice.tickOf("Hi Bob"))
        .hasAttribute("data-status", Pattern.compile("sent|delivered"));

    // Bob's list shows the new conversation with its preview and one unread message.
    Locator fromAlice = bob.conversation(alice.username);
    assertThat(fromAlice).containsText("Hi Bob, are you there?");
    assertThat(fromAlice.locator(".unread")).hasText("1");
    assertThat(alice.tickOf("Hi Bob")).hasAttribute("data-status", "delivered");
    bob.screenshot("conversation-list");

    bob.open(alice.username);
    assertThat(bob.message("Hi Bob")).hasCount(1);
    assertThat(fromAlice.locator(".unread")).hasCount(0);
    assertThat(alice.tickOf("Hi Bob")).hasAttribute("data-status", "read");

    bob.type("Yes");
    assertThat(alice.page.locator("#typing")).hasText(bob.username + " is typing…");
    bob.send("Yes! Climbing tonight?");
    assertThat(alice.message("Climbing tonight?")).hasCount(1);
    assertThat(alice.page.locator("#typing")).hasText("");
    assertThat(bob.tickOf("Climbing tonight?")).hasAttribute("data-status", "read");

    alice.send("Sure, 7 pm");
    assertThat(bob.message("Sure, 7 pm")).hasCount(1);
    assertThat(alice.tickOf("Sure, 7 pm")).hasAttribute("data-status", "read");
    assertThat(alice.bodies())
        .hasText(new String[] {"Hi Bob, are you there?", "Yes! Climbing tonight?", "Sure, 7 pm"});
    assertThat(bob.bodies())
        .hasText(new String[] {"Hi Bob, are you there?", "Yes! Climbing tonight?", "Sure, 7 pm"});
    alice.screenshot("chat");

    bob.close();
    pages.remove(bob);
    assertThat(alice.page.locator("#chat-subtitle")).hasText(Pattern.compile("last seen .*"));

    // Logging out revokes the token on the server, not only in the tab.
    String token =
        (String)
            alice.page.evaluate("JSON.parse(sessionStorage.getItem('messenger.session')).token");
    alice.page.locator("#logout").click();
    assertThat(alice.page.locator("#login")).isVisible();
    var api = new messenger.testing.Api(TestServer.shared().httpPort());
    messenger.testing.Polling.until(
        java.time.Duration.ofSeconds(10),
        () -> api.get("/api/v1/conversations", token).status() == 401,
        "the logged-out token is refused");
  }

  @Test
  void someoneWhoWasAwaySeesEveryMessageOnceAndInOrder() {
    ChatPage alice = person("alice").register();
    ChatPage bob = person("bob").register();
    alice.startChatWith(bob.username);
    alice.send("before you left");
    assertThat(bob.conversation(alice.username)).containsText("before you left");

    bob.close(); // the whole browser context: storage, page and socket
    pages.remove(bob);
    assertThat(alice.page.locator("#chat-subtitle")).hasText(Pattern.compile("last seen .*"));

    List<String> missed =
        IntStream.rangeClosed(1, 30).mapToObj(i -> String.format("missed %02d", i)).toList();
    missed.forEach(alice::send);
    assertThat(alice.page.locator("#messages .message.pending")).hasCount(0);
    assertThat(alice.bodies()).hasCount(31);

    ChatPage back = person(bob.username, 1100, 720, true).logIn();
    Locator fromAlice = back.conversation(alice.username);
    assertThat(fromAlice).containsText("missed 30");
    assertThat(fromAlice.locator(".unread"))
        .hasText("31"); // "before you left" was never read either
    back.open(alice.username);
    assertThat(back.message("missed 30")).isVisible();
    // History comes in pages of 20: the older ones arrive as the reader scrolls up.
    back.scrollToTop();
    assertThat(back.page.locator("#messages .history-note")).hasText("Start of the conversation");

    List<String> expected = new ArrayList<>(List.of("before you left"));
    expected.addAll(missed);
    assertThat(back.bodies()).hasText(expected.toArray(String[]::new));
    assertUniqueMessageIds(back);
    back.screenshot("caught-up");

    // A network failure while open: the page says so, reconnects with backoff and catches up from
    // its acknowledged cursor, still without duplicates.
    back.refuseConnections(true);
    back.dropConnection();
    assertThat(back.page.locator("#connection")).hasAttribute("data-state", "reconnecting");
    assertThat(back.page.locator("#connection")).hasText(Pattern.compile("Reconnecting.*"));
    List<String> duringOutage = List.of("while offline 1", "while offline 2", "while offline 3");
    duringOutage.forEach(alice::send);
    assertThat(alice.page.locator("#messages .message.pending")).hasCount(0);
    back.refuseConnections(false);
    back.connected();
    expected.addAll(duringOutage);
    assertThat(back.bodies()).hasText(expected.toArray(String[]::new));
    assertUniqueMessageIds(back);
    assertThat(alice.tickOf("while offline 3")).hasAttribute("data-status", "read");
  }

  @Test
  void aGroupOfThree() {
    ChatPage alice = person("alice").register();
    ChatPage bob = person("bob").register();
    ChatPage carol = person("carol").register();
    String title = "Climbing " + UUID.randomUUID().toString().substring(0, 4);

    alice.createGroup(title, bob.username);
    alice.send("Just us two so far");
    assertThat(bob.conversation(title)).containsText("Just us two so far");

    alice.addMember(carol.username);
    assertThat(alice.page.locator("#messages .system")).containsText("You added " + carol.username);
    alice.send("Welcome Carol!");

    for (ChatPage member : List.of(bob, carol)) {
      assertThat(member.conversation(title)).containsText("Welcome Carol!");
      member.open(title);
      assertThat(member.message("Welcome Carol!").locator(".sender")).hasText(alice.username);
    }
    // Carol joined after the first message: the group's earlier history is not hers.
    assertThat(carol.bodies()).hasText(new String[] {"Welcome Carol!"});
    assertThat(alice.tickOf("Welcome Carol!")).hasAttribute("data-status", "read");

    bob.send("Hi both");
    carol.type("Hel");
    assertThat(alice.page.locator("#typing")).hasText(carol.username + " is typing…");
    carol.send("Hello!");
    for (ChatPage member : List.of(alice, bob, carol)) {
      assertThat(member.bodies().last()).hasText("Hello!");
      assertThat(member.message("Hi both")).hasCount(1);
    }
    assertThat(carol.tickOf("Hello!")).hasAttribute("data-status", "read");
    assertThat(carol.conversation(title)).containsText("You: Hello!");
    carol.screenshot("group");

    // At phone width the list and the chat take turns.
    ChatPage phone = person(bob.username, 390, 780, false).logIn();
    assertThat(phone.conversation(title)).containsText("Hello!");
    phone.screenshot("phone-list");
    phone.open(title);
    assertThat(phone.page.locator(".sidebar")).isHidden();
    assertThat(phone.message("Hello!")).isVisible();
    phone.screenshot("phone-chat");
    phone.page.getByLabel("Back to conversations").click();
    assertThat(phone.page.locator(".sidebar")).isVisible();
  }

  private ChatPage person(String name) {
    return person(name, 1100, 720, false);
  }

  private ChatPage person(String name, int width, int height, boolean controlledNetwork) {
    String username =
        name.contains("-") ? name : name + "-" + UUID.randomUUID().toString().substring(0, 6);
    ChatPage page =
        new ChatPage(chromium.browser(), baseUrl, username, width, height, controlledNetwork);
    pages.add(page);
    return page;
  }

  private static void assertUniqueMessageIds(ChatPage page) {
    List<String> ids =
        page.page.locator("#messages [data-message-id]").all().stream()
            .map(l -> l.getAttribute("data-message-id"))
            .toList();
    assertEquals(ids.size(), new HashSet<>(ids).size(), "each message once: " + ids);
    assertTrue(ids.size() > 0);
  }
}
