package messenger.api;

import messenger.DomainException;
import messenger.ErrorCode;
import messenger.ErrorDetail;

/**
 * The one place where refusals get their words, for HTTP bodies and WebSocket error frames alike. A
 * sentence names the field or rule that failed and its bounds, never a Java type or a library's
 * internals; the domain hands over only an {@link ErrorCode} and, where it helps, an {@link
 * ErrorDetail}.
 */
public final class ErrorText {

  private ErrorText() {}

  public static String of(DomainException refusal) {
    return refusal.detail().map(ErrorText::of).orElseGet(() -> of(refusal.code()));
  }

  public static String of(ErrorCode code, ErrorDetail detail) {
    return detail == null ? of(code) : of(detail);
  }

  /**
   * A WebSocket session's failure: a refused send, typing notice or read marker (about {@code
   * conversationId}), or why the connection closes (no conversation).
   */
  public static String onSocket(ErrorCode code, String conversationId) {
    if (conversationId != null && code == ErrorCode.NOT_MEMBER) {
      return "you are not a member of conversation " + conversationId;
    }
    if (conversationId != null && code == ErrorCode.NOT_FOUND) {
      return "no conversation " + conversationId;
    }
    // The only reasons a session gives these: a send that timed out, a revoked token.
    if (code == ErrorCode.UNAVAILABLE) {
      return "the message may not have been stored; retry with the same clientMsgId";
    }
    if (code == ErrorCode.UNAUTHORIZED) return "this token was revoked; log in again";
    return of(code);
  }

  /** As {@link #onSocket(ErrorCode, String)}, unless {@code detail} says more. */
  public static String onSocket(ErrorCode code, String conversationId, ErrorDetail detail) {
    return detail == null ? onSocket(code, conversationId) : of(detail);
  }

  /** The sentence for a code with nothing more said. */
  public static String of(ErrorCode code) {
    return switch (code) {
      case BAD_REQUEST -> "the request is not valid";
      case BAD_FRAME -> "the frame is not valid";
      case UNKNOWN_TYPE -> "unknown frame type";
      case TOO_LARGE -> "the request is too large";
      case NOT_MEMBER -> "you are not a member of this conversation";
      case NOT_ADMIN -> "only an admin of this group may do that";
      case GROUP_FULL -> "the group is full";
      case NOT_FOUND -> "no such conversation, or no such member of it";
      case UNAUTHORIZED -> "a valid bearer token is required";
      case USERNAME_TAKEN -> "username is taken";
      case UNAVAILABLE -> "the service did not answer in time; try again";
      case REPLACED -> "this device connected again elsewhere";
      case DEVICE_LIMIT -> "too many devices of this user are connected at once; close one first";
      case HEARTBEAT_TIMEOUT -> "nothing heard from the client within the connection timeout";
      case SLOW_CONSUMER -> "the client read too slowly; reconnect to catch up";
      case GOING_AWAY -> "the server is shutting down; reconnect";
      case RATE_LIMITED -> "sending too fast; retry with the same clientMsgId in a moment";
      case OVERLOADED -> "the server is at capacity; retry with the same clientMsgId in a moment";
      case ORIGIN_REFUSED ->
          "WebSockets from this origin are not allowed (messenger.http.allowed-origins)";
      case PUSH_KIND_UNAVAILABLE -> "this server does not send pushes of this kind";
      case TYPE_NOT_ALLOWED -> "files of this type are not accepted";
      case TOO_MANY_ATTACHMENTS -> "the message has too many attachments";
      case UPLOAD_NOT_FOUND ->
          "no finished upload of yours to this conversation has that id; upload it again";
      case UPLOAD_MISMATCH -> "the uploaded file is not the size or type the message says";
      case NOT_SENDER ->
          "only the sender may do this to the message (in a group, an admin may delete)";
      case EDIT_WINDOW_PASSED -> "the message is too old to be edited";
      case NOT_A_MESSAGE -> "that entry is a membership change or an amendment, not a message";
      case MESSAGE_DELETED -> "the message was deleted for everyone";
      case REACTION_NOT_ALLOWED -> "that emoji is not one of the reactions this server allows";
      case MENTION_NOT_MEMBER -> "a message may mention members of the conversation only";
      case WRONG_PASSWORD -> "the current password is not right";
      case SUSPENDED -> "this account is suspended";
      case NOT_MODERATOR -> "only a moderator may do that";
      case BLOCKED -> "one of you blocks the other: this direct conversation is closed to sends";
      case TOO_MANY_INVITES -> "the group has as many invite links as it may; revoke one first";
      case LAST_ADMIN -> "a group needs an admin: make someone else an admin first";
      case TOO_MANY_BLOCKS -> "you block as many users as this server allows; unblock one first";
    };
  }

