package messenger.push;

/** How a device receives pushes, which decides the provider that sends them. */
public enum PushKind {
  /** A browser's Push API subscription: encrypted (RFC 8291) and signed (VAPID, RFC 8292). */
  WEB_PUSH,
  /** A UnifiedPush distributor's endpoint: the JSON payload in plain text. */
  UNIFIED_PUSH
}
