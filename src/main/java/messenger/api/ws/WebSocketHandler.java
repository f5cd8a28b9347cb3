package messenger.api.ws;

import akka.NotUsed;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.model.ws.Message;
import akka.http.javadsl.model.ws.TextMessage;
import akka.japi.Pair;
import akka.stream.BoundedSourceQueue;
import akka.stream.QueueOfferResult;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import messenger.ErrorCode;
import messenger.delivery.Session;
import messenger.delivery.Sessions;

/**
 * The WebSocket transport: each text frame is decoded into a {@link ClientFrame} and handed to the
 * connection's {@link Session}; what the session emits is encoded and written. Bad frames are
 * answered with an error frame and never close the connection.
 */
public final class WebSocketHandler {

  /** Room for the JSON around a maximal body, with every character escaped. */
  private static final int FRAME_OVERHEAD = 4096;

  private final ActorSystem<?> system;
  private final Sessions sessions;
  private final FrameCodec codec;
  private final int maxFrameChars;

  public WebSocketHandler(ActorSystem<?> system, Sessions sessions, int maxBodyBytes) {
    this.system = system;
    this.sessions = sessions;
    this.codec = new FrameCodec(maxBodyBytes);
    this.maxFrameChars = maxBodyBytes * 6 + FRAME_OVERHEAD;
  }

  public Flow<Message, Message, NotUsed> flow(String userId, String deviceId) {
    Pair<BoundedSourceQueue<String>, Source<String, NotUsed>> outgoing =
        Source.<String>queue(sessions.settings().outgoingBufferFrames()).preMaterialize(system);
    BoundedSourceQueue<String> queue = outgoing.first();
    ActorRef<Session.Command> session = sessions.open(userId, deviceId, new QueueOutbox(queue));

    Sink<Message, NotUsed> incoming =
        Flow.<Message>create()
            .mapAsync(1, this::readText)
            .to(
                Sink.<String>foreach(text -> onFrame(text, session, queue))
                    .mapMaterializedValue(
                        done -> {
                          done.whenComplete((ok, failure) -> session.tell(Session.ClientGone.INSTANCE));
                          return NotUsed.getInstance();
                        }));
    return Flow.fromSinkAndSourceCoupled(incoming, outgoing.second().map(TextMessage::create));
  }

  private void onFrame(String text, ActorRef<Session.Command> session, BoundedSourceQueue<String> queue) {
    if (text == null) {
      queue.offer(codec.encodeError(ErrorCode.BAD_FRAME, "only text frames are accepted", null));
      return;
    }
    if (text.length() > maxFrameChars) {
      queue.offer(codec.encodeError(ErrorCode.TOO_LARGE, "frame larger than " + maxFrameChars + " characters", null));
      return;
    }
    try {
      session.tell(toCommand(codec.decode(text)));
    } catch (BadFrame bad) {
      queue.offer(codec.encodeError(bad.code, bad.getMessage(), bad.ref));
    }
  }

  private static Session.Command toCommand(ClientFrame frame) {
    if (frame instanceof ClientFrame.Send send) {
      return new Session.ClientSend(send.clientMsgId(), send.conversationId(), send.body());
    } else if (frame instanceof ClientFrame.Ack ack) {
      return new Session.ClientAck(ack.cursor());
    } else if (frame instanceof ClientFrame.Sync sync) {
      return new Session.ClientSync(sync.after());
    }
    return Session.ClientPing.INSTANCE;
  }

  /**
   * The frame's whole text, or null for a binary frame. A streamed frame is drained to its end but
   * kept only up to just past the limit, so an oversized frame costs no more memory than that.
   */
  private CompletionStage<String> readText(Message message) {
    if (!message.isText()) {
      message.asBinaryMessage().getStreamedData().runWith(Sink.ignore(), system);
      return CompletableFuture.completedFuture(null);
    }
    TextMessage text = message.asTextMessage();
    if (text.isStrict()) return CompletableFuture.completedFuture(text.getStrictText());
    return text.getStreamedText()
        .runFold(
            new StringBuilder(),
            (acc, part) -> acc.length() > maxFrameChars ? acc : acc.append(part),
            system)
        .thenApply(StringBuilder::toString);
  }

  /** Hands encoded frames to the connection's bounded outgoing queue without ever blocking. */
  private final class QueueOutbox implements Session.Outbox {
    private final BoundedSourceQueue<String> queue;

    QueueOutbox(BoundedSourceQueue<String> queue) {
      this.queue = queue;
    }

    @Override
    public boolean offer(Session.Out out) {
      return queue.offer(codec.encode(out)) == QueueOfferResult.enqueued();
    }

    @Override
    public void close() {
      queue.complete();
    }
  }
}
