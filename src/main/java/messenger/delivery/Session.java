package messenger.delivery;

import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.BehaviorBuilder;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import messenger.ErrorCode;
import messenger.chat.Attachment;
import messenger.chat.Refusal;

/**
 * One device's live connection, independent of the transport: it attaches to the user's {@link
 * UserInbox}, which says per conversation what the device should hold; it first reads what the
 * device lacks from the conversations' logs (with back-pressure, in batches of at most {@code
 * message-batch-size}), then passes on live pushes; sends go to the conversation and their answers
 * back to the device.
 *
 * <p>It never emits a message twice or out of seq order within a conversation on one connection,
 * and numbers what it emits with rising cursors ({@link ConversationOrder} decides): live pushes
 * that run ahead of the catch-up ({@link CatchUp}) wait, and a gap in live pushes (the inbox
 * restarted and lost this connection for a while) is read from the log. Sends go through the {@link
 * SendPort}, as over HTTP.
 *
 * <p>Every heartbeat interval it re-attaches and sends a ping; a client not heard from for the
 * connection timeout is closed. The catch-up waits while the outgoing buffer is over half full, so
 * a slow reader slows it instead of filling memory; live pushes cannot wait, and a connection whose
 * buffer they overflow is aborted (the device catches up on reconnect).
 *
 * <p>This file is the session's table of contents: protocol, state, and the handlers of each state.
 * Beside it: {@link SessionInbox} (its side of the user's inbox), {@link SessionRequests} (what the
 * client asks of others: sends, acks, typing, read markers), {@link Heartbeat} (when the client was
 * last heard), {@link SessionClosing} (each way the server ends it), {@link ConversationOrder},
 * {@link CatchUp} and {@link Outgoing}.
 */
public final class Session {

  // ---- protocol ----

  public sealed interface Command
      permits ClientSend,
          ClientAck,
          ClientSync,
          ClientPing,
          ClientPong,
          ClientTyping,
          ClientRead,
          ClientGone,
          Drain,
          FromInbox,
          Attached,
          CatchUp.Signal,
          SendAnswered,
          CredentialChecked,
          Refused,
          Tick,
          RetryCatchUp {}

  /** A message, an edit, a deletion or a reaction: anything answered by {@code sent}. */
  public record ClientSend(String clientMsgId, String conversationId, SendPort.Content content)
      implements Command {
    public ClientSend(
        String clientMsgId, String conversationId, String body, List<Attachment> attachments) {
      this(clientMsgId, conversationId, SendPort.Content.message(body, attachments));
    }

    public ClientSend(String clientMsgId, String conversationId, String body) {
      this(clientMsgId, conversationId, body, List.of());
    }
  }

  /**
   * The device holds everything up to {@code cursor} (0: not said) and, per conversation, up to the
   * seq in {@code positions} (empty: not said).
   */
  public record ClientAck(long cursor, Map<String, Long> positions) implements Command {}

  /**
   * The client asks to be sent again everything after the device's stored positions. {@code after}
   * (a cursor) is accepted and ignored for one release (docs/protocol.md).
   */
  public record ClientSync(long after) implements Command {}

  public enum ClientPing implements Command {
    INSTANCE
  }

  /** The client answered a heartbeat ping; like any client frame, it shows the client is there. */
  public enum ClientPong implements Command {
    INSTANCE
  }

  public record ClientTyping(String conversationId) implements Command {}

  public record ClientRead(String conversationId, long seq) implements Command {}

  /** The node is shutting down: tell the client to reconnect elsewhere, and close. */
  public enum Drain implements Command {
    INSTANCE
  }

  /** The transport closed. */
  public enum ClientGone implements Command {
    INSTANCE
  }

  // Internal: the inbox's pushes and answers (through SessionInbox's adapters), a send's outcome.

  record FromInbox(DeviceMessage message) implements Command {}

  record Attached(ConnectReply reply) implements Command {}

  record SendAnswered(ClientSend send, SendPort.Outcome outcome) implements Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  /** Time to try again a catch-up that failed or read nothing ({@link CatchUpRetry}). */
  private enum RetryCatchUp implements Command {
    INSTANCE
  }

  private record CredentialChecked(boolean stillValid) implements Command {}

  /** A typing notice or read marker of this connection was refused. */
  record Refused(Refusal refusal) implements Command {}

  // ---- state ----

