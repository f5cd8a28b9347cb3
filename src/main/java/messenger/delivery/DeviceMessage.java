package messenger.delivery;

import java.util.List;
import java.util.Set;
import messenger.CborSerializable;
import messenger.chat.ChatMessage;
import messenger.chat.Notice;

/** What the user's inbox pushes to a connected device's session. */
public sealed interface DeviceMessage extends CborSerializable
    permits DeviceMessage.Deliver,
        DeviceMessage.Replaced,
        DeviceMessage.Ephemeral,
        DeviceMessage.Revoked,
        DeviceMessage.Blocking {

  /**
   * Tokens of the user were revoked: connections opened with a token of a generation below {@code
   * generation} (but the token {@code keptTokenId}, if not null), or with the token {@code tokenId}
   * (if not null), must end.
   */
  record Revoked(int generation, String tokenId, String keptTokenId) implements DeviceMessage {
    /** Every token: sent to the one connection of a device that was logged out. */
    static Revoked everyToken() {
      return new Revoked(Integer.MAX_VALUE, null, null);
    }
  }

  record Ephemeral(Notice notice) implements DeviceMessage {}

  /**
   * The users the user now blocks: from now on the connection flags their messages ({@code
   * fromBlocked}), live and caught up.
   */
  record Blocking(Set<String> blocked) implements DeviceMessage {
    public Blocking {
      blocked = blocked == null ? Set.of() : Set.copyOf(blocked);
    }
  }

  /** Messages of one conversation that follow on from its seq {@code after}, in seq order. */
  record Deliver(String conversationId, long after, List<ChatMessage> messages)
      implements DeviceMessage {}

  /** A newer connection of the same device took over; this one should close. */
  record Replaced(String deviceId) implements DeviceMessage {}
}
