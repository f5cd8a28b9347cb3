package messenger.delivery;

import akka.actor.typed.ActorRef;
import java.util.List;
import java.util.Map;
import messenger.chat.ChatMessage;

/** What a {@link UserInbox} tells itself (timers, watches, reads it piped) and sharding's stop. */
final class InboxInternal {

  private InboxInternal() {}

  record DeviceGone(String deviceId, ActorRef<DeviceMessage> device) implements UserInbox.Command {}

  /** The grace after the last device left has passed. */
  enum PresenceGraceOver implements UserInbox.Command {
    INSTANCE
  }

  /** Time to write the device acks taken since the last write ({@link InboxAcks}). */
  enum FlushAcks implements UserInbox.Command {
    INSTANCE
  }

  /** Time to read where the conversations stand, at the start or again after a failed read. */
  enum ReadHeads implements UserInbox.Command {
    INSTANCE
  }

  /**
   * What the conversations said since the summaries were written ({@link InboxStart}).
   *
   * @param failure null if read
   */
  record HeadsCaughtUp(Map<String, List<ChatMessage>> missed, Throwable failure)
      implements UserInbox.Command {}

  /**
   * Sharding's stop message (passivation, hand-off): the held acks and moved summaries are written
   * first.
   */
  enum Stop implements UserInbox.Command {
    INSTANCE
  }
}
