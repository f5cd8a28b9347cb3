package messenger.delivery;

import messenger.chat.ConversationHeads;
import messenger.chat.ConversationLog;

/**
 * What a starting inbox reads to learn where its conversations stand ({@link InboxStart}): their
 * heads, and the messages since its summaries were written.
 */
public record InboxReads(ConversationHeads heads, ConversationLog log) {}
