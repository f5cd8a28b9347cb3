package messenger.chat;

import messenger.CborSerializable;

/**
 * A change to an earlier message of the log: an edit, a deletion for everyone, or a reaction put on
 * or taken off. It is an entry of the log itself (sent by whoever made it, with its own seq), so
 * every device applies it in order and offline devices catch up on it; history shows its target as
 * it now is ({@link Revision}).
 *
 * @param targetSeq the message it changes: a user's message, never a system entry or another
 *     amendment
 * @param body the new text (edit only)
 * @param emoji the reaction (reaction only)
 * @param on the reaction is put on (true) or taken off (reaction only)
 * @param targetSenderId who sent the target, as the server found it when the amendment was asked
 *     for: an admin may delete anyone's message, everyone else only their own
 */
public record Amendment(
    Kind kind, long targetSeq, String body, String emoji, boolean on, String targetSenderId)
    implements CborSerializable {

  public enum Kind {
    EDIT,
    /** Deleted for everyone: history serves a tombstone, the stored files are deleted. */
    DELETE,
    REACTION
  }

  public static Amendment edit(long targetSeq, String body) {
    return new Amendment(Kind.EDIT, targetSeq, body, null, false, null);
  }

  public static Amendment delete(long targetSeq) {
    return new Amendment(Kind.DELETE, targetSeq, null, null, false, null);
  }

  public static Amendment reaction(long targetSeq, String emoji, boolean on) {
    return new Amendment(Kind.REACTION, targetSeq, null, emoji, on, null);
  }

  /** The same amendment without the text it carries (an edit of a message since deleted). */
  public Amendment withoutText() {
    return body == null ? this : new Amendment(kind, targetSeq, null, emoji, on, targetSenderId);
  }

  /** The same amendment, knowing whose message it changes. */
  public Amendment about(String senderOfTarget) {
    return new Amendment(kind, targetSeq, body, emoji, on, senderOfTarget);
  }
}
