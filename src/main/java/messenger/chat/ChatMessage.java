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
 * @param quote for a reply, the message it answers (the log keeps only its seq); else null
 * @param mentions the members the message mentions (they are pushed even if they muted the
 *     conversation); null for none
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
    Revision revision,
    Quote quote,
    List<String> mentions)
    implements CborSerializable {

  public ChatMessage {
    attachments = attachments == null ? List.of() : List.copyOf(attachments);
    mentions = mentions == null || mentions.isEmpty() ? null : List.copyOf(mentions);
  }

  public ChatMessage(
      String conversationId,
      long seq,
      String messageId,
      String senderId,
      String body,
      Instant timestamp,
      SystemChange change,
      List<Attachment> attachments,
      Amendment amendment,
      Revision revision) {
    this(
        conversationId,
        seq,
        messageId,
        senderId,
        body,
        timestamp,
        change,
        attachments,
        amendment,
        revision,
        null,
        null);
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

  /** The mentioned members (none: empty). */
  public List<String> mentioned() {
    return mentions == null ? List.of() : mentions;
  }

  /** The same entry with {@code newQuote} (filled in, or as a reader sees it). */
  public ChatMessage withQuote(Quote newQuote) {
    return with(body, attachments, amendment, revision, newQuote, mentions);
  }

  public ChatMessage withMentions(List<String> newMentions) {
    return with(body, attachments, amendment, revision, quote, newMentions);
  }

  /** As a reader who sees the log from {@code visibleFrom} on sees it: no quote of before. */
  public ChatMessage seenFrom(long visibleFrom) {
    if (quote == null) return this;
    Quote seen = quote.seenFrom(visibleFrom);
    return seen == quote ? this : withQuote(seen);
  }

  /** Its text for lists, notifications and quotes: a message of files only by its first file. */
  public String previewText() {
    if (!body.isEmpty() || attachments.isEmpty()) return body;
    String first = "\uD83D\uDCCE " + attachments.get(0).name();
    int more = attachments.size() - 1;
    return more == 0 ? first : first + " (+" + more + ")";
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

  /**
   * As history serves it after {@code later}: a deleted message keeps no text and no files, nor
   * does an edit of it.
   */
  public ChatMessage revised(Revision later, String latestBody) {
    if (later.deleted() && isAmendmentEntry()) return redacted();
    if (later.deleted()) {
      return with(
          "", List.of(), amendment, new Revision(null, later.deletedAt(), null), null, null);
    }
    String latest = latestBody == null ? body : latestBody;
    return with(latest, attachments, amendment, later, quote, mentions);
  }

  /**
   * The entry as the journal keeps it once its message was deleted: no text, no files (an edit of
   * it, no new text).
   */
  public ChatMessage redacted() {
    Amendment kept = amendment == null ? null : amendment.withoutText();
    return with("", List.of(), kept, null, null, null);
  }

  /** The same entry (seq, id, sender, time, change) with other content. */
  private ChatMessage with(
      String newBody,
      List<Attachment> newAttachments,
      Amendment newAmendment,
      Revision newRevision,
      Quote newQuote,
      List<String> newMentions) {
    return new ChatMessage(
        conversationId,
        seq,
        messageId,
        senderId,
        newBody,
        timestamp,
        change,
        newAttachments,
        newAmendment,
        newRevision,
        newQuote,
        newMentions);
  }
}
