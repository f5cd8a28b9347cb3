package messenger.chat;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import messenger.CborSerializable;

/**
 * One entry of a conversation's log as the conversation ordered it: the unit of fan-out, inbox and
 * history. A user's message has a body and no {@code change}; a membership or title change of a
 * group has a {@code change} and an empty body. A message's {@code attachments} are references to
 * files in the object store, never the bytes; entries written before attachments existed read as
 * none. An {@link Amendment} (edit, deletion, reaction) is an entry too, with an empty body.
 *
 * <p>Absent fields are not written ({@code NON_NULL}): most entries have no change, amendment or
 * revision, and the journal holds millions of them.
 *
 * @param revision what later amendments made of this message, filled in by the read path and never
 *     stored; null when nothing changed it (see {@link #later()})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatMessage(
    String conversationId,
    long seq,
    String messageId,
    String senderId,
    String body,
    Instant timestamp,
    SystemChange change,
    List<Attachment> attachments,
    Amendment amendment,
    Revision revision)
    implements CborSerializable {

  public ChatMessage {
    attachments = attachments == null ? List.of() : List.copyOf(attachments);
  }

  public ChatMessage(
      String conversationId,
      long seq,
      String messageId,
      String senderId,
      String body,
      Instant timestamp,
      SystemChange change,
      List<Attachment> attachments) {
    this(
        conversationId, seq, messageId, senderId, body, timestamp, change, attachments, null, null);
  }

  public ChatMessage(
      String conversationId,
      long seq,
      String messageId,
      String senderId,
      String body,
      Instant timestamp,
      SystemChange change) {
    this(conversationId, seq, messageId, senderId, body, timestamp, change, List.of());
  }

  public ChatMessage(
      String conversationId,
      long seq,
      String messageId,
      String senderId,
      String body,
      Instant timestamp) {
    this(conversationId, seq, messageId, senderId, body, timestamp, null);
  }

  /** What later amendments made of this message ({@link Revision#NONE} if nothing). */
  public Revision later() {
    return revision == null ? Revision.NONE : revision;
  }

  /** A membership or title change of a group. */
  public boolean isSystem() {
    return change != null;
  }

  // Not properties: the journal holds no derived flags.
  @JsonIgnore
  public boolean isAmendmentEntry() {
    return amendment != null;
  }

  /** A user's message: what counts as unread, is pushed, and may be edited, deleted, reacted to. */
  @JsonIgnore
  public boolean isUserMessage() {
    return change == null && amendment == null;
  }

  /** As history serves it after {@code later}: a deleted message keeps no text and no files. */
  public ChatMessage revised(Revision later, String latestBody) {
    if (later.deleted()) {
      return new ChatMessage(
          conversationId,
          seq,
          messageId,
          senderId,
          "",
          timestamp,
          change,
          List.of(),
          amendment,
          new Revision(null, later.deletedAt(), null));
    }
    return new ChatMessage(
        conversationId,
        seq,
        messageId,
        senderId,
        latestBody == null ? body : latestBody,
        timestamp,
        change,
        attachments,
        amendment,
        later);
  }

  /** The entry as the journal keeps it once its message was deleted: no text, no files. */
  public ChatMessage redacted() {
    return new ChatMessage(
        conversationId,
        seq,
        messageId,
        senderId,
        "",
        timestamp,
        change,
        List.of(),
        amendment,
        null);
  }
}
