package messenger.api.http.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import messenger.chat.Quote;

/** The wire form of a reply's {@link Quote} and of mentions, shared by HTTP and WebSocket. */
public final class Quotes {
  private Quotes() {}

  /** What a client sends: the seq of the message it answers. */
  public record ReplyTo(Long seq) {}

  /**
   * What a reader is served: who said what, or {@code unavailable} (then nothing else).
   *
   * @param unavailable true when the reader cannot see the quoted message; left out otherwise
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record QuoteJson(long seq, String senderId, String preview, Boolean unavailable) {}

  public static QuoteJson view(Quote quote) {
    if (quote == null) return null;
    return quote.unavailable()
        ? new QuoteJson(quote.seq(), null, null, Boolean.TRUE)
        : new QuoteJson(quote.seq(), quote.senderId(), quote.preview(), null);
  }

  /** Null for none (left out). */
  public static List<String> mentions(List<String> mentioned) {
    return mentioned.isEmpty() ? null : mentioned;
  }
}
