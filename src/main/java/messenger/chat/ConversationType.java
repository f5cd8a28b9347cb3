package messenger.chat;

/** Direct conversations have exactly two members and a deterministic id; groups come later. */
public enum ConversationType {
  DIRECT,
  GROUP
}
