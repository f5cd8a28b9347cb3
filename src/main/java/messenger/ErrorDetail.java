package messenger;

/**
 * What a refusal is about, without words: the rule broken, what it names (a field, a user, a
 * conversation) and its bounds. The edge ({@code api.ErrorText}) writes the sentence, the same for
 * HTTP and WebSocket.
 *
 * @param subject the field, user id, username or conversation id concerned, or null
 * @param min the rule's lower bound where it has one, else 0
 * @param max the rule's upper bound (a length, a count, a number of seconds), else 0
 */
public record ErrorDetail(Rule rule, String subject, long min, long max) {

  /** The rules a request can break; each is worded once at the edge. */
  public enum Rule {
    /** {@code subject} is missing or empty. */
    REQUIRED,
    /** {@code subject} must be {@code min}-{@code max} characters. */
    LENGTH,
    /** {@code subject} must be at least {@code min} characters. */
    AT_LEAST_CHARS,
    /** {@code subject} must be at most {@code max} characters. */
    AT_MOST_CHARS,
    /** {@code subject} must be a number from {@code min} to {@code max}. */
    RANGE,
    /** {@code subject} must be a positive number. */
    POSITIVE,
    /** {@code subject} must be a non-negative integer. */
    NON_NEGATIVE_INTEGER,
    /** A username has upper-case letters. */
    LOWERCASE,
    /** A username has characters outside a-z, 0-9, '_', '.', '-'. */
    USERNAME_CHARS,
    /** A username is not {@code min}-{@code max} of a-z, 0-9, '_', '.', '-'. */
    USERNAME_FORMAT,
    /** The bulk prefix would not make usernames of {@code min}-{@code max} characters. */
    USERNAME_PREFIX,
    /** {@code subject} has control characters. */
    NO_CONTROL_CHARS,
    /** {@code subject} is a sentence of a text rule ({@link UnicodeRules}, a push subscription). */
    TEXT_RULE,
    /** A conversation's type is neither "direct" nor "group". */
    CONVERSATION_TYPE,
    /** A push subscription's kind is not "web-push", "unified-push", "apns" or "fcm". */
    PUSH_KIND,
    /** {@code subject} ("apns", "fcm") is a push kind this server has no credentials for. */
    PUSH_KIND_OFF,
    /** A direct conversation names no other member, or more than one. */
    DIRECT_NEEDS_ONE_OTHER,
    /** A group would have more than {@code max} members. */
    GROUP_SIZE,
    /** {@code subject} must be a list of user ids. */
    USER_IDS,
    /** {@code subject} (a device id) must be 1-64 of letters, digits, '_', '.', '-'. */
    DEVICE_ID,
    /** There is no user {@code subject} (or none the asker may know of). */
    NO_USER,
    /** The user has no device {@code subject}. */
    NO_DEVICE,
    /** A login's username and password do not match an account (or the name is unknown). */
    INVALID_CREDENTIALS,
    /** The admin routes need the configured admin token. */
    ADMIN_TOKEN,
    /** The fields of a JSON body do not fit the request (and no one field can be named). */
    BODY_SHAPE,
    /** A request body must be JSON (its content type). */
    JSON_CONTENT_TYPE,
    /** A browser page of an origin not allowed called the API. */
    CORS_ORIGIN,
    /** No route matches the request's path. */
    NO_SUCH_RESOURCE,
    /** The caller may not use this route. */
    NOT_ALLOWED,
    /** {@code subject} is not valid JSON (the body or the frame). */
    NOT_JSON,
    /** {@code subject} must be a JSON object. */
    NOT_OBJECT,
    /** {@code subject} must be a JSON string. */
    MUST_BE_STRING,
    /** {@code subject} must be a JSON number. */
    MUST_BE_NUMBER,
    /** {@code subject} must be true or false. */
    MUST_BE_BOOLEAN,
    /** {@code subject} must be a JSON list. */
    MUST_BE_LIST,
    /** {@code subject} must be a JSON list of strings. */
    MUST_BE_LIST_OF_STRINGS,
    /** {@code subject} must be a JSON object. */
    MUST_BE_OBJECT,
    /** {@code subject} is not a field the request has. */
    UNKNOWN_FIELD,
    /** {@code subject} is an unknown frame type. */
    UNKNOWN_FRAME_TYPE,
    /** A WebSocket frame must be text. */
    TEXT_FRAMES_ONLY,
    /** A request to the WebSocket path that is not a WebSocket upgrade. */
    WEBSOCKET_UPGRADE,
    /** The request body could not be read. */
    UNREADABLE_BODY,
    /** {@code subject} is larger than {@code max} bytes in UTF-8. */
    BYTES,
    /** The request body is larger than {@code max} bytes. */
    REQUEST_BYTES,
    /** A frame is larger than {@code max} characters. */
    FRAME_CHARS,
    /** Too many failed logins; {@code max} seconds until the next try. */
    LOGIN_THROTTLED,
    /** The node is at capacity; retry in {@code max} milliseconds. */
    RETRY_AFTER,
    /** The node is checking as many passwords as it can; a login or registration retries later. */
    PASSWORD_CHECKS_BUSY,
    /** At most {@code max} new conversations per hour. */
    CREATIONS_PER_HOUR,
    /** Too many open connections from one address. */
    CONNECTIONS_PER_ADDRESS,
    /** A member's {@code role} must be "admin" or "member". */
    GROUP_ROLE,
    /** Invite links are for groups. */
    INVITES_FOR_GROUPS,
    /** The invite link is not one of this server's, has expired or was revoked. */
    NO_INVITE,
    /** A group permission {@code subject} must be "everyone" or "admins". */
    GROUP_PERMISSION,
    /** The node runs as many account exports as it allows at once. */
    EXPORTS_AT_ONCE,
    /** {@code subject} is a query parameter of the wrong form. */
    QUERY_PARAMETER,
    /** {@code subject} is a required query parameter. */
    MISSING_QUERY_PARAMETER,
    /**
     * {@code subject} must be an object of at most {@code max} conversation ids, each to a
     * non-negative seq.
     */
    POSITIONS,
    /** A report's {@code reason} is not one of the reasons a report may give. */
    REPORT_REASON,
    /** A report names neither a message ({@code conversationId} and {@code seq}) nor a user. */
    REPORT_TARGET,
    /** At most {@code max} reports per hour; the next in {@code min} milliseconds. */
    REPORTS_PER_HOUR,
    /** A resolution's {@code outcome} is neither "dismissed" nor "actioned". */
    RESOLUTION_OUTCOME,
    /** A report list's {@code status} is neither "open" nor "resolved". */
    REPORT_STATUS,
    /** A user named themselves to block. */
    BLOCK_SELF,
    /** A user blocks {@code max} users already. */
    MAX_BLOCKS
  }

