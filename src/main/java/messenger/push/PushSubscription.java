package messenger.push;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import messenger.CborSerializable;

/**
 * Where and how to push to one device: what a client registers, as the browser's {@code
 * PushSubscription.toJSON()} gives it ({@code endpoint}, {@code keys.p256dh}, {@code keys.auth}).
 *
 * <p>The constructor does not validate, so that a subscription stored in an event always replays,
 * even if the rules below get stricter; take input through {@link #of}.
 *
 * @param endpoint the push service's URL for this device (http or https)
 * @param p256dh the device's P-256 public key, base64url, for {@link PushKind#WEB_PUSH}; else null
 * @param auth the device's 16-byte authentication secret, base64url, for {@link PushKind#WEB_PUSH};
 *     else null
 */
public record PushSubscription(PushKind kind, String endpoint, String p256dh, String auth)
    implements CborSerializable {

  static final int MAX_ENDPOINT_CHARS = 2048;
  static final int AUTH_BYTES = 16;

  /**
   * A validated subscription.
   *
   * @throws IllegalArgumentException saying what is wrong with the input
   */
  public static PushSubscription of(PushKind kind, String endpoint, String p256dh, String auth) {
    if (kind == null) throw new IllegalArgumentException("kind is required");
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
