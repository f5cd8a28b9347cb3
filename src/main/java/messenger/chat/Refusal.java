package messenger.chat;

import messenger.CborSerializable;
import messenger.ErrorCode;

/**
 * The answer to a fire-and-forget request that was refused, such as typing or marking read in a
 * conversation the user is not in: nothing is said when it is accepted.
 */
public record Refusal(String conversationId, ErrorCode code) implements CborSerializable {}
