package messenger.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import messenger.CborSerializable;

/**
 * The message a reply answers, with a short quote of it. The log stores only {@code seq}: the quote
 * is filled in from the message as it now is whenever the reply is served (live, by the
 * conversation; from the log, by {@link AmendedConversationLog}), so an edit shows in it and a
 * deletion leaves no text of the quoted message behind.
 *
 * @param senderId who sent the quoted message; null when unavailable
 * @param preview its first {@link #PREVIEW_CHARS} characters; null when unavailable
 * @param unavailable the reader cannot see the quoted message: it was deleted, or is before where
 *     they joined
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Quote(long seq, String senderId, String preview, boolean unavailable)
    implements CborSerializable {

  public static final int PREVIEW_CHARS = 100;

  /** A reply to {@code seq}, as the log keeps it and a client asks for it. */
  public static Quote of(long seq) {
    return new Quote(seq, null, null, false);
  }

  /** Quoting {@code target} as it now is (null: not there to quote). */
  public static Quote quoting(long seq, ChatMessage target) {
    if (target == null || !target.isUserMessage() || target.later().deleted()) {
      return new Quote(seq, null, null, true);
    }
    String text = target.previewText();
    String preview =
        text.length() <= PREVIEW_CHARS ? text : text.substring(0, PREVIEW_CHARS) + "\u2026";
    return new Quote(seq, target.senderId(), preview, false);
  }

  /** As a reader who sees the log from {@code visibleFrom} on sees it. */
  public Quote seenFrom(long visibleFrom) {
    return seq < visibleFrom && !unavailable ? new Quote(seq, null, null, true) : this;
  }

  /** As the log keeps it: which message, no text. */
  public Quote stored() {
    return of(seq);
  }
}
