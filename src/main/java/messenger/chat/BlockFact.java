package messenger.chat;

import messenger.CborSerializable;

/**
 * Whether one member of a direct conversation blocks the other, as of {@code version} of their
 * block list (a later version wins: the answers to a direct conversation's question and the changes
 * it is told may arrive in either order).
 */
public record BlockFact(String blockerId, boolean blocked, long version)
    implements CborSerializable {}
