package messenger.chat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import messenger.CborSerializable;

/**
 * What later {@link Amendment}s made of a message, as history and catch-up serve it: never written
 * to the log (the log holds the amendments), filled in by the read path ({@link
 * AmendedConversationLog}).
 *
 * @param editedAt when it was last edited; null if never
 * @param deletedAt when it was deleted for everyone; null if it was not. A deleted message has no
 *     text, files or reactions.
 * @param reactions who reacted with what: emoji to the users who did (sorted); no emoji without
 *     users
 */
public record Revision(Instant editedAt, Instant deletedAt, Map<String, List<String>> reactions)
    implements CborSerializable {

  public static final Revision NONE = new Revision(null, null, Map.of());

  public Revision {
    reactions = reactions == null ? Map.of() : copy(reactions);
  }

  public boolean deleted() {
    return deletedAt != null;
  }

  private static Map<String, List<String>> copy(Map<String, List<String>> reactions) {
    var copy = new TreeMap<String, List<String>>();
    reactions.forEach(
        (emoji, users) -> {
          if (!users.isEmpty()) copy.put(emoji, users.stream().sorted().toList());
        });
    return java.util.Collections.unmodifiableMap(copy);
  }
}
