package messenger;

/**
 * Stable refusal codes shared by the domain and the edge. Actors refuse with {@code
 * StatusReply.error(code.wire())}; the edge maps the code to an HTTP status or an error frame.
 */
public enum ErrorCode {
  BAD_REQUEST("bad_request"),
  BAD_FRAME("bad_frame"),
  UNKNOWN_TYPE("unknown_type"),
  TOO_LARGE("too_large"),
  NOT_MEMBER("not_member"),
  /** Only a group's admins may do this (remove someone else). */
  NOT_ADMIN("not_admin"),
  /** The group has max-group-size members already. */
  GROUP_FULL("group_full"),
  NOT_FOUND("not_found"),
  UNAUTHORIZED("unauthorized"),
  USERNAME_TAKEN("username_taken"),
  UNAVAILABLE("unavailable"),
  /** The device opened a newer connection; this one is closed. */
  REPLACED("replaced"),
  /** The user already has the maximum number of devices connected; this connection is refused. */
  DEVICE_LIMIT("device_limit"),
  /** Nothing was heard from the client for the connection timeout; the connection is closed. */
  HEARTBEAT_TIMEOUT("heartbeat_timeout"),
  /** The client read too slowly; the connection is closed and catches up on reconnect. */
  SLOW_CONSUMER("slow_consumer"),
  /** The node is shutting down; reconnect (to another node). */
  GOING_AWAY("going_away"),
  /** Sending faster than messenger.limits allows; retry the same clientMsgId a little later. */
  RATE_LIMITED("rate_limited"),
  /**
   * The node has as many sends in flight as messenger.limits.node-sends-in-flight; this one was not
   * started. Retry the same clientMsgId after the retryAfterMs given.
   */
  OVERLOADED("overloaded"),
  /** A browser page from a site not in messenger.http.allowed-origins tried to open a WebSocket. */
  ORIGIN_REFUSED("origin_refused"),
  /** A device registered a push kind (APNs, FCM) that this server has no credentials for. */
  PUSH_KIND_UNAVAILABLE("push_kind_unavailable"),
  /** An attachment's type is not in messenger.attachments.allowed-types. */
  TYPE_NOT_ALLOWED("type_not_allowed"),
  /** A message names more attachments than messenger.attachments.max-per-message. */
  TOO_MANY_ATTACHMENTS("too_many_attachments"),
  /**
   * A message names an upload that is not in the store (never uploaded, not finished, collected) or
   * was made by someone else or for another conversation.
   */
  UPLOAD_NOT_FOUND("upload_not_found"),
  /** The uploaded file is not what the message says it is (another size or type). */
  UPLOAD_MISMATCH("upload_mismatch"),
  /** Only the sender may edit a message, and delete it (in a group, an admin may delete any). */
  NOT_SENDER("not_sender"),
  /** A message may be edited for messenger.chat.edit-window after it was sent, not later. */
  EDIT_WINDOW_PASSED("edit_window_passed"),
  /** The entry is a membership or title change or an amendment: only messages are changed. */
  NOT_A_MESSAGE("not_a_message"),
  /** The message was deleted for everyone: it cannot be edited or reacted to, nor deleted again. */
  MESSAGE_DELETED("message_deleted"),
  /** The emoji is not one of messenger.chat.reactions. */
  REACTION_NOT_ALLOWED("reaction_not_allowed"),
  /** A message mentions someone who is not a member of the conversation. */
  MENTION_NOT_MEMBER("mention_not_member"),
  /** The current password given to change the password is not the account's. */
  WRONG_PASSWORD("wrong_password"),
  /**
   * The account is suspended by a moderator: its tokens are refused and a login with the right
   * password is refused with this (a wrong one still gets {@code unauthorized}).
   */
  SUSPENDED("suspended"),
  /** The moderation API needs a user token of a moderator (granted by an operator). */
  NOT_MODERATOR("not_moderator"),
  /**
   * One of the two members of a direct conversation blocks the other: neither may open it or send
   * into it (docs/protocol.md, "Blocking").
   */
  BLOCKED("blocked"),
  /** The user blocks messenger.safety.max-blocks users already; unblock one first. */
  TOO_MANY_BLOCKS("too_many_blocks"),
  /** The group's only admin cannot become a member: make someone else an admin first. */
  LAST_ADMIN("last_admin"),
  /** The group has InviteBook.MAX_ACTIVE invite links working already; revoke one first. */
  TOO_MANY_INVITES("too_many_invites");

  private final String wire;

  ErrorCode(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static ErrorCode fromWire(String wire) {
    for (ErrorCode code : values()) {
      if (code.wire.equals(wire)) return code;
    }
    return UNAVAILABLE;
  }
}
