package messenger.push;

public record PushSubscription(PushKind kind, String endpoint, String p256dh, String auth)
    implements messenger.CborSerializable {
  public static PushSubscription of(PushKind kind, String endpoint, String p256dh, String auth) {
    return new PushSubscription(kind, endpoint, p256dh, auth);
  }
}
