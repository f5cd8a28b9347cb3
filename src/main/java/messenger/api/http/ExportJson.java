package messenger.api.http;

import akka.NotUsed;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import java.util.List;
import messenger.api.http.dto.Attachments;
import messenger.api.http.dto.Responses;
import messenger.app.AccountExport;
import messenger.chat.ChatMessage;
import messenger.delivery.ConversationSummary;

/**
 * Writes an {@link AccountExport} as one JSON document, piece by piece as the stream gives them:
 *
 * <pre>{"exportedAt", "account": {...}, "devices": [...], "conversations": [
 *   {"conversation": {...}, "messages": [{...}, ...]}, ...]}</pre>
 *
 * Nothing is held beyond the piece being written.
 */
final class ExportJson {

  private ExportJson() {}

  /** One of the user's messages as the export has it. */
  record ExportedMessage(
      long seq,
      String messageId,
      java.time.Instant timestamp,
      String body,
      List<Attachments.AttachmentJson> attachments,
      Long replyTo,
      java.time.Instant editedAt) {}

  record ExportHeader(
      java.time.Instant exportedAt, Responses.User account, List<Responses.Device> devices) {}

  record ExportedConversation(
      String conversationId, String type, String title, List<String> members, boolean left) {}

  static Source<ByteString, NotUsed> of(Source<AccountExport.Part, NotUsed> parts) {
    return parts
        .statefulMapConcat(
            () -> {
              // Whether the next conversation or message is the first of its list (no comma).
              boolean[] firstConversation = {true};
              boolean[] firstMessage = {true};
              return part ->
                  List.of(ByteString.fromString(text(part, firstConversation, firstMessage)));
            })
        .concat(Source.single(ByteString.fromString("]}")));
  }

  private static String text(
      AccountExport.Part part, boolean[] firstConversation, boolean[] firstMessage) {
    return AccountExport.Part.match(
        part,
        header -> {
          String head = Json.write(header(header));
          return head.substring(0, head.length() - 1) + ",\"conversations\":[";
        },
        start -> {
          String comma = firstConversation[0] ? "" : ",";
          firstConversation[0] = false;
          firstMessage[0] = true;
          return comma
              + "{\"conversation\":"
              + Json.write(conversation(start.summary()))
              + ",\"messages\":[";
        },
        own -> {
          String comma = firstMessage[0] ? "" : ",";
          firstMessage[0] = false;
          return comma + Json.write(message(own.message()));
        },
        end -> "]}");
  }

  private static ExportHeader header(AccountExport.Header h) {
    var own = h.account();
    return new ExportHeader(
        h.exportedAt(),
        new Responses.User(own.userId(), own.username(), own.displayName()),
        h.devices().stream().map(DeviceRoutes::view).toList());
  }

  private static ExportedConversation conversation(ConversationSummary s) {
    return new ExportedConversation(
        s.info().conversationId(),
        s.info().type().name().toLowerCase(java.util.Locale.ROOT),
        s.info().title(),
        s.info().members(),
        s.left());
  }

  private static ExportedMessage message(ChatMessage m) {
    return new ExportedMessage(
        m.seq(),
        m.messageId(),
        m.timestamp(),
        m.body(),
        Attachments.view(m.attachments()),
        m.quote() == null ? null : m.quote().seq(),
        m.later().editedAt());
  }
}
