package messenger.chat;

import messenger.CborSerializable;

/**
 * A member inbox's answer to fan-out: it durably holds this conversation's messages up to {@code
 * lastSeq}. {@code lastSeq == NOT_JOINED} means the inbox does not know the conversation yet.
 */
public record InboxProgress(String userId, String conversationId, long lastSeq)
    implements CborSerializable {
  public static final long NOT_JOINED = -1;
}
