package messenger.delivery;

import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import java.util.List;
import messenger.chat.ChatMessage;
import messenger.chat.ConversationInfo;
import messenger.chat.InboxProgress;
import messenger.chat.MemberInboxes;
import messenger.chat.Notice;

/** Conversations fan out to the sharded {@link UserInbox} of each member. */
public final class ShardedMemberInboxes implements MemberInboxes {

  private final ClusterSharding sharding;

  public ShardedMemberInboxes(ClusterSharding sharding) {
    this.sharding = sharding;
  }

  @Override
  public void join(
      String userId, ConversationInfo info, long fromSeq, ActorRef<InboxProgress> replyTo) {
    sharding
        .entityRefFor(UserInbox.ENTITY_KEY, userId)
        .tell(new UserInbox.Join(info, fromSeq, replyTo));
  }

  @Override
  public void append(
      String userId,
      String conversationId,
      List<ChatMessage> messages,
      ActorRef<InboxProgress> replyTo) {
    sharding
        .entityRefFor(UserInbox.ENTITY_KEY, userId)
        .tell(new UserInbox.Append(conversationId, messages, replyTo));
  }

  @Override
  public void relay(String userId, Notice notice) {
    sharding.entityRefFor(UserInbox.ENTITY_KEY, userId).tell(new UserInbox.Relay(notice));
  }
}
