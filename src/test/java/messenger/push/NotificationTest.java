package messenger.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class NotificationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode parse(Notification n) throws Exception {
    return JSON.readTree(n.toJson());
  }

  @Test
  void thePayloadCarriesEveryField() throws Exception {
    JsonNode json = parse(new Notification("c-1", 4, "lunch?", "Alice", 99));
    assertEquals("c-1", json.get("conversationId").asText());
    assertEquals(4, json.get("unreadCount").asInt());
    assertEquals(99, json.get("latestSeq").asLong());
    assertEquals("Alice", json.get("senderName").asText());
    assertEquals("lunch?", json.get("preview").asText());
  }

  @Test
  void withPreviewsOffThePayloadHasNoPreviewAtAll() throws Exception {
    JsonNode json = parse(new Notification("c-1", 1, null, null, 1));
    assertFalse(json.has("preview"));
    assertFalse(json.has("senderName"));
  }

  @Test
  void aLongPreviewIsCutShortSoThePayloadFits() throws Exception {
    Notification n = new Notification("c-1", 1, "€".repeat(5000), "Alice", 1);
    byte[] payload = n.toJson();
    assertTrue(payload.length <= Notification.MAX_PAYLOAD_BYTES, payload.length + " bytes");
    String preview = JSON.readTree(payload).get("preview").asText();
    assertTrue(preview.endsWith("…"));
    assertTrue(preview.length() > 100, "keeps as much as fits, not just a stub");
  }

  @Test
  void escapesAndSurrogatePairsStillFitAndAreNotSplit() throws Exception {
    String hostile = "\u0001😀".repeat(2000);
    byte[] payload = new Notification("c-1", 1, hostile, "😀".repeat(500), 1).toJson();
    assertTrue(payload.length <= Notification.MAX_PAYLOAD_BYTES, payload.length + " bytes");
    JsonNode json = JSON.readTree(payload);
    assertEquals(
        Notification.MAX_SENDER_CHARS, json.get("senderName").asText().codePoints().count());
    String preview = json.get("preview").asText();
    for (int i = 0; i < preview.length(); i++) {
      if (Character.isHighSurrogate(preview.charAt(i))) {
        assertTrue(Character.isLowSurrogate(preview.charAt(++i)), "no half emoji at " + i);
      }
    }
  }

  @Test
  void aNotificationNeedsAConversationAndANonNegativeCount() {
    assertThrows(IllegalArgumentException.class, () -> new Notification(" ", 1, null, null, 1));
    assertThrows(IllegalArgumentException.class, () -> new Notification("c", -1, null, null, 1));
  }
}