  public static String of(ErrorDetail d) {
    String field = d.subject() == null ? "value" : "`" + d.subject() + "`";
    return switch (d.rule()) {
      case REQUIRED -> field + " is required";
      case LENGTH -> field + " must be " + d.min() + "-" + d.max() + " characters";
      case AT_LEAST_CHARS -> field + " must be at least " + d.min() + " characters";
      case AT_MOST_CHARS -> field + " must be at most " + d.max() + " characters";
      case RANGE -> field + " must be " + d.min() + " to " + d.max();
      case POSITIVE -> field + " must be positive";
      case NON_NEGATIVE_INTEGER -> "field " + field + " must be a non-negative integer";
      case LOWERCASE -> field + " must be lowercase";
      case USERNAME_CHARS ->
          field + " may only contain lowercase letters a-z, digits 0-9, '_', '.' and '-'";
      case USERNAME_FORMAT -> field + " must be " + d.min() + "-" + d.max() + " of [a-z0-9_.-]";
      case USERNAME_PREFIX ->
          field
              + " must be lowercase letters, digits, '_', '.' or '-', and with the number appended"
              + " make usernames of "
              + d.min()
              + " to "
              + d.max()
              + " characters";
      case NO_CONTROL_CHARS -> field + " must not contain control characters";
      case TEXT_RULE -> d.subject() == null ? "text breaks a rule" : d.subject();
      case CONVERSATION_TYPE -> "`type` must be \"direct\" or \"group\"";
      case PUSH_KIND -> "`kind` must be \"web-push\", \"unified-push\", \"apns\" or \"fcm\"";
      case PUSH_KIND_OFF ->
          d.subject() == null
              ? "this server does not send pushes of this kind"
              : "this server does not send "
                  + quoted(d.subject())
                  + " pushes (messenger.push."
                  + d.subject()
                  + " is not configured)";
      case DIRECT_NEEDS_ONE_OTHER -> "a direct conversation needs exactly one other member";
      case GROUP_SIZE -> "a group has at most " + d.max() + " members";
      case USER_IDS -> "field " + field + " must be a list of user ids";
      case DEVICE_ID -> field + " is required: 1-64 of letters, digits, '_', '.', '-'";
      case NO_USER -> d.subject() == null ? "no such user" : "no user " + d.subject();
      case NO_DEVICE ->
          d.subject() == null
              ? "no such device is known"
              : "no device " + d.subject() + " is known";
      case INVALID_CREDENTIALS -> "invalid username or password";
      case ADMIN_TOKEN -> "a valid admin bearer token is required";
      case BODY_SHAPE -> "the body's fields do not have the expected types";
      case JSON_CONTENT_TYPE -> "expected a JSON body";
      case CORS_ORIGIN ->
          "pages of this origin may not call the API (messenger.http.allowed-origins)";
      case NO_SUCH_RESOURCE -> "no such resource";
      case NOT_ALLOWED -> "not allowed";
      case NOT_JSON -> whole(d) + " is not valid JSON";
      case NOT_OBJECT -> whole(d) + " must be a JSON object";
      case MUST_BE_STRING -> "field " + field + " must be a string";
      case MUST_BE_NUMBER -> "field " + field + " must be a number";
      case MUST_BE_BOOLEAN -> "field " + field + " must be true or false";
      case MUST_BE_LIST -> "field " + field + " must be a list";
      case MUST_BE_LIST_OF_STRINGS -> "field " + field + " must be a list of strings";
      case MUST_BE_OBJECT -> "field " + field + " must be an object";
      case UNKNOWN_FIELD -> "unknown field " + field;
      case UNKNOWN_FRAME_TYPE -> "unknown frame type " + quoted(d.subject());
      case TEXT_FRAMES_ONLY -> "only text frames are accepted";
      case WEBSOCKET_UPGRADE -> "expected a WebSocket upgrade request";
      case UNREADABLE_BODY -> "the request body could not be read";
      case BYTES -> field + " is larger than " + d.max() + " bytes (UTF-8)";
      case REQUEST_BYTES -> "the request body is larger than " + d.max() + " bytes";
      case FRAME_CHARS -> "frame larger than " + d.max() + " characters";
      case LOGIN_THROTTLED -> "too many failed logins; try again in " + d.max() + " s";
      case RETRY_AFTER ->
          "the server is at capacity; retry with the same clientMsgId in " + d.max() + " ms";
      case PASSWORD_CHECKS_BUSY ->
          "too many logins and registrations at once; try again in a moment";
      case CREATIONS_PER_HOUR ->
          "at most " + d.max() + " new conversations per hour; try again later";
      case CONNECTIONS_PER_ADDRESS -> "too many connections from this address";
      case INVITES_FOR_GROUPS -> "invite links are for groups only";
      case NO_INVITE ->
          "this invite link does not work: it expired, was revoked or is not one of ours";
      case GROUP_ROLE -> "`role` must be \"admin\" or \"member\"";
      case GROUP_PERMISSION -> field + " must be \"everyone\" or \"admins\"";
      case EXPORTS_AT_ONCE -> "the server is busy with other exports; try again in a minute";
      case QUERY_PARAMETER -> "invalid query parameter " + field;
      case MISSING_QUERY_PARAMETER -> "missing query parameter " + field;
      case BLOCK_SELF -> "you cannot block yourself";
      case MAX_BLOCKS -> "at most " + d.max() + " users may be blocked; unblock one first";
      case POSITIONS ->
          "field "
              + field
              + " must be an object of at most "
              + d.max()
              + " conversation ids (1-128 characters), each to a non-negative seq";
      case REPORT_REASON ->
          "`reason` must be one of \"spam\", \"harassment\", \"abuse\", \"illegal\", \"other\"";
      case REPORT_TARGET ->
          "a report names either a message (`conversationId` and `seq`) or a user (`userId`)";
      case REPORTS_PER_HOUR ->
          "at most "
              + d.max()
              + " reports per hour; try again in "
              + Math.max(1, (d.min() + 999) / 1000)
              + " s";
      case RESOLUTION_OUTCOME -> "`outcome` must be \"dismissed\" or \"actioned\"";
      case REPORT_STATUS -> "`status` must be \"open\" or \"resolved\"";
    };
  }

  /** For an HTTP method a route does not take (no {@link ErrorCode} of its own). */
  public static String methodNotAllowed() {
    return "method not allowed here";
  }

  /** For a failure nobody foresaw: nothing of it goes to the client. */
  public static String internal() {
    return "unexpected server error";
  }

  /** "body" or "frame": what the client sent as a whole. */
  private static String whole(ErrorDetail d) {
    return d.subject() == null ? "body" : d.subject();
  }

  private static String quoted(String value) {
    if (value == null) return "\"\"";
    String shown = value.length() > 32 ? value.substring(0, 32) + "…" : value;
    return "\"" + shown + "\"";
  }
}
