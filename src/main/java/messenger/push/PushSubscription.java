package messenger.push;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;
import messenger.CborSerializable;

/**
 * Where and how to push to one device: what a client registers, as the browser's {@code
 * PushSubscription.toJSON()} gives it ({@code endpoint}, {@code keys.p256dh}, {@code keys.auth}).
 *
 * <p>The constructor does not validate, so that a subscription stored in an event always replays,
 * even if the rules below get stricter; take input through {@link #of}.
 *
 * @param endpoint the push service's URL for this device (http or https); for {@link PushKind#APNS}
 *     the device token (hex, lower case) and for {@link PushKind#FCM} the registration token: the
 *     one thing that names the device to its push service, which is what a "gone" answer names
 * @param p256dh the device's P-256 public key, base64url, for {@link PushKind#WEB_PUSH}; else null
 * @param auth the device's 16-byte authentication secret, base64url, for {@link PushKind#WEB_PUSH};
 *     else null
 */
public record PushSubscription(PushKind kind, String endpoint, String p256dh, String auth)
    implements CborSerializable {

  static final int MAX_ENDPOINT_CHARS = 2048;
  static final int AUTH_BYTES = 16;

  /** APNs device tokens are 32 bytes today; Apple says they may grow, so allow some room. */
  static final int MIN_APNS_TOKEN_CHARS = 64;

  static final int MAX_APNS_TOKEN_CHARS = 200;
  static final int MAX_FCM_TOKEN_CHARS = 4096;
  private static final Pattern HEX = Pattern.compile("[0-9a-f]+");
  private static final Pattern FCM_TOKEN = Pattern.compile("[A-Za-z0-9_:.-]+");

  /**
   * A validated subscription.
   *
   * @throws IllegalArgumentException saying what is wrong with the input
   */
  public static PushSubscription of(PushKind kind, String endpoint, String p256dh, String auth) {
    if (kind == null) throw new IllegalArgumentException("kind is required");
    if (!kind.hasUrlEndpoint()) {
      if (p256dh != null || auth != null) {
        throw new IllegalArgumentException("an " + kind + " registration takes no keys");
      }
      return ofToken(kind, endpoint);
    }
    checkEndpoint(endpoint);
    if (kind == PushKind.UNIFIED_PUSH) {
      if (p256dh != null || auth != null) {
        // Plain UnifiedPush carries the payload unencrypted; an endpoint that comes with keys
        // expects RFC 8291 encryption, which is what Web Push does.
        throw new IllegalArgumentException(
            "a UnifiedPush subscription takes no keys; register an endpoint that has keys as"
                + " Web Push");
      }
      return new PushSubscription(kind, endpoint, null, null);
    }
    if (p256dh == null || auth == null) {
      throw new IllegalArgumentException("a WEB_PUSH subscription needs keys.p256dh and keys.auth");
    }
    try {
      P256.publicKey(P256.decodeBase64Url(p256dh, "keys.p256dh"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("keys.p256dh: " + e.getMessage(), e);
    }
    int authBytes = P256.decodeBase64Url(auth, "keys.auth").length;
    if (authBytes != AUTH_BYTES) {
      throw new IllegalArgumentException(
          "keys.auth must be " + AUTH_BYTES + " bytes, got " + authBytes);
    }
    return new PushSubscription(kind, endpoint, p256dh, auth);
  }

  public static PushSubscription webPush(String endpoint, String p256dh, String auth) {
    return of(PushKind.WEB_PUSH, endpoint, p256dh, auth);
  }

  public static PushSubscription unifiedPush(String endpoint) {
    return of(PushKind.UNIFIED_PUSH, endpoint, null, null);
  }

  public static PushSubscription apns(String deviceToken) {
    return ofToken(PushKind.APNS, deviceToken);
  }

  public static PushSubscription fcm(String registrationToken) {
    return ofToken(PushKind.FCM, registrationToken);
  }

  /**
   * A native app's token: for APNs the device token as hex (any case; stored in lower case, so that
   * the same token registered twice is the same subscription), for FCM the registration token.
   */
  private static PushSubscription ofToken(PushKind kind, String token) {
    if (token == null || token.isBlank()) throw new IllegalArgumentException("token is required");
    return switch (kind) {
      case APNS -> new PushSubscription(kind, apnsToken(token), null, null);
      case FCM -> new PushSubscription(kind, fcmToken(token), null, null);
      case WEB_PUSH, UNIFIED_PUSH ->
          throw new IllegalArgumentException("a " + kind + " subscription has an endpoint URL");
    };
  }

  private static String apnsToken(String token) {
    String hex = token.toLowerCase(Locale.ROOT);
    if (hex.length() < MIN_APNS_TOKEN_CHARS
        || hex.length() > MAX_APNS_TOKEN_CHARS
        || hex.length() % 2 != 0
        || !HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException(
          "token must be an APNs device token: "
              + MIN_APNS_TOKEN_CHARS
              + "-"
              + MAX_APNS_TOKEN_CHARS
              + " hex digits, an even number");
    }
    return hex;
  }

  private static String fcmToken(String token) {
    if (token.length() > MAX_FCM_TOKEN_CHARS || !FCM_TOKEN.matcher(token).matches()) {
      throw new IllegalArgumentException(
          "token must be an FCM registration token: at most "
              + MAX_FCM_TOKEN_CHARS
              + " of letters, digits, '_', ':', '.', '-'");
    }
    return token;
  }

  private static void checkEndpoint(String endpoint) {
    if (endpoint == null || endpoint.isBlank()) {
      throw new IllegalArgumentException("endpoint is required");
    }
    if (endpoint.length() > MAX_ENDPOINT_CHARS) {
      throw new IllegalArgumentException(
          "endpoint is longer than " + MAX_ENDPOINT_CHARS + " characters");
    }
    URI uri;
    try {
      uri = new URI(endpoint);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("endpoint is not a URL: " + e.getMessage(), e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || !(scheme.equals("https") || scheme.equals("http"))) {
      throw new IllegalArgumentException("endpoint must be an absolute http or https URL");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("endpoint has no host");
    }
  }
}
