package messenger.delivery;

import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import java.util.Collection;
import messenger.chat.Conversation;
import messenger.chat.ConversationInfo;
import messenger.chat.ConversationType;
import messenger.chat.Notice;
import messenger.chat.ReceiptBook;

/**
 * Receipts go to the conversation's {@link ReceiptBook} (kept) and to the conversation (passed on
 * to the members' devices). Presence goes straight to the partner of each direct conversation and
 * through each group, which passes it on only if it is small enough.
 */
public final class ShardedInboxSignals implements InboxSignals {

  private final ClusterSharding sharding;

  public ShardedInboxSignals(ClusterSharding sharding) {
    this.sharding = sharding;
  }

  @Override
  public void receipt(Notice.Receipt receipt) {
    sharding
        .entityRefFor(ReceiptBook.ENTITY_KEY, receipt.conversationId())
        .tell(new ReceiptBook.Advance(receipt));
    sharding
        .entityRefFor(Conversation.ENTITY_KEY, receipt.conversationId())
        .tell(new Conversation.MemberReceipt(receipt));
  }

  @Override
  public void presence(Notice.Presence presence, Collection<ConversationInfo> conversations) {
    for (ConversationInfo info : conversations) {
      if (info.type() == ConversationType.DIRECT) {
        for (String member : info.members()) {
          if (!member.equals(presence.userId())) {
            sharding.entityRefFor(UserInbox.ENTITY_KEY, member).tell(new UserInbox.Relay(presence));
          }
        }
      } else {
        sharding
            .entityRefFor(Conversation.ENTITY_KEY, info.conversationId())
            .tell(new Conversation.PresenceOf(presence));
      }
    }
  }
}
