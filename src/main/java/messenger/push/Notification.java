package messenger.push;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import messenger.CborSerializable;

/**
 * What a push tells a device about one conversation. It is a nudge, not the message: the client
 * fetches the messages themselves over its own connection.
 *
 * @param preview text of the latest message, or null when the user turned previews off (the payload
 *     then carries none)
 * @param senderName who wrote the latest message, or null
 * @param latestSeq the conversation's sequence number of the latest message
 */
public record Notification(
    String conversationId, int unreadCount, String preview, String senderName, long latestSeq)
    implements CborSerializable {

  /**
   * Web Push guarantees 4096 bytes of ciphertext, of which RFC 8291's framing takes 103; staying
   * well below leaves room for padding and for push services that count differently.
   */
  public static final int MAX_PAYLOAD_BYTES = 3000;

  static final int MAX_PREVIEW_CHARS = 1000;
  static final int MAX_SENDER_CHARS = 64;
  static final int MAX_CONVERSATION_ID_CHARS = 256;

  private static final ObjectMapper JSON = new ObjectMapper();

  public Notification {
    if (conversationId == null || conversationId.isBlank()) {
      throw new IllegalArgumentException("conversationId is required");
    }
    if (conversationId.length() > MAX_CONVERSATION_ID_CHARS) {
      throw new IllegalArgumentException(
          "conversationId is longer than " + MAX_CONVERSATION_ID_CHARS + " characters");
    }
    if (unreadCount < 0) throw new IllegalArgumentException("unreadCount must not be negative");
  }

  /**
   * The UTF-8 JSON a device receives, at most {@link #MAX_PAYLOAD_BYTES}: {@code conversationId},
   * {@code unreadCount}, {@code latestSeq} and, when present, {@code senderName} and {@code
   * preview}, each cut short with "…" as needed.
   */
  public byte[] toJson() {
    String sender = truncate(senderName, MAX_SENDER_CHARS);
    String text = truncate(preview, MAX_PREVIEW_CHARS);
    byte[] json = write(sender, text);
    // Escapes and multi-byte characters make the byte size hard to predict; halve until it fits.
    while (json.length > MAX_PAYLOAD_BYTES && text != null) {
      int chars = text.codePointCount(0, text.length());
      text = chars <= 1 ? null : truncate(text, chars / 2);
      json = write(sender, text);
    }
    return json;
  }

  private byte[] write(String sender, String text) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("conversationId", conversationId);
    fields.put("unreadCount", unreadCount);
    fields.put("latestSeq", latestSeq);
    if (sender != null) fields.put("senderName", sender);
    if (text != null) fields.put("preview", text);
    try {
      return JSON.writeValueAsBytes(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write a push payload", e);
    }
  }

  /** At most {@code max} code points, the last one an ellipsis if anything was cut. */
  static String truncate(String s, int max) {
    if (s == null || s.codePointCount(0, s.length()) <= max) return s;
    return s.substring(0, s.offsetByCodePoints(0, max - 1)) + "…";
  }
}
