package messenger.api.http.dto;

import java.util.Locale;
import messenger.chat.SystemChange;

/** The wire form of a {@link SystemChange}, shared by HTTP history and WebSocket frames. */
public final class SystemChanges {
  private SystemChanges() {}

  public static Responses.SystemChange view(SystemChange change) {
    if (change == null) return null;
    return new Responses.SystemChange(
        change.kind().name().toLowerCase(Locale.ROOT),
        change.userId(),
        change.title(),
        change.role() == null ? null : change.role().name().toLowerCase(Locale.ROOT),
        change.permissions() == null ? null : permissions(change.permissions()));
  }

  public static Responses.Permissions permissions(messenger.chat.GroupPermissions p) {
    return new Responses.Permissions(
        p.addMembers().name().toLowerCase(Locale.ROOT), p.rename().name().toLowerCase(Locale.ROOT));
  }
}
