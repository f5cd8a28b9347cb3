package messenger.push;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * What APNs and FCM carry for a {@link Notification}. Unlike a Web Push, which the browser's
 * service worker turns into a notification, these are shown by the phone itself, so they hold an
 * alert (title: the sender; body: the preview) next to the same fields as the Web Push JSON. With
 * previews off the alert names the app's localised string {@value #NO_PREVIEW_KEY} instead of the
 * text, so nothing of the message reaches Apple, Google or the lock screen.
 */
final class NativePayloads {
  /** Both services refuse payloads over 4096 bytes; keep room for what they add. */
  static final int MAX_BYTES = 3800;

  /** The key of the app's localised "New message" text, used when a push carries no preview. */
  static final String NO_PREVIEW_KEY = "MESSENGER_NEW_MESSAGE";

  private static final ObjectMapper JSON = new ObjectMapper();

  private NativePayloads() {}

  /** The APNs payload: {@code aps} with the alert, and the notification's fields beside it. */
  static String apns(Notification n) {
    String sender = Notification.truncate(n.senderName(), Notification.MAX_SENDER_CHARS);
    String text = Notification.truncate(n.preview(), Notification.MAX_PREVIEW_CHARS);
    String json = write(apnsPayload(n, sender, text));
    // Escapes and multi-byte characters make the size hard to predict; halve until it fits.
    while (bytes(json) > MAX_BYTES && text != null) {
      text = shorter(text);
      json = write(apnsPayload(n, sender, text));
    }
    return json;
  }

  /**
   * The FCM v1 request body: the notification as {@code data} (strings only, as FCM requires) for
   * the Android app to show, an {@code android} block with collapse key, priority and TTL, and an
   * {@code apns} block with the same for iOS apps that receive through FCM.
   *
   * @param collapseKey null for none
   */
  static String fcm(
      String token,
      Notification n,
      String collapseKey,
      Duration ttl,
      boolean highPriority,
      Instant now) {
    String sender = Notification.truncate(n.senderName(), Notification.MAX_SENDER_CHARS);
    String text = Notification.truncate(n.preview(), Notification.MAX_PREVIEW_CHARS);
    String json = write(fcmBody(token, n, sender, text, collapseKey, ttl, highPriority, now));
    while (bytes(json) > MAX_BYTES && text != null) {
      text = shorter(text);
      json = write(fcmBody(token, n, sender, text, collapseKey, ttl, highPriority, now));
    }
    return json;
  }

  private static ObjectNode apnsPayload(Notification n, String sender, String text) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode aps = root.putObject("aps");
    aps.set("alert", alert(sender, text));
    // One thread per conversation in the notification centre.
    aps.put("thread-id", n.conversationId());
    aps.put("sound", "default");
    // Lets the app's notification service extension fetch and decrypt the real message.
    aps.put("mutable-content", 1);
    fields(root, n);
    return root;
  }

  private static ObjectNode alert(String sender, String text) {
    ObjectNode alert = JSON.createObjectNode();
    if (sender != null) alert.put("title", sender);
    if (text != null) alert.put("body", text);
    else alert.put("loc-key", NO_PREVIEW_KEY);
    return alert;
  }

  private static void fields(ObjectNode node, Notification n) {
    node.put("conversationId", n.conversationId());
    node.put("unreadCount", n.unreadCount());
    node.put("latestSeq", n.latestSeq());
  }

  private static ObjectNode fcmBody(
      String token,
      Notification n,
      String sender,
      String text,
      String collapseKey,
      Duration ttl,
      boolean highPriority,
      Instant now) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode message = root.putObject("message");
    message.put("token", token);
    ObjectNode data = message.putObject("data");
    data.put("conversationId", n.conversationId());
    data.put("unreadCount", Integer.toString(n.unreadCount()));
    data.put("latestSeq", Long.toString(n.latestSeq()));
    if (sender != null) data.put("senderName", sender);
    if (text != null) data.put("preview", text);

    ObjectNode android = message.putObject("android");
    if (collapseKey != null) android.put("collapse_key", collapseKey);
    android.put("priority", highPriority ? "HIGH" : "NORMAL");
    android.put("ttl", ttl.toSeconds() + "s");

    ObjectNode apns = message.putObject("apns");
    ObjectNode headers = apns.putObject("headers");
    if (collapseKey != null) headers.put("apns-collapse-id", collapseKey);
    headers.put("apns-priority", highPriority ? "10" : "5");
    headers.put("apns-expiration", Long.toString(apnsExpiration(ttl, now)));
    headers.put("apns-push-type", "alert");
    apns.set("payload", apnsPayload(n, sender, text));
    return root;
  }

  /** APNs: 0 means "deliver now or never"; otherwise the epoch second after which to give up. */
  static long apnsExpiration(Duration ttl, Instant now) {
    return ttl.isZero() ? 0 : now.plus(ttl).getEpochSecond();
  }

  private static String shorter(String text) {
    int chars = text.codePointCount(0, text.length());
    return chars <= 1 ? null : Notification.truncate(text, chars / 2);
  }

  private static int bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8).length;
  }

  private static String write(ObjectNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write a push payload", e);
    }
  }
}
