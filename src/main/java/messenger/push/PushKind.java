package messenger.push;

/** How a device receives pushes, which decides the provider that sends them. */
public enum PushKind {
  /** A browser's Push API subscription: encrypted (RFC 8291) and signed (VAPID, RFC 8292). */
  WEB_PUSH,
  /** A UnifiedPush distributor's endpoint: the JSON payload in plain text. */
  UNIFIED_PUSH,
  /** An iOS or macOS app's device token, pushed through Apple's push service (APNs). */
  APNS,
  /** An Android app's registration token, pushed through Firebase Cloud Messaging (HTTP v1). */
  FCM;

  /**
   * Whether the subscription's endpoint is a URL that users chose (and the server POSTs to), as
   * opposed to a token for a push service the operator configured.
   */
  public boolean hasUrlEndpoint() {
    return switch (this) {
      case WEB_PUSH, UNIFIED_PUSH -> true;
      case APNS, FCM -> false;
    };
  }
}
