package messenger.delivery;

import messenger.CborSerializable;
import messenger.chat.ChatMessage;

/** A message at its place in one user's inbox. */
public record InboxEntry(long cursor, ChatMessage message) implements CborSerializable {}
