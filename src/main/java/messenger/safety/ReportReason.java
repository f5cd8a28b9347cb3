package messenger.safety;

import java.util.Locale;

/** Why a message or a user is reported: a fixed set, so moderators can sort and count them. */
public enum ReportReason {
  SPAM,
  HARASSMENT,
  ABUSE,
  ILLEGAL,
  OTHER;

  /** The name on the wire: {@code spam}, {@code harassment}, ... */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The reason named {@code wire}, or null if there is none of that name. */
  public static ReportReason fromWire(String wire) {
    for (ReportReason reason : values()) {
      if (reason.wire().equals(wire)) return reason;
    }
    return null;
  }
}
