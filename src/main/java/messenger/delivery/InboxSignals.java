package messenger.delivery;

import java.util.Collection;
import messenger.chat.ConversationInfo;
import messenger.chat.Notice;

/** What an inbox tells the rest of the system about its user. Never blocks; fire and forget. */
public interface InboxSignals {

  InboxSignals NONE =
      new InboxSignals() {
        @Override
        public void receipt(Notice.Receipt receipt) {}

        @Override
        public void presence(
            Notice.Presence presence, Collection<ConversationInfo> conversations) {}
      };

  /** The user received or read a conversation up to a seq. */
  void receipt(Notice.Receipt receipt);

  /** The user's first device connected or the last one went away; these are its conversations. */
  void presence(Notice.Presence presence, Collection<ConversationInfo> conversations);
}
