package messenger.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NativePayloadsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-12-03T06:00:00Z");

  /** 1000 four-byte characters: 4000 bytes of preview before any escaping. */
  private static final Notification LONG =
      new Notification("c-1", 2, "\uD83D\uDE00".repeat(1000), "Alice", 9);

  @Test
  void aLongPreviewIsCutUntilTheApnsPayloadFitsApplesLimit() throws Exception {
    String payload = NativePayloads.apns(LONG);

    assertTrue(payload.getBytes(StandardCharsets.UTF_8).length <= NativePayloads.MAX_BYTES);
    String body = JSON.readTree(payload).at("/aps/alert/body").asText();
    assertTrue(body.endsWith("…"), body);
    assertTrue(body.length() > 100, "cut by halves, not dropped");
  }

  @Test
  void aLongPreviewIsCutUntilTheFcmMessageFitsGooglesLimit() throws Exception {
    String body = NativePayloads.fcm("tok", LONG, "topic", Duration.ofMinutes(1), true, NOW);

    assertTrue(body.getBytes(StandardCharsets.UTF_8).length <= NativePayloads.MAX_BYTES);
    JsonNode message = JSON.readTree(body).path("message");
    assertTrue(message.at("/data/preview").asText().endsWith("…"));
    assertEquals("Alice", message.at("/data/senderName").asText());
  }

  @Test
  void theFcmMessageCarriesTtlPriorityAndCollapseKeyForAndroidAndApns() throws Exception {
    JsonNode message =
        JSON.readTree(
                NativePayloads.fcm(
                    "tok",
                    new Notification("c-2", 1, "hi", null, 3),
                    "k1",
                    Duration.ofHours(1),
                    false,
                    NOW))
            .path("message");

    assertEquals("3600s", message.at("/android/ttl").asText());
    assertEquals("NORMAL", message.at("/android/priority").asText());
    assertEquals("k1", message.at("/android/collapse_key").asText());
    assertEquals("5", message.at("/apns/headers/apns-priority").asText());
    assertEquals("k1", message.at("/apns/headers/apns-collapse-id").asText());
    assertEquals(
        Long.toString(NOW.plus(Duration.ofHours(1)).getEpochSecond()),
        message.at("/apns/headers/apns-expiration").asText());
    assertEquals("alert", message.at("/apns/headers/apns-push-type").asText());
  }

  @Test
  void aZeroTtlIsApnsExpirationZeroDeliverNowOrNever() {
    assertEquals(0, NativePayloads.apnsExpiration(Duration.ZERO, NOW));
  }
}
