package messenger.push;

public enum PushKind { WEB_PUSH, UNIFIED_PUSH }
