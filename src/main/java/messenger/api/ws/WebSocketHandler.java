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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import messenger.ErrorCode;
import messenger.ErrorDetail;
import messenger.ErrorDetail.Rule;
import messenger.audit.Audit;
import messenger.delivery.Credential;
import messenger.delivery.Outbound;
import messenger.delivery.Outbox;
import messenger.delivery.Session;
import messenger.delivery.Sessions;
import messenger.limits.AddressConnections;
import messenger.limits.SendWindow;

/**
 * The WebSocket transport: each text frame is decoded into a {@link ClientFrame} and handed to the
 * connection's {@link Session}; what the session emits is encoded and written through a queue
 * bounded in frames and in characters. Bad frames are answered with an error frame and never close
 * the connection.
 *
 * <p>Reading is paced, never refused: the next frame is read only while the outgoing queue has
 * room, and a send only while the connection's {@link SendWindow} has a place, which the send's
 * answer frees. Until then nothing more is read from the socket and TCP pushes back on the client.
 * That holds the connection's acks too, which is safe because a send's answer waits only for the
 * conversation's journal write, never for an ack of this (or any) device.
 */
public final class WebSocketHandler {

  /** Room for the JSON around a maximal body, with every character escaped. */
  private static final int FRAME_OVERHEAD = 4096;

  private final ActorSystem<?> system;
  private final Sessions sessions;
  private final FrameCodec codec;
  private final WireEvents events;
  private final int maxFrameChars;

  private final OriginPolicy origins;
  private final AddressConnections addresses;
  private final int sendWindow;

  /**
   * @param sendWindow unanswered sends a connection may have before it is read no further
   */
  public WebSocketHandler(
      ActorSystem<?> system,
      Sessions sessions,
      int maxBodyBytes,
      WireEvents events,
      OriginPolicy origins,
      AddressConnections addresses,
      int sendWindow) {
    this.system = system;
    this.origins = origins;
    this.addresses = addresses;
    this.sendWindow = sendWindow;
    this.sessions = sessions;
    this.codec = new FrameCodec(maxBodyBytes);
    this.events = events;
    this.maxFrameChars = maxBodyBytes * 6 + FRAME_OVERHEAD;
  }

  /** Counts a connection from {@code address}, unless it has too many open already. */
  public boolean tryOpenFrom(String address) {
    if (addresses.tryOpen(address)) return true;
    Audit.connectionsPerAddressRefused(address);
    return false;
  }

  /**
   * The connection of a device from {@code address}, counted by {@link #tryOpenFrom} until it ends.
   */
  public Flow<Message, Message, NotUsed> flow(
      String userId, String deviceId, Credential credential, String client, String address) {
    return connection(userId, deviceId, credential, client, address)
        .watchTermination(
            (notUsed, done) -> {
              done.whenComplete((ok, failure) -> addresses.closed(address));
              return notUsed;
            });
  }

  private Flow<Message, Message, NotUsed> connection(
      String userId, String deviceId, Credential credential, String client, String address) {
    var settings = sessions.settings();
    Pair<BoundedSourceQueue<OutFrame>, Source<OutFrame, NotUsed>> outgoing =
        Source.<OutFrame>queue(settings.outgoingBufferFrames()).preMaterialize(system);
    var window = new SendWindow(sendWindow);
    var outbox =
        new QueueOutbox(
            outgoing.first(),
            settings.outgoingBufferFrames(),
            settings.outgoingBufferBytes(),
            new Refusals(userId, address),
            window);
    ActorRef<Session.Command> session = sessions.open(userId, deviceId, credential, client, outbox);

    Sink<Message, NotUsed> incoming =
        Flow.<Message>create()
            // A client's frame is taken only while the replies have room: one that sends faster
            // than it reads is slowed down (TCP pushes back), rather than cut off as slow.
            .mapAsync(1, message -> outbox.roomForReplies().thenCompose(room -> readText(message)))
            .map(text -> command(text, outbox))
            // A send goes on only with a place in the window; until one is answered, this stage
            // holds it and (one at a time) nothing more is read: frames keep their order.
            .mapAsync(
                1,
                command ->
                    command instanceof Session.ClientSend
                        ? window.acquire().thenApply(place -> command)
                        : CompletableFuture.completedFuture(command))
            .to(
                Sink.<Session.Command>foreach(session::tell)
                    .mapMaterializedValue(
                        done -> {
                          done.whenComplete(
                              (ok, failure) -> session.tell(Session.ClientGone.INSTANCE));
                          return NotUsed.getInstance();
                        }));
    return Flow.fromSinkAndSourceCoupled(incoming, outgoing.second().map(outbox::written));
  }

  /** Whether a handshake with this {@code Origin} (and {@code Host}) may open a socket. */
  public boolean allowsOrigin(Optional<String> origin, Optional<String> host) {
    return origins.allows(origin, host);
  }

  /** A browser page of {@code origin} was refused a socket: counted and audited. */
  public void originRefused(String origin, String address) {
    events.refused(ErrorCode.ORIGIN_REFUSED);
    Audit.originRefused(origin, address, "ws");
  }

  /** The upgrade was refused (bad token, bad device id, origin, limits): counted, nothing else. */
  public void refused(ErrorCode reason) {
    events.refused(reason);
  }

