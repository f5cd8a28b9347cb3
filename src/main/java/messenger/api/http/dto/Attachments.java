package messenger.api.http.dto;

import java.util.List;
import messenger.chat.Attachment;

/** A message's attachments on the wire, the same in requests, history and WebSocket frames. */
public final class Attachments {

  private Attachments() {}

  /**
   * @param size bytes; in a request, what the client uploaded (the server checks it)
   * @param preview a small data: URL image the client made, or null
   */
  public record AttachmentJson(
      String id,
      String mime,
      Long size,
      String name,
      Integer width,
      Integer height,
      String preview) {}

  /** What a request names; a missing list is none, a missing size is refused by the rules. */
  public static List<Attachment> fromWire(List<AttachmentJson> wire) {
    if (wire == null) return List.of();
    return wire.stream()
        .map(
            a ->
                new Attachment(
                    a.id(),
                    a.mime(),
                    a.size() == null ? 0 : a.size(),
                    a.name(),
                    a.width(),
                    a.height(),
                    a.preview()))
        .toList();
  }

  /** What a message carries, for history and frames; null for none, so it is left out. */
  public static List<AttachmentJson> view(List<Attachment> attachments) {
    if (attachments.isEmpty()) return null;
    return attachments.stream()
        .map(
            a ->
                new AttachmentJson(
                    a.id(), a.mime(), a.size(), a.name(), a.width(), a.height(), a.preview()))
        .toList();
  }
}
