package messenger.delivery;

import java.util.Map;
import java.util.Set;
import messenger.CborSerializable;

/** The user's inbox's answer to a connection attaching ({@link UserInbox.Connect}). */
public sealed interface ConnectReply extends CborSerializable
    permits ConnectReply.Connected, ConnectReply.Refused {

  /**
   * Where the device stands: what it should hold of every conversation it can see.
   *
   * @param ackedCursor the highest cursor the device has acknowledged; the connection numbers what
   *     it emits from the one after, so cursors keep rising across connections
   * @param conversations per conversation, the seqs the device should hold and has not
   *     acknowledged: {@code (after, upTo]}, empty when {@code after == upTo}
   * @param blocked the users the user blocks: the connection flags their messages
   */
  record Connected(long ackedCursor, Map<String, Visible> conversations, Set<String> blocked)
      implements ConnectReply {
    public Connected {
      conversations = Map.copyOf(conversations);
      blocked = blocked == null ? Set.of() : Set.copyOf(blocked);
    }

    public Connected(long ackedCursor, Map<String, Visible> conversations) {
      this(ackedCursor, conversations, Set.of());
    }
  }

  /**
   * The seqs {@code after < seq <= upTo} of one conversation.
   *
   * @param joinedFrom the first seq the user may see (0: not known): a reply quoting an earlier
   *     message shows it as unavailable
   */
  record Visible(long after, long upTo, long joinedFrom) implements CborSerializable {
    public Visible(long after, long upTo) {
      this(after, upTo, 0);
    }
  }

  /** The user already has {@code limit} other devices connected. */
  record Refused(int limit) implements ConnectReply {}
}