  /**
   * The session's command for a frame. A bad frame is answered here, and is still a sign of life: a
   * client that sends only bad frames is there, and told so (a {@code ClientPong}).
   */
  private Session.Command command(String text, QueueOutbox outbox) {
    events.frameIn();
    if (text == null) {
      outbox.offerText(
          codec.encodeError(ErrorCode.BAD_FRAME, ErrorDetail.of(Rule.TEXT_FRAMES_ONLY), null));
      return Session.ClientPong.INSTANCE;
    }
    if (text.length() > maxFrameChars) {
      outbox.offerText(
          codec.encodeError(
              ErrorCode.TOO_LARGE,
              ErrorDetail.atMost(Rule.FRAME_CHARS, null, maxFrameChars),
              null));
      return Session.ClientPong.INSTANCE;
    }
    try {
      return codec.decode(text).command();
    } catch (BadFrame bad) {
      outbox.offerText(codec.encodeError(bad.code, bad.detail, bad.ref));
      return Session.ClientPong.INSTANCE;
    }
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

  /** Whose connection refusals are audited: the session's answers are the only place they show. */
  private record Refusals(String userId, String address) {
    void audit(Outbound out) {
      if (out instanceof Outbound.SendRefused refused) audit(refused.code(), refused.clientMsgId());
      if (out instanceof Outbound.Failure failure) audit(failure.code(), failure.ref());
    }

    private void audit(ErrorCode code, String ref) {
      switch (code) {
        case NOT_MEMBER, NOT_ADMIN -> Audit.accessRefused(userId, address, "ws", ref, code.wire());
        case RATE_LIMITED -> Audit.sendRateLimited(userId, address, "ws", ref);
        default -> {}
      }
    }
  }

  /** An encoded frame waiting to be written, with what the metrics need to know about it. */
  private record OutFrame(String text, long[] liveTimestamps) {}

  /**
   * Hands encoded frames to the connection's bounded outgoing queue without ever blocking. The
   * character budget is soft up to half full (so a frame of a catch-up, which only comes when there
   * is room, is always taken, however large) and hard beyond it.
   */
  private final class QueueOutbox implements Outbox {
    private static final long[] NOT_LIVE = new long[0];

    private final BoundedSourceQueue<OutFrame> queue;
    private final int maxFrames;
    private final long maxChars;
    private final AtomicLong queuedChars = new AtomicLong();
    private final AtomicReference<Runnable> roomWaiter = new AtomicReference<>();
    private final AtomicReference<CompletableFuture<Void>> replyWaiter = new AtomicReference<>();

    /** The queue refuses to be completed twice; the session may close after an abort, say. */
    private final AtomicBoolean ended = new AtomicBoolean();

    private final Refusals refusals;
    private final SendWindow window;

    QueueOutbox(
        BoundedSourceQueue<OutFrame> queue,
        int maxFrames,
        long maxChars,
        Refusals refusals,
        SendWindow window) {
      this.refusals = refusals;
      this.window = window;
      this.queue = queue;
      this.maxFrames = maxFrames;
      this.maxChars = maxChars;
    }

    @Override
    public boolean offer(Outbound out) {
      refusals.audit(out);
      long[] live = NOT_LIVE;
      if (out instanceof Outbound.Messages messages && messages.live()) {
        live =
            messages.items().stream()
                .mapToLong(e -> e.message().timestamp().toEpochMilli())
                .toArray();
      }
      boolean taken = offer(new OutFrame(codec.encode(refusals.userId(), out), live));
      // The answer to a send frees its place, taken or not: if not, the connection is over.
      if (out instanceof Outbound.Sent || out instanceof Outbound.SendRefused) window.release();
      return taken;
    }

    boolean offerText(String text) {
      return offer(new OutFrame(text, NOT_LIVE));
    }

    private boolean offer(OutFrame frame) {
      if (ended.get()) return false;
      long size = frame.text().length();
      long queued = queuedChars.get();
      if (queued > maxChars / 2 && queued + size > maxChars) return false;
      queuedChars.addAndGet(size);
      QueueOfferResult result = queue.offer(frame);
      if (result == QueueOfferResult.enqueued()) return true;
      queuedChars.addAndGet(-size);
      // Anything but "dropped" (full) means the stream is over: closed or failed.
      if (result != QueueOfferResult.dropped()) ended.set(true);
      return false;
    }

    @Override
    public boolean isClosed() {
      return ended.get();
    }

    @Override
    public boolean hasRoom() {
      return queuedChars.get() <= maxChars / 2 && queue.size() <= maxFrames / 2;
    }

    @Override
    public void whenRoom(Runnable callback) {
      roomWaiter.set(callback);
      runWaiterIfRoom();
    }

    /** The frame left the queue for the socket. */
    Message written(OutFrame frame) {
      queuedChars.addAndGet(-frame.text().length());
      events.frameOut(frame.liveTimestamps());
      runWaiterIfRoom();
      return TextMessage.create(frame.text());
    }

    /** Completes once the queue is at most half full: when the next client frame may be read. */
    CompletionStage<Void> roomForReplies() {
      if (hasRoom()) return CompletableFuture.completedFuture(null);
      CompletableFuture<Void> room = new CompletableFuture<>();
      replyWaiter.set(room);
      runWaiterIfRoom();
      return room;
    }

    private void runWaiterIfRoom() {
      if (roomWaiter.get() != null && hasRoom()) {
        Runnable waiter = roomWaiter.getAndSet(null);
        if (waiter != null) waiter.run();
      }
      if (replyWaiter.get() != null && hasRoom()) {
        CompletableFuture<Void> waiter = replyWaiter.getAndSet(null);
        if (waiter != null) waiter.complete(null);
      }
    }

    @Override
    public void close() {
      if (!ended.compareAndSet(false, true)) return;
      try {
        queue.complete();
      } catch (IllegalStateException streamAlreadyOver) {
        // The client went first and the stream with it; nothing is left to close.
      }
    }

    @Override
    public void abort() {
      if (!ended.compareAndSet(false, true)) return;
      try {
        queue.fail(new IllegalStateException("slow consumer: outgoing buffer full"));
      } catch (IllegalStateException streamAlreadyOver) {
        // As in close().
      }
    }
  }
}
