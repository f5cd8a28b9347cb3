package messenger.api.http.dto;

import java.util.Locale;
import messenger.chat.SystemChange;

/** The wire form of a {@link SystemChange}, shared by HTTP history and WebSocket frames. */
public final class SystemChanges {
  private SystemChanges() {}

  public static Responses.SystemChange view(SystemChange change) {
    if (change == null) return null;
    return new Responses.SystemChange(
        change.kind().name().toLowerCase(Locale.ROOT), change.userId(), change.title());
  }
}