  public static ErrorDetail of(Rule rule) {
    return new ErrorDetail(rule, null, 0, 0);
  }

  public static ErrorDetail of(Rule rule, String subject) {
    return new ErrorDetail(rule, subject, 0, 0);
  }

  public static ErrorDetail atMost(Rule rule, String subject, long max) {
    return new ErrorDetail(rule, subject, 0, max);
  }

  /** The node is at capacity: retry after {@code millis}. */
  public static ErrorDetail retryAfter(long millis) {
    return new ErrorDetail(Rule.RETRY_AFTER, null, 0, millis);
  }

  /** The wait a {@link Rule#RETRY_AFTER} detail names, in milliseconds; null for any other rule. */
  public Long retryAfterMs() {
    if (rule == Rule.REPORTS_PER_HOUR) return min;
    return rule == Rule.RETRY_AFTER ? max : null;
  }

  /** At most {@code perHour} reports an hour; the next may come in {@code waitMillis}. */
  public static ErrorDetail reportsPerHour(long perHour, long waitMillis) {
    return new ErrorDetail(Rule.REPORTS_PER_HOUR, null, waitMillis, perHour);
  }

  public static ErrorDetail between(Rule rule, String subject, long min, long max) {
    return new ErrorDetail(rule, subject, min, max);
  }
}
