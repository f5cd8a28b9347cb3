package messenger.api.http.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import messenger.chat.Amendment;
import messenger.chat.Revision;

/**
 * The wire form of an {@link Amendment} entry and of what amendments made of a message ({@link
 * Revision}), shared by HTTP history and WebSocket frames.
 */
public final class Amendments {
  private Amendments() {}

  /**
   * @param kind {@code edit}, {@code delete} or {@code reaction}
   * @param seq the message it changes
   * @param body the new text (edit)
   * @param emoji the reaction (reaction)
   * @param on the reaction was put on, or taken off (reaction)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AmendmentJson(String kind, long seq, String body, String emoji, Boolean on) {}

  /**
   * @param mine whether the reader is one of those who reacted
   */
  public record ReactionJson(String emoji, int count, boolean mine) {}

  public static AmendmentJson view(Amendment a) {
    if (a == null) return null;
    boolean reaction = a.kind() == Amendment.Kind.REACTION;
    return new AmendmentJson(
        a.kind().name().toLowerCase(Locale.ROOT),
        a.targetSeq(),
        a.kind() == Amendment.Kind.EDIT ? a.body() : null,
        reaction ? a.emoji() : null,
        reaction ? a.on() : null);
  }

  /** The reactions as {@code reader} sees them; null when there are none (left out). */
  public static List<ReactionJson> reactions(Revision revision, String reader) {
    if (revision.reactions().isEmpty()) return null;
    List<ReactionJson> out = new ArrayList<>();
    revision
        .reactions()
        .forEach(
            (emoji, users) ->
                out.add(new ReactionJson(emoji, users.size(), users.contains(reader))));
    return out;
  }

  /** {@code true} for a deleted message, else null (left out). */
  public static Boolean deleted(Revision revision) {
    return revision.deleted() ? Boolean.TRUE : null;
  }
}