  /** How many batches of live messages a connection holds while it catches up. */
  private static final int PENDING_BATCHES = 10;

  /** How many batches of emitted entries a connection remembers until the device acks them. */
  private static final int UNACKED_BATCHES = 20;

  private final String userId;
  private final String deviceId;
  private final Credential credential;
  private final Outgoing out;
  private final SessionDeps deps;
  private final ActorContext<Command> context;
  private final Runnable onStop;
  private final Heartbeat heartbeat;
  private final ConversationOrder order;
  private final AckPositions unacked;
  private final CatchUp catchUp;
  private final CatchUpRetry retry;
  private final TimerScheduler<Command> timers;
  private final SessionInbox inbox;
  private final SessionRequests requests;
  private final SessionClosing closing;

  /**
   * @param client the label the device's client gave (for the device list), or null
   * @param onStop runs when the session stops, whatever the reason
   */
  public static Behavior<Command> create(
      String userId,
      String deviceId,
      Credential credential,
      String client,
      Outbox outbox,
      SessionDeps deps,
      Runnable onStop) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers ->
                    new Session(
                            userId, deviceId, credential, client, outbox, deps, onStop, ctx, timers)
                        .attaching()));
  }

  private Session(
      String userId,
      String deviceId,
      Credential credential,
      String client,
      Outbox outbox,
      SessionDeps deps,
      Runnable onStop,
      ActorContext<Command> context,
      TimerScheduler<Command> timers) {
    this.userId = userId;
    this.deviceId = deviceId;
    this.credential = credential;
    this.out = new Outgoing(outbox, deps.events(), context.getLog(), userId + "/" + deviceId);
    this.deps = deps;
    this.onStop = onStop;
    this.context = context;
    this.heartbeat = new Heartbeat(deps.settings().connectionTimeout(), System.nanoTime());
    int batchSize = deps.settings().batchSize();
    this.order = new ConversationOrder(batchSize, PENDING_BATCHES * batchSize);
    this.unacked = new AckPositions(UNACKED_BATCHES * batchSize);
    this.catchUp =
        new CatchUp(
            deps.conversationLog(), batchSize, outbox, context.getSelf(), context.getSystem());
    this.retry = new CatchUpRetry(deps.settings().heartbeatInterval());
    this.timers = timers;
    this.inbox = new SessionInbox(deps.sharding(), userId, deviceId, credential, client, context);
    this.requests = new SessionRequests(userId, deps, context, inbox, order, unacked, out);
    this.closing =
        new SessionClosing(userId, deviceId, credential, out, deps.events(), context.getLog());
    // Re-attaching is cheap and idempotent; it keeps the inbox from passivating while connected
    // and heals a lost attachment after the inbox restarted elsewhere.
    timers.startTimerWithFixedDelay(Tick.INSTANCE, deps.settings().heartbeatInterval());
    inbox.attach();
  }

  // ---- behaviour: one method per state ----

  /** Waiting for the inbox to say what the device should hold; live pushes wait. */
  private Behavior<Command> attaching() {
    return withCommon(
            Behaviors.receive(Command.class)
                .onMessage(Attached.class, a -> attached(a, this::onAttached))
                .onMessage(FromInbox.class, push -> fromInbox(push, this::hold))
                // The attach's answer sends everything after the stored positions anyway.
                .onMessage(ClientSync.class, heard(sync -> Behaviors.same())))
        .build();
  }

  /** Reading gaps from the logs; live pushes are held until it ends. */
  private Behavior<Command> catchingUp() {
    return withCommon(
            Behaviors.receive(Command.class)
                .onMessage(CatchUp.Batch.class, this::onCatchUpBatch)
                .onMessage(CatchUp.Ended.class, this::onCatchUpEnded)
                .onMessageEquals(CatchUp.Room.INSTANCE, this::onRoom)
                .onMessage(FromInbox.class, push -> fromInbox(push, this::hold))
                // What it shows beyond the running reads, release() asks for afterwards.
                .onMessage(Attached.class, a -> attached(a, this::onAttachedWhileCatchingUp))
                .onMessage(ClientSync.class, heard(this::onClientSync)))
        .build();
  }

  /**
   * The client asked for everything again; waiting for the answer to the attach that tells where
   * the device's stored positions are. Live pushes wait: that answer covers them.
   */
  private Behavior<Command> resyncing() {
    return withCommon(
            Behaviors.receive(Command.class)
                .onMessage(Attached.class, a -> attached(a, this::onResynced))
                .onMessage(FromInbox.class, push -> fromInbox(push, this::hold))
                .onMessage(ClientSync.class, heard(sync -> Behaviors.same())))
        .build();
  }

  /** Caught up: live pushes go straight out; a gap starts another catch-up. */
  private Behavior<Command> live() {
    return withCommon(
            Behaviors.receive(Command.class)
                .onMessage(FromInbox.class, push -> fromInbox(push, this::onLivePush))
                .onMessageEquals(RetryCatchUp.INSTANCE, () -> releaseHeld(true))
                .onMessage(Attached.class, a -> attached(a, this::onReattached))
                .onMessage(ClientSync.class, heard(this::onClientSync)))
        .build();
  }

  /** Handlers every state shares; registered last, so a state's own handlers take precedence. */
  private BehaviorBuilder<Command> withCommon(BehaviorBuilder<Command> state) {
    return state
        .onMessage(ClientSend.class, heard(requests::onClientSend))
        .onMessage(SendAnswered.class, requests::onSendAnswered)
        .onMessage(ClientAck.class, heard(requests::onClientAck))
        .onMessage(ClientPing.class, heard(ping -> offer(Outbound.Pong.INSTANCE)))
        .onMessage(ClientPong.class, heard(pong -> Behaviors.same()))
        .onMessage(ClientTyping.class, heard(requests::onClientTyping))
        .onMessage(ClientRead.class, heard(requests::onClientRead))
        .onMessageEquals(ClientGone.INSTANCE, Behaviors::stopped)
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        // Outside live(), a catch-up runs or is about to: it reads what the retry would.
        .onMessageEquals(RetryCatchUp.INSTANCE, Behaviors::same)
        .onMessage(Refused.class, r -> offer(Outbound.Failure.of(r.refusal())))
        .onMessage(
            CredentialChecked.class,
            checked -> checked.stillValid() ? Behaviors.same() : closing.revoked())
        .onMessageEquals(Drain.INSTANCE, () -> closing.closeWith(ErrorCode.GOING_AWAY))
        // A catch-up's start, or signals of an abandoned one: let its stream go on or run down.
        .onMessage(
            CatchUp.Signal.class,
            signal -> {
              signal.pass();
              return Behaviors.same();
            })
        .onSignal(PostStop.class, s -> onStop());
  }

  // ---- catch-up ----

  /** Reads the gaps, or, if there are none, lets what is held follow on. */
  private Behavior<Command> catchUp(List<ConversationOrder.Gap> gaps) {
    // Held pushes may still show a gap (a conversation first heard of in one).
    if (gaps.isEmpty()) return releaseHeld(true);
    catchUp.start(gaps);
    return catchingUp();
  }

  private Behavior<Command> onCatchUpBatch(CatchUp.Batch batch) {
    if (!catchUp.isCurrent(batch)) {
      batch.pass();
      return Behaviors.same();
    }
    List<InboxEntry> fresh = order.replayed(batch.conversationId(), batch.messages());
    if (!out.messages(fresh, false)) return Behaviors.stopped();
    unacked.emitted(fresh);
    catchUp.emitted(batch, fresh.size());
    return Behaviors.same();
  }

  private Behavior<Command> onRoom() {
    catchUp.onRoom();
    return Behaviors.same();
  }

  private Behavior<Command> onCatchUpEnded(CatchUp.Ended ended) {
    if (!catchUp.isCurrent(ended)) return Behaviors.same();
    long emitted = catchUp.ended();
    deps.events().caughtUp(emitted);
    if (ended.failure() != null) {
      context.getLog().warn("Catch-up for {}/{} failed", userId, deviceId, ended.failure());
    }
    boolean progressed = ended.failure() == null && emitted > 0;
    if (progressed) retry.reset();
    return releaseHeld(progressed);
  }

  /**
   * Emits the held live pushes that now follow on. A gap that remains is read at once only if the
   * last catch-up got somewhere: one that read nothing (a log behind what the inbox said, or
   * failing) is tried again after a wait that grows ({@link CatchUpRetry}), or sooner on the next
   * live push or re-attach; never in a loop.
   */
  private Behavior<Command> releaseHeld(boolean readAgain) {
    ConversationOrder.Step step = order.release();
    if (!emit(step)) return Behaviors.stopped();
    if (step.gaps().isEmpty()) {
      retry.reset();
      return live();
    }
    if (readAgain) return catchUp(step.gaps());
    timers.startSingleTimer(RetryCatchUp.INSTANCE, retry.next());
    return live();
  }

  /** The client asks for everything after its stored positions: the inbox says where they are. */
  private Behavior<Command> onClientSync(ClientSync sync) {
    catchUp.stop();
    inbox.attach();
    return resyncing();
  }

  private Behavior<Command> onResynced(ConnectReply.Connected c) {
    return catchUp(order.resync(c));
  }

  // ---- pushes from the inbox ----

  /** Every kind of inbox message but a delivery is handled alike in every state. */
  private Behavior<Command> fromInbox(
      FromInbox push, Function<DeviceMessage.Deliver, Behavior<Command>> deliver) {
    return DeviceMessages.match(
        push.message(),
        deliver,
        replaced -> closing.replaced(),
        // A notice is news now or never; it need not wait for the catch-up.
        ephemeral -> goOn(out.notice(ephemeral.notice())),
        closing::revokedBy,
        blocking -> {
          out.blocking(blocking.blocked());
          return Behaviors.same();
        });
  }

  private Behavior<Command> onLivePush(DeviceMessage.Deliver deliver) {
    ConversationOrder.Step step = order.live(deliver);
    if (!emit(step)) return Behaviors.stopped();
    return step.gaps().isEmpty() ? Behaviors.same() : catchUp(step.gaps());
  }

  private Behavior<Command> hold(DeviceMessage.Deliver deliver) {
    order.hold(deliver);
    return Behaviors.same();
  }

  // ---- connection lifecycle ----

  /** A frame from the client, handled by {@code handler}: whatever it says, the client is there. */
  private <T> akka.japi.function.Function<T, Behavior<Command>> heard(
      akka.japi.function.Function<T, Behavior<Command>> handler) {
    return frame -> {
      heartbeat.heard(System.nanoTime());
      return handler.apply(frame);
    };
  }

  private Behavior<Command> onTick() {
    Optional<Duration> silence = heartbeat.overdue(System.nanoTime());
    if (silence.isPresent()) return closing.silent(silence.get());
    inbox.attach();
    checkCredential();
    return offer(Outbound.Ping.INSTANCE);
  }

  /**
   * Besides the inbox's word (closing.revokedBy), in case that was lost or came before this
   * connection attached: a logout elsewhere between the handshake and the attach told an inbox that
   * did not know this connection yet.
   */
  private void checkCredential() {
    context.pipeToSelf(
        deps.credentials().stillValid(userId, credential),
        (valid, failure) -> new CredentialChecked(failure != null || valid));
  }

  private Behavior<Command> attached(
      Attached attached, Function<ConnectReply.Connected, Behavior<Command>> connected) {
    if (attached.reply() instanceof ConnectReply.Connected c) {
      out.blocking(c.blocked());
      return connected.apply(c);
    }
    return closing.refused((ConnectReply.Refused) attached.reply());
  }

  private Behavior<Command> onAttached(ConnectReply.Connected c) {
    checkCredential();
    return catchUp(order.attached(c));
  }

  /** A periodic re-attach: the inbox may know of messages this connection missed. */
  private Behavior<Command> onReattached(ConnectReply.Connected c) {
    List<ConversationOrder.Gap> gaps = order.attached(c);
    return gaps.isEmpty() ? Behaviors.same() : catchUp(gaps);
  }

  private Behavior<Command> onAttachedWhileCatchingUp(ConnectReply.Connected c) {
    order.attached(c);
    return Behaviors.same();
  }

  private Behavior<Command> onStop() {
    catchUp.stop();
    out.close();
    onStop.run();
    return Behaviors.same();
  }

  // ---- helpers ----

  /** Emits a step's frames; false if the connection is gone. */
  private boolean emit(ConversationOrder.Step step) {
    if (!out.frames(step.frames(), true)) return false;
    step.frames().forEach(unacked::emitted);
    return true;
  }

  private Behavior<Command> offer(Outbound frame) {
    return goOn(out.offer(frame));
  }

  static Behavior<Command> goOn(boolean open) {
    return open ? Behaviors.same() : Behaviors.stopped();
  }
}
