package messenger.push;

public record Notification(
    String conversationId, int unreadCount, String preview, String senderName, long latestSeq) {}
