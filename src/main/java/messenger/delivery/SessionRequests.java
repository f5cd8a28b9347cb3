package messenger.delivery;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import io.github.bucket4j.Bucket;
import java.util.HashMap;
import java.util.Map;
import messenger.ErrorCode;
import messenger.chat.Conversation;
import messenger.chat.Refusal;
import messenger.delivery.Session.ClientAck;
import messenger.delivery.Session.ClientRead;
import messenger.delivery.Session.ClientSend;
import messenger.delivery.Session.ClientTyping;
import messenger.delivery.Session.Command;
import messenger.delivery.Session.SendAnswered;

/**
 * {@link Session}'s handlers for what the client asks of others, in every state: a send goes
 * through the {@link SendPort}, as over HTTP, and its answer back to the client; an ack (never past
 * what this connection delivered, by cursor and by positions) and a read marker go to the user's
 * inbox; a typing notice goes to the conversation. A refused typing notice or read marker comes
 * back as {@link Session.Refused}.
 */
final class SessionRequests {

  private final String userId;
  private final SessionDeps deps;
  private final ActorContext<Command> context;
  private final SessionInbox inbox;
  private final ConversationOrder order;
  private final AckPositions unacked;
  private final Outgoing out;
  private final ActorRef<Refusal> refusals;

  /** This connection's share of messenger.limits: its own token bucket. */
  private final Bucket sendAllowance;

  SessionRequests(
      String userId,
      SessionDeps deps,
      ActorContext<Command> context,
      SessionInbox inbox,
      ConversationOrder order,
      AckPositions unacked,
      Outgoing out) {
    this.userId = userId;
    this.deps = deps;
    this.context = context;
    this.inbox = inbox;
    this.order = order;
    this.unacked = unacked;
    this.out = out;
    this.refusals = context.messageAdapter(Refusal.class, Session.Refused::new);
    this.sendAllowance = deps.sends().connectionAllowance();
  }

  Behavior<Command> onClientSend(ClientSend send) {
    context.pipeToSelf(
        deps.sends()
            .send(userId, sendAllowance, send.conversationId(), send.clientMsgId(), send.content()),
        // The port answers every send with an outcome; a failed stage would be a bug in it.
        (outcome, bug) ->
            new SendAnswered(
                send, bug == null ? outcome : new SendPort.Refused(ErrorCode.UNAVAILABLE, bug)));
    return Behaviors.same();
  }

  Behavior<Command> onSendAnswered(SendAnswered answer) {
    ClientSend send = answer.send();
    Outbound frame =
        answer
            .outcome()
            .fold(
                posted -> Outbound.Sent.of(send.clientMsgId(), posted),
                refused ->
                    new Outbound.SendRefused(
                        refused.code(),
                        send.clientMsgId(),
                        send.conversationId(),
                        refused.detail()));
    return Session.goOn(out.offer(frame));
  }

  /**
   * An ack by cursor, by positions or both: the inbox is told both, each derived from the other for
   * what this connection emitted ({@link AckPositions}).
   */
  Behavior<Command> onClientAck(ClientAck ack) {
    long cursor = order.ackable(ack.cursor());
    Map<String, Long> positions = new HashMap<>(unacked.ackCursor(cursor));
    if (!ack.positions().isEmpty()) {
      cursor = Math.max(cursor, unacked.ackPositions(ack.positions()));
      ack.positions().forEach((conversation, seq) -> positions.merge(conversation, seq, Math::max));
    }
    if (cursor > 0 || !positions.isEmpty()) inbox.ack(cursor, Map.copyOf(positions));
    return Behaviors.same();
  }

  /** Told as it comes: the conversation's typing-interval throttle is the only one. */
  Behavior<Command> onClientTyping(ClientTyping typing) {
    deps.sharding()
        .entityRefFor(Conversation.ENTITY_KEY, typing.conversationId())
        .tell(new Conversation.Typing(userId, refusals));
    return Behaviors.same();
  }

  Behavior<Command> onClientRead(ClientRead read) {
    inbox.markRead(read.conversationId(), read.seq(), refusals);
    return Behaviors.same();
  }
}
