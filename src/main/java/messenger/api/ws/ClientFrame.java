package messenger.api.ws;

import java.util.List;
import java.util.Map;
import messenger.chat.Amendment;
import messenger.delivery.SendPort;
import messenger.delivery.Session;

/**
 * What a client may send over the WebSocket, decoded from its JSON text frame. Each frame says
 * which session command it is, so a new frame type does not compile until it says so too.
 */
public sealed interface ClientFrame
    permits ClientFrame.Send,
        ClientFrame.Amend,
        ClientFrame.Ack,
        ClientFrame.Sync,
        ClientFrame.Ping,
        ClientFrame.Pong,
        ClientFrame.Typing,
        ClientFrame.Read {

  /** The connection's session command for this frame. */
  Session.Command command();

  record Send(String clientMsgId, String conversationId, SendPort.Content content)
      implements ClientFrame {
    Send(String clientMsgId, String conversationId, String body) {
      this(clientMsgId, conversationId, SendPort.Content.message(body, List.of()));
    }

    @Override
    public Session.Command command() {
      return new Session.ClientSend(clientMsgId, conversationId, content);
    }
  }

  /** An {@code edit}, {@code delete} or {@code react} frame: a send of an amendment. */
  record Amend(String clientMsgId, String conversationId, Amendment amendment)
      implements ClientFrame {
    @Override
    public Session.Command command() {
      return new Session.ClientSend(clientMsgId, conversationId, SendPort.Content.of(amendment));
    }
  }

  /**
   * @param cursor 0 when the frame has only positions
   * @param positions per conversation, the highest seq the device holds; empty without
   */
  record Ack(long cursor, Map<String, Long> positions) implements ClientFrame {
    @Override
    public Session.Command command() {
      return new Session.ClientAck(cursor, positions);
    }
  }

  record Sync(long after) implements ClientFrame {
    @Override
    public Session.Command command() {
      return new Session.ClientSync(after);
    }
  }

  record Ping() implements ClientFrame {
    @Override
    public Session.Command command() {
      return Session.ClientPing.INSTANCE;
    }
  }

  /** The answer to the server's heartbeat ping. */
  record Pong() implements ClientFrame {
    @Override
    public Session.Command command() {
      return Session.ClientPong.INSTANCE;
    }
  }

  record Typing(String conversationId) implements ClientFrame {
    @Override
    public Session.Command command() {
      return new Session.ClientTyping(conversationId);
    }
  }

  /** The user has read the conversation up to {@code seq}. */
  record Read(String conversationId, long seq) implements ClientFrame {
    @Override
    public Session.Command command() {
      return new Session.ClientRead(conversationId, seq);
    }
  }
}
