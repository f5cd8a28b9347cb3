package messenger.api;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.ErrorDetail;
import messenger.ErrorDetail.Rule;
import messenger.UnicodeRules;

/** Input rules shared by the HTTP and WebSocket edges, so both refuse the same things alike. */
public final class BodyRules {

  private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final int MAX_CLIENT_MSG_ID = 128;
  private static final int MAX_TITLE = 100;

  private BodyRules() {}

  public static boolean isValidDeviceId(String deviceId) {
    return DEVICE_ID.matcher(deviceId).matches();
  }

  /** The most characters of a device's client label kept for the device list. */
  public static final int MAX_CLIENT_LABEL = 64;

  /**
   * The label a device list shows for a connection: the {@code client} it named, else its {@code
   * User-Agent}; control and format characters dropped, blanks collapsed, cut to {@link
   * #MAX_CLIENT_LABEL} code points. Null if neither gives anything.
   */
  public static String clientLabel(String named, String userAgent) {
    String label = printable(named);
    if (label.isEmpty()) label = printable(userAgent);
    if (label.isEmpty()) return null;
    int end =
        label.offsetByCodePoints(
            0, Math.min(MAX_CLIENT_LABEL, label.codePointCount(0, label.length())));
    return label.substring(0, end).strip();
  }

  private static String printable(String text) {
    if (text == null) return "";
    StringBuilder kept = new StringBuilder();
    text.codePoints()
        .map(cp -> Character.isWhitespace(cp) ? ' ' : cp)
        .filter(
            cp -> {
              int type = Character.getType(cp);
              return type != Character.CONTROL
                  && type != Character.FORMAT
                  && type != Character.SURROGATE
                  && type != Character.UNASSIGNED
                  && type != Character.PRIVATE_USE;
            })
        .forEach(kept::appendCodePoint);
    return kept.toString().replaceAll(" {2,}", " ").strip();
  }

  public static void requireClientMsgId(String clientMsgId) {
    if (clientMsgId == null || clientMsgId.isBlank() || clientMsgId.length() > MAX_CLIENT_MSG_ID) {
      throw new DomainException(
          ErrorCode.BAD_REQUEST,
          ErrorDetail.between(Rule.LENGTH, "clientMsgId", 1, MAX_CLIENT_MSG_ID));
    }
  }

  /** A group's title: 1-100 characters, not only blanks. */
  public static void requireTitle(String title) {
    if (title == null || title.isBlank() || title.length() > MAX_TITLE) {
      throw new DomainException(
          ErrorCode.BAD_REQUEST, ErrorDetail.between(Rule.LENGTH, "title", 1, MAX_TITLE));
    }
    String problem = UnicodeRules.nameProblem(title);
    if (problem != null) throw DomainException.of(ErrorCode.BAD_REQUEST, Rule.TEXT_RULE, problem);
  }

  /** A message with files may have no text; one without must have some. */
  public static void requireBodyOrFiles(String body, boolean hasFiles, int maxBodyBytes) {
    if (hasFiles && (body == null || body.isEmpty())) return;
    requireBody(body, maxBodyBytes);
  }

  public static void requireBody(String body, int maxBodyBytes) {
    if (body == null || body.isEmpty()) {
      throw DomainException.of(ErrorCode.BAD_REQUEST, Rule.REQUIRED, "body");
    }
    // Cheap bound first: a UTF-8 encoding has at least one byte per char.
    if (body.length() > maxBodyBytes
        || body.getBytes(StandardCharsets.UTF_8).length > maxBodyBytes) {
      throw new DomainException(
          ErrorCode.TOO_LARGE, ErrorDetail.atMost(Rule.BYTES, "body", maxBodyBytes));
    }
  }

  /** The most members one message may mention. */
  public static final int MAX_MENTIONS = 50;

  /** A reply's seq: positive, or null for a message that answers nothing. */
  public static Long replyTo(Long seq) {
    if (seq != null && seq < 1) {
      throw DomainException.of(ErrorCode.BAD_REQUEST, Rule.POSITIVE, "replyTo.seq");
    }
    return seq;
  }

  /** Mentions: at most {@link #MAX_MENTIONS} user ids, each once (null: none). */
  public static List<String> mentions(List<String> userIds) {
    if (userIds == null) return List.of();
    if (userIds.size() > MAX_MENTIONS
        || userIds.stream().anyMatch(id -> id == null || id.isBlank())) {
      throw new DomainException(
          ErrorCode.BAD_REQUEST, ErrorDetail.between(Rule.USER_IDS, "mentions", 0, MAX_MENTIONS));
    }
    return userIds.stream().distinct().toList();
  }

  /** The most characters a reaction's emoji may have (a flag or a family is several). */
  public static final int MAX_EMOJI_CHARS = 32;

  public static void requireEmoji(String emoji) {
    if (emoji == null || emoji.isEmpty() || emoji.length() > MAX_EMOJI_CHARS) {
      throw new DomainException(
          ErrorCode.BAD_REQUEST, ErrorDetail.between(Rule.LENGTH, "emoji", 1, MAX_EMOJI_CHARS));
    }
  }
}
