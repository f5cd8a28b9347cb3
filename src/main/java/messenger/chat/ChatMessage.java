package messenger.chat;

import java.time.Instant;
import messenger.CborSerializable;

/** One message as the conversation ordered it: the unit of fan-out, inbox and history. */
public record ChatMessage(
    String conversationId,
    long seq,
    String messageId,
    String senderId,
    String body,
    Instant timestamp)
    implements CborSerializable {}
