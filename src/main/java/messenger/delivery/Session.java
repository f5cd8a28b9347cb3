package messenger.delivery;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.BehaviorBuilder;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.pattern.StatusReply;
import akka.stream.KillSwitches;
import akka.stream.UniqueKillSwitch;
import akka.stream.javadsl.Keep;
import akka.stream.typed.javadsl.ActorSink;
import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import io.github.bucket4j.Bucket;
import messenger.ErrorCode;
import messenger.chat.Conversation;
import messenger.chat.Notice;
import messenger.chat.Refusal;
import messenger.limits.SendLimits;

/**
 * One device's live connection, independent of the transport: it attaches to the user's {@link
 * UserInbox}, first streams everything after the device's acknowledged cursor (replayed from the
 * journal with back-pressure, in batches of at most {@code message-batch-size}), then passes on
 * live pushes; sends go to the conversation and their answers back to the device.
 *
 * <p>It never emits an entry twice or out of cursor order on one connection: live pushes that run
 * ahead of the replay wait in {@code pending}, and a gap in live pushes (the inbox restarted and
 * lost this connection for a while) starts another replay.
 *
 * <p>Every heartbeat interval it re-attaches and sends a ping; a client not heard from for the
 * connection timeout is closed. The replay waits while the outgoing buffer is over half full, so
 * a slow reader slows the catch-up instead of filling memory; live pushes cannot wait, and a
 * connection whose buffer they overflow is aborted (the device catches up on reconnect).
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
          OutboxDrained,
          FromInbox,
          Attached,
          Relocated,
          CatchUpStarted,
          CatchUpBatch,
          CatchUpEnded,
          SendAnswered,
          CredentialChecked,
          Refused,
          Tick {}

  public record ClientSend(String clientMsgId, String conversationId, String body)
      implements Command {}

  public record ClientAck(long cursor) implements Command {}

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

  private record FromInbox(UserInbox.DeviceMessage message) implements Command {}

  private record Attached(UserInbox.ConnectReply reply) implements Command {}

  private record Relocated(UserInbox.Located located) implements Command {}

  private record CatchUpStarted(int generation, ActorRef<CatchUpAck> ackTo) implements Command {}

  private record CatchUpBatch(int generation, List<InboxEntry> entries, ActorRef<CatchUpAck> ackTo)
      implements Command {}

  private record CatchUpEnded(int generation, Throwable failure) implements Command {}

  private enum CatchUpAck {
    INSTANCE
  }

  private record SendAnswered(ClientSend send, Conversation.Posted posted, Throwable failure)
      implements Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  private record CredentialChecked(boolean stillValid) implements Command {}

  /** A typing notice or read marker of this connection was refused. */
  private record Refused(Refusal refusal) implements Command {}

  private enum OutboxDrained implements Command {
    INSTANCE
  }

  /** What the session hands to the transport. */
  public sealed interface Out permits Messages, Sent, Failure, Pong, Ping, Told {}

  /** A notice for the device: typing, a receipt, presence. */
  public record Told(Notice notice) implements Out {}

  /** @param live pushed as the messages arrived, rather than replayed from the journal */
  public record Messages(List<InboxEntry> items, boolean live) implements Out {}

  public record Sent(
      String clientMsgId, String messageId, String conversationId, long seq, Instant timestamp)
      implements Out {}

  public record Failure(ErrorCode code, String ref, String conversationId) implements Out {}

  public enum Pong implements Out {
    INSTANCE
  }

  /** The heartbeat: the client answers with a pong frame. */
  public enum Ping implements Out {
    INSTANCE
  }

  /** The transport's outgoing side. Nothing here may block. */
  public interface Outbox {
    /** False if the buffer is full; the frame was not taken. */
    boolean offer(Out out);

    /** Whether the buffer is at most half full, so a replay may go on. */
    boolean hasRoom();

    /**
     * Whether the connection is over (closed by either side), so offers fail for that reason and
     * not for want of room.
     */
    boolean isClosed();

    /** Runs {@code callback} once, as soon as {@link #hasRoom()} (now, if it already does). */
    void whenRoom(Runnable callback);

    /** Close after what is buffered has been written. */
    void close();

    /** Close now, dropping what is buffered. */
    void abort();
  }

  /**
   * The token the connection was opened with.
   *
   * @param tokenId its {@code jti}; null for a token without one
   * @param generation the user's token generation it belongs to
   */
  public record Credential(String tokenId, int generation) {}

  /** Whether a connection's token is still good, i.e. not revoked since the connection opened. */
  @FunctionalInterface
  public interface CredentialCheck {
    CompletionStage<Boolean> stillValid(String userId, Credential credential);
  }

  public record Deps(
      ClusterSharding sharding,
      InboxLog inboxLog,
      DeliverySettings settings,
      Duration askTimeout,
      DeliveryEvents events,
      SendLimits sendLimits,
      CredentialCheck credentials) {}

  // ---- state ----

  private static final int PENDING_BATCHES = 10;
  private static final Duration TYPING_INTERVAL = Duration.ofSeconds(2);
  private static final int RECEIPT_FRAMES = 16;

  private static final TimeBasedEpochGenerator CONNECTION_IDS = Generators.timeBasedEpochGenerator();

  private final String userId;
  private final String deviceId;
  private final Credential credential;
  private final Outbox outbox;
  private final Deps deps;
  private final ActorContext<Command> context;
  private final EntityRef<UserInbox.Command> inbox;
  private final ActorRef<UserInbox.DeviceMessage> deviceRef;
  private final ActorRef<UserInbox.ConnectReply> attachedAdapter;
  private final ActorRef<Refusal> refusals;
  private final Runnable onStop;
  /** Time-ordered, so that the inbox keeps the newest connection of a device. */
  private final String connectionId = CONNECTION_IDS.generate().toString();

  /** This connection's share of messenger.limits: its own token bucket. */
  private final Bucket sendAllowance;
  /** The highest cursor emitted on this connection. */
  private long delivered;
  /** Live pushes that arrived ahead of {@code delivered + 1}. */
  private final TreeMap<Long, InboxEntry> pending = new TreeMap<>();
  /**
   * Live pushes dropped because {@code pending} was full. They are in the journal, so the session
   * replays again instead of holding them: memory stays bounded during a long catch-up.
   */
  private boolean pendingTruncated;
  /** Identifies the current replay; answers from an abandoned one are ignored. */
  private int generation;

  private UniqueKillSwitch replay;
  /** The replay's ack, held back while the outgoing buffer is over half full. */
  private ActorRef<CatchUpAck> heldAck;
  /** Entries the current replay emitted, for the catch-up size metric. */
  private long replayed;

  /** When this connection last passed on a typing notice, per conversation (System.nanoTime). */
  private final java.util.Map<String, Long> lastTyping = new java.util.HashMap<>();

  /** When a frame last came from the client (System.nanoTime). */
  private long lastHeard = System.nanoTime();

  /**
   * @param onStop runs when the session stops, whatever the reason
   */
  public static Behavior<Command> create(
      String userId,
      String deviceId,
      Credential credential,
      Outbox outbox,
      Deps deps,
      Runnable onStop) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers ->
                    new Session(userId, deviceId, credential, outbox, deps, onStop, ctx, timers)
                        .attaching()));
  }

  private Session(
      String userId,
      String deviceId,
      Credential credential,
      Outbox outbox,
      Deps deps,
      Runnable onStop,
      ActorContext<Command> context,
      TimerScheduler<Command> timers) {
    this.userId = userId;
    this.deviceId = deviceId;
    this.credential = credential;
    this.outbox = outbox;
    this.deps = deps;
    this.sendAllowance = deps.sendLimits().connectionBucket();
    this.onStop = onStop;
    this.context = context;
    this.inbox = deps.sharding().entityRefFor(UserInbox.ENTITY_KEY, userId);
    this.deviceRef = context.messageAdapter(UserInbox.DeviceMessage.class, FromInbox::new);
    this.attachedAdapter = context.messageAdapter(UserInbox.ConnectReply.class, Attached::new);
    this.refusals = context.messageAdapter(Refusal.class, Refused::new);
    // Re-attaching is cheap and idempotent; it keeps the inbox from passivating while connected
    // and heals a lost attachment after the inbox restarted elsewhere.
    timers.startTimerWithFixedDelay(Tick.INSTANCE, deps.settings().heartbeatInterval());
    attach();
  }

  // ---- behaviour: one method per state ----

  private Behavior<Command> attaching() {
    return withCommon(Behaviors.receive(Command.class)
        .onMessage(
            Attached.class,
            a ->
                a.reply() instanceof UserInbox.Connected c
                    ? replayAfter(c.ackedCursor(), c.latestCursor(), c.replayFromSeqNr())
                    : onRefused(a))
        .onMessage(FromInbox.class, this::holdLive)
        .onMessage(ClientSync.class, s -> heard()))
        .build();
  }

  private Behavior<Command> catchingUp() {
    return withCommon(Behaviors.receive(Command.class)
        .onMessage(CatchUpStarted.class, this::onCatchUpStarted)
        .onMessage(CatchUpBatch.class, this::onCatchUpBatch)
        .onMessage(CatchUpEnded.class, this::onCatchUpEnded)
        .onMessage(FromInbox.class, this::holdLive)
        .onMessage(
            Attached.class,
            a -> a.reply() instanceof UserInbox.Connected ? Behaviors.same() : onRefused(a))
        .onMessage(ClientSync.class, this::onClientSync)
        .onMessage(Relocated.class, this::onRelocated)
        .onMessageEquals(OutboxDrained.INSTANCE, this::onOutboxDrained))
        .build();
  }

  private Behavior<Command> live() {
    return withCommon(Behaviors.receive(Command.class)
        .onMessage(FromInbox.class, this::onLivePush)
        .onMessage(Attached.class, this::onReattached)
        .onMessage(ClientSync.class, this::onClientSync)
        .onMessage(Relocated.class, this::onRelocated))
        .build();
  }

  /** Handlers every state shares; registered last, so a state's own handlers take precedence. */
  private BehaviorBuilder<Command> withCommon(BehaviorBuilder<Command> state) {
    return state
        .onMessage(ClientSend.class, this::onClientSend)
        .onMessage(SendAnswered.class, this::onSendAnswered)
        .onMessage(ClientAck.class, this::onClientAck)
        .onMessageEquals(
            ClientPing.INSTANCE,
            () -> {
              lastHeard = System.nanoTime();
              return offer(Pong.INSTANCE);
            })
        .onMessageEquals(ClientPong.INSTANCE, this::heard)
        .onMessage(ClientTyping.class, this::onClientTyping)
        .onMessage(ClientRead.class, this::onClientRead)
        .onMessageEquals(ClientGone.INSTANCE, Behaviors::stopped)
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onMessage(
            Refused.class,
            refused -> {
              Refusal r = refused.refusal();
              // No clientMsgId to answer: the conversation the frame named is the reference.
              return offer(new Failure(r.code(), r.conversationId(), r.conversationId()));
            })
        .onMessage(
            CredentialChecked.class,
            checked -> checked.stillValid() ? Behaviors.same() : onRevoked())
        .onMessageEquals(
            Drain.INSTANCE,
            () -> closeWith(ErrorCode.GOING_AWAY))
        .onMessageEquals(OutboxDrained.INSTANCE, Behaviors::same)
        // Answers of an abandoned replay: let its stream run down.
        .onMessage(
            CatchUpStarted.class,
            s -> {
              s.ackTo().tell(CatchUpAck.INSTANCE);
              return Behaviors.same();
            })
        .onMessage(
            CatchUpBatch.class,
            b -> {
              b.ackTo().tell(CatchUpAck.INSTANCE);
              return Behaviors.same();
            })
        .onMessage(CatchUpEnded.class, e -> Behaviors.same())
        .onMessage(Relocated.class, r -> Behaviors.same())
        .onSignal(PostStop.class, s -> onStop());
  }

  // ---- replay ----

  private Behavior<Command> replayAfter(long afterCursor, long latestCursor, long fromSeqNr) {
    delivered = afterCursor;
    pending.headMap(delivered, true).clear();
    if (latestCursor <= delivered) return flushPending();
    stopReplay();
    heldAck = null;
    replayed = 0;
    int gen = ++generation;
    replay =
        deps.inboxLog()
            .entriesAfter(userId, afterCursor, fromSeqNr)
            .grouped(deps.settings().batchSize())
            .viaMat(KillSwitches.single(), Keep.right())
            .toMat(
                ActorSink.<List<InboxEntry>, Command, CatchUpAck>actorRefWithBackpressure(
                    context.getSelf(),
                    (ackTo, batch) -> new CatchUpBatch(gen, batch, ackTo),
                    ackTo -> new CatchUpStarted(gen, ackTo),
                    CatchUpAck.INSTANCE,
                    new CatchUpEnded(gen, null),
                    failure -> new CatchUpEnded(gen, failure)),
                Keep.left())
            .run(context.getSystem());
    return catchingUp();
  }

  private Behavior<Command> onCatchUpStarted(CatchUpStarted started) {
    started.ackTo().tell(CatchUpAck.INSTANCE);
    return Behaviors.same();
  }

  private Behavior<Command> onCatchUpBatch(CatchUpBatch batch) {
    if (batch.generation() != generation) {
      batch.ackTo().tell(CatchUpAck.INSTANCE);
      return Behaviors.same();
    }
    List<InboxEntry> fresh = new ArrayList<>(batch.entries().size());
    for (InboxEntry entry : batch.entries()) {
      if (entry.cursor() > delivered) {
        fresh.add(entry);
        delivered = entry.cursor();
      }
    }
    if (!emit(fresh, false)) return Behaviors.stopped();
    replayed += fresh.size();
    if (outbox.hasRoom()) {
      batch.ackTo().tell(CatchUpAck.INSTANCE);
    } else {
      heldAck = batch.ackTo();
      ActorRef<Command> self = context.getSelf();
      outbox.whenRoom(() -> self.tell(OutboxDrained.INSTANCE));
    }
    return Behaviors.same();
  }

  private Behavior<Command> onOutboxDrained() {
    if (heldAck != null) heldAck.tell(CatchUpAck.INSTANCE);
    heldAck = null;
    return Behaviors.same();
  }

  private Behavior<Command> onCatchUpEnded(CatchUpEnded ended) {
    if (ended.generation() != generation) return Behaviors.same();
    replay = null;
    heldAck = null;
    deps.events().caughtUp(replayed);
    if (ended.failure() != null) {
      // The next re-attach finds the inbox ahead of us and replays again.
      context.getLog().warn("Catch-up for {}/{} failed", userId, deviceId, ended.failure());
      return live();
    }
    return flushPending();
  }

  /** Emit the live pushes that now follow on; replay again if there is still a gap. */
  private Behavior<Command> flushPending() {
    pending.headMap(delivered, true).clear();
    List<InboxEntry> next = new ArrayList<>();
    while (!pending.isEmpty() && pending.firstKey() == delivered + 1) {
      next.add(pending.pollFirstEntry().getValue());
      delivered++;
    }
    if (!emitInBatches(next, true)) return Behaviors.stopped();
    if (!pending.isEmpty() || pendingTruncated) {
      pendingTruncated = false;
      return relocate(delivered);
    }
    return live();
  }

  private Behavior<Command> relocate(long afterCursor) {
    inbox.tell(
        new UserInbox.Locate(
            afterCursor, context.messageAdapter(UserInbox.Located.class, Relocated::new)));
    return catchingUp();
  }

  private Behavior<Command> onRelocated(Relocated relocated) {
    UserInbox.Located at = relocated.located();
    return replayAfter(at.afterCursor(), at.latestCursor(), at.replayFromSeqNr());
  }

  // ---- live pushes ----

  private Behavior<Command> onLivePush(FromInbox push) {
    if (push.message() instanceof UserInbox.Ephemeral ephemeral) return tell(ephemeral.notice());
    if (push.message() instanceof UserInbox.Revoked revoked) return onRevoked(revoked);
    if (!(push.message() instanceof UserInbox.Deliver deliver)) return onReplaced();
    var entries = deliver.entries();
    List<InboxEntry> next = new ArrayList<>(entries.size());
    for (InboxEntry entry : entries) {
      if (entry.cursor() <= delivered) continue;
      if (entry.cursor() == delivered + 1 && pending.isEmpty()) {
        next.add(entry);
        delivered++;
      } else {
        pending.put(entry.cursor(), entry);
      }
    }
    if (!emit(next, true)) return Behaviors.stopped();
    return pending.isEmpty() ? Behaviors.same() : relocate(delivered);
  }

  private Behavior<Command> holdLive(FromInbox push) {
    // A notice is news now or never; it need not wait for the catch-up.
    if (push.message() instanceof UserInbox.Ephemeral ephemeral) return tell(ephemeral.notice());
    if (push.message() instanceof UserInbox.Revoked revoked) return onRevoked(revoked);
    if (!(push.message() instanceof UserInbox.Deliver deliver)) return onReplaced();
    int limit = PENDING_BATCHES * deps.settings().batchSize();
    for (InboxEntry entry : deliver.entries()) {
      if (entry.cursor() <= delivered) continue;
      if (pending.size() < limit) pending.put(entry.cursor(), entry);
      else pendingTruncated = true;
    }
    return Behaviors.same();
  }

  // ---- client requests ----

  private Behavior<Command> onClientSend(ClientSend send) {
    lastHeard = System.nanoTime();
    if (!deps.sendLimits().trySend(userId, sendAllowance)) {
      return offer(
          new Failure(ErrorCode.RATE_LIMITED, send.clientMsgId(), send.conversationId()));
    }
    context.askWithStatus(
        Conversation.Posted.class,
        deps.sharding().entityRefFor(Conversation.ENTITY_KEY, send.conversationId()),
        deps.askTimeout(),
        replyTo -> new Conversation.Post(userId, send.clientMsgId(), send.body(), replyTo),
        (posted, failure) -> new SendAnswered(send, posted, failure));
    return Behaviors.same();
  }

  private Behavior<Command> onSendAnswered(SendAnswered answer) {
    ClientSend send = answer.send();
    if (answer.posted() != null) {
      var p = answer.posted();
      return offer(new Sent(send.clientMsgId(), p.messageId(), p.conversationId(), p.seq(), p.timestamp()));
    }
    Throwable failure = answer.failure();
    if (failure instanceof StatusReply.ErrorMessage refusal) {
      ErrorCode code = ErrorCode.fromWire(refusal.getMessage());
      return offer(new Failure(code, send.clientMsgId(), send.conversationId()));
    }
    if (!(failure instanceof TimeoutException)) {
      context.getLog().warn("Send by {} failed", userId, failure);
    }
    return offer(
        new Failure(ErrorCode.UNAVAILABLE, send.clientMsgId(), send.conversationId()));
  }

  private Behavior<Command> onClientAck(ClientAck ack) {
    lastHeard = System.nanoTime();
    long cursor = Math.min(ack.cursor(), delivered);
    if (cursor > 0) inbox.tell(new UserInbox.Ack(deviceId, cursor));
    return Behaviors.same();
  }

  private Behavior<Command> onClientSync(ClientSync sync) {
    lastHeard = System.nanoTime();
    return relocate(Math.max(0, sync.after()));
  }

  private Behavior<Command> onClientTyping(ClientTyping typing) {
    lastHeard = System.nanoTime();
    // The conversation limits typing notices too; this keeps a chatty client off the network.
    Long last = lastTyping.get(typing.conversationId());
    long now = System.nanoTime();
    if (last != null && now - last < TYPING_INTERVAL.toNanos()) return Behaviors.same();
    if (lastTyping.size() >= 64) lastTyping.clear();
    lastTyping.put(typing.conversationId(), now);
    deps.sharding()
        .entityRefFor(Conversation.ENTITY_KEY, typing.conversationId())
        .tell(new Conversation.Typing(userId, refusals));
    return Behaviors.same();
  }

  private Behavior<Command> onClientRead(ClientRead read) {
    lastHeard = System.nanoTime();
    inbox.tell(new UserInbox.MarkRead(read.conversationId(), read.seq(), refusals));
    return Behaviors.same();
  }

  /**
   * A notice for the device. A small batch of receipts goes out as one {@code receipt} frame each;
   * a large one (a busy group) as a single frame, so that receipts never flood the outgoing queue.
   */
  private Behavior<Command> tell(Notice notice) {
    if (notice instanceof Notice.Receipts batch && batch.receipts().size() <= RECEIPT_FRAMES) {
      for (Notice.Receipt receipt : batch.receipts()) {
        if (!outbox.offer(new Told(receipt))) {
          overflowed();
          return Behaviors.stopped();
        }
      }
      return Behaviors.same();
    }
    return offer(new Told(notice));
  }

  // ---- connection lifecycle ----

  private Behavior<Command> heard() {
    lastHeard = System.nanoTime();
    return Behaviors.same();
  }

  private Behavior<Command> onTick() {
    Duration silence = Duration.ofNanos(System.nanoTime() - lastHeard);
    if (silence.compareTo(deps.settings().connectionTimeout()) > 0) {
      context.getLog().info("Closing {}/{}: nothing heard for {}", userId, deviceId, silence);
      return closeWith(ErrorCode.HEARTBEAT_TIMEOUT);
    }
    attach();
    // Besides the inbox's word (onRevoked), in case that was lost or came before this attached.
    context.pipeToSelf(
        deps.credentials().stillValid(userId, credential),
        (valid, failure) -> new CredentialChecked(failure != null || valid));
    return offer(Ping.INSTANCE);
  }

  private Behavior<Command> onRevoked(UserInbox.Revoked revoked) {
    boolean mine =
        credential.generation() < revoked.generation()
            || (credential.tokenId() != null && credential.tokenId().equals(revoked.tokenId()));
    return mine ? onRevoked() : Behaviors.same();
  }

  private Behavior<Command> onRevoked() {
    context.getLog().info("Closing {}/{}: its token was revoked", userId, deviceId);
    return closeWith(ErrorCode.UNAUTHORIZED);
  }

  private Behavior<Command> onReattached(Attached attached) {
    if (!(attached.reply() instanceof UserInbox.Connected c)) return onRefused(attached);
    return c.latestCursor() > delivered
        ? replayAfter(delivered, c.latestCursor(), c.replayFromSeqNr())
        : Behaviors.same();
  }

  private Behavior<Command> onRefused(Attached attached) {
    deps.events().refused(ErrorCode.DEVICE_LIMIT);
    outbox.offer(new Failure(ErrorCode.DEVICE_LIMIT, null, null));
    outbox.close();
    return Behaviors.stopped();
  }

  private Behavior<Command> closeWith(ErrorCode code) {
    deps.events().closed(code);
    outbox.offer(new Failure(code, null, null));
    outbox.close();
    return Behaviors.stopped();
  }

  // ---- helpers ----

  private void attach() {
    inbox.tell(new UserInbox.Connect(deviceId, connectionId, deviceRef, attachedAdapter));
  }

  private boolean emitInBatches(List<InboxEntry> entries, boolean live) {
    int size = deps.settings().batchSize();
    for (int from = 0; from < entries.size(); from += size) {
      if (!emit(entries.subList(from, Math.min(entries.size(), from + size)), live)) return false;
    }
    return true;
  }

  private boolean emit(List<InboxEntry> entries, boolean live) {
    if (entries.isEmpty()) return true;
    if (outbox.offer(new Messages(List.copyOf(entries), live))) return true;
    overflowed();
    return false;
  }

  private Behavior<Command> offer(Out out) {
    if (outbox.offer(out)) return Behaviors.same();
    overflowed();
    return Behaviors.stopped();
  }

  /**
   * The client reads slower than messages arrive. Writing cannot wait, so the connection goes;
   * nothing is lost: the device has not acknowledged what was buffered and gets it on reconnect.
   */
  private void overflowed() {
    if (outbox.isClosed()) {
      // Not a slow reader: the connection ended under a push that was on its way.
      context.getLog().debug("{}/{}: a frame arrived after the connection closed", userId, deviceId);
      return;
    }
    context.getLog().info("Aborting {}/{}: outgoing buffer full", userId, deviceId);
    deps.events().closed(ErrorCode.SLOW_CONSUMER);
    outbox.abort();
  }

  private Behavior<Command> onReplaced() {
    context.getLog().info("Closing {}/{}: replaced by a newer connection", userId, deviceId);
    return closeWith(ErrorCode.REPLACED);
  }

  private Behavior<Command> onStop() {
    stopReplay();
    outbox.close();
    onStop.run();
    return Behaviors.same();
  }

  private void stopReplay() {
    if (replay != null) replay.shutdown();
    replay = null;
  }
}
