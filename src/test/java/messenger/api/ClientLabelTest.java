package messenger.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ClientLabelTest {

  @Test
  void theNamedClientWinsOverTheUserAgent() {
    assertEquals("Messenger for Linux", BodyRules.clientLabel("Messenger for Linux", "curl/8"));
  }

  @Test
  void withoutANameTheUserAgentIsUsedAndWithNeitherThereIsNoLabel() {
    assertEquals("curl/8.5.0", BodyRules.clientLabel(null, "curl/8.5.0"));
    assertEquals("curl/8.5.0", BodyRules.clientLabel("  ", "curl/8.5.0"));
    assertNull(BodyRules.clientLabel(null, null));
    assertNull(BodyRules.clientLabel("\u0000\u200e", " "));
  }

  @Test
  void controlAndFormatCharactersGoAndBlanksCollapse() {
    assertEquals("evil app", BodyRules.clientLabel("evil\n\n\u202e app\u0007", null));
  }

  @Test
  void aLongLabelIsCutAtTheLimitWithoutSplittingACharacter() {
    String label = BodyRules.clientLabel("😀".repeat(100), null);

    assertEquals(BodyRules.MAX_CLIENT_LABEL, label.codePointCount(0, label.length()));
    assertEquals("😀".repeat(BodyRules.MAX_CLIENT_LABEL), label);
  }
}
