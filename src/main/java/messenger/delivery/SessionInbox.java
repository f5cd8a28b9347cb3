package messenger.delivery;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import java.util.Map;
import messenger.chat.Refusal;

/**
 * A {@link Session}'s side of its user's {@link UserInbox}: it attaches the connection (the answer
 * says what the device should hold of each conversation), and passes on the device's acks and read
 * markers. The inbox's answers and pushes come back to the session as its own commands, through the
 * adapters made here.
 */
final class SessionInbox {

  private static final TimeBasedEpochGenerator CONNECTION_IDS =
      Generators.timeBasedEpochGenerator();

  private final String deviceId;
  private final Credential credential;
  private final String client;
  private final EntityRef<UserInbox.Command> inbox;
  private final ActorRef<DeviceMessage> deviceRef;
  private final ActorRef<ConnectReply> attachedAdapter;

  /** Time-ordered, so that the inbox keeps the newest connection of a device. */
  private final String connectionId = CONNECTION_IDS.generate().toString();

  SessionInbox(
      ClusterSharding sharding,
      String userId,
      String deviceId,
      Credential credential,
      String client,
      ActorContext<Session.Command> context) {
    this.deviceId = deviceId;
    this.credential = credential;
    this.client = client;
    this.inbox = sharding.entityRefFor(UserInbox.ENTITY_KEY, userId);
    this.deviceRef = context.messageAdapter(DeviceMessage.class, Session.FromInbox::new);
    this.attachedAdapter = context.messageAdapter(ConnectReply.class, Session.Attached::new);
  }

  /** Attaches this connection, or again: the inbox answers what the device should hold. */
  void attach() {
    inbox.tell(
        new UserInbox.Connect(
            deviceId, connectionId, deviceRef, attachedAdapter, credential, client));
  }

  void ack(long cursor, Map<String, Long> positions) {
    inbox.tell(new UserInbox.Ack(deviceId, cursor, positions));
  }

  void markRead(String conversationId, long seq, ActorRef<Refusal> refusedTo) {
    inbox.tell(new UserInbox.MarkRead(conversationId, seq, refusedTo));
  }
}
