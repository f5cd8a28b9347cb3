package messenger.delivery;

import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import messenger.chat.ConversationLog;

/** What every {@link Session} of a node is given: the ways to the inboxes, logs and sends. */
public record SessionDeps(
    ClusterSharding sharding,
    ConversationLog conversationLog,
    DeliverySettings settings,
    DeliveryEvents events,
    SendPort sends,
    Credential.Check credentials) {}
