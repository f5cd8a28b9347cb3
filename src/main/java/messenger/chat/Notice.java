package messenger.chat;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import messenger.CborSerializable;

/**
 * Something a user's online devices are told and nobody stores: typing, receipts, presence. A
 * device that is offline misses it and reads the current state over HTTP when it comes back.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "@type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Notice.Typing.class, name = "typing"),
  @JsonSubTypes.Type(value = Notice.Receipt.class, name = "receipt"),
  @JsonSubTypes.Type(value = Notice.Receipts.class, name = "receipts"),
  @JsonSubTypes.Type(value = Notice.Presence.class, name = "presence")
})
public sealed interface Notice extends CborSerializable
    permits Notice.Typing, Notice.Receipt, Notice.Receipts, Notice.Presence {

  record Typing(String conversationId, String userId) implements Notice {}

  /**
   * {@code userId} has received ({@link Kind#DELIVERED}) or read the conversation up to {@code
   * seq}.
   */
  record Receipt(String conversationId, String userId, Kind kind, long seq) implements Notice {}

  /** Receipts of one conversation gathered over a moment, passed on together. */
  record Receipts(java.util.List<Receipt> receipts) implements Notice {}

  enum Kind {
    DELIVERED,
    READ
  }

  /**
   * @param lastSeen when the user's last device went away (null while online or if unknown)
   */
  record Presence(String userId, boolean online, Instant lastSeen) implements Notice {}
}
