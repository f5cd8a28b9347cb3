package messenger.api.ws;

/** What a client may send over the WebSocket, decoded from its JSON text frame. */
public sealed interface ClientFrame permits ClientFrame.Send,
        ClientFrame.Ack,
        ClientFrame.Sync,
        ClientFrame.Ping,
        ClientFrame.Pong,
        ClientFrame.Typing,
        ClientFrame.Read {

  record Send(String clientMsgId, String conversationId, String body) implements ClientFrame {}

  record Ack(long cursor) implements ClientFrame {}

  record Sync(long after) implements ClientFrame {}

  record Ping() implements ClientFrame {}

  /** The answer to the server's heartbeat ping. */
  record Pong() implements ClientFrame {}

  record Typing(String conversationId) implements ClientFrame {}

  /** The user has read the conversation up to {@code seq}. */
  record Read(String conversationId, long seq) implements ClientFrame {}
}
