// The wire types of docs/protocol.md: HTTP bodies and WebSocket frames, as the server writes them.
// Ids are opaque strings; timestamps are ISO-8601 UTC strings.

/** Every stable refusal code (docs/protocol.md, "Errors"); `network` is the SDK's own. */
export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'not_member'
  | 'not_admin'
  | 'last_admin'
  | 'too_many_invites'
  | 'group_full'
  | 'not_found'
  | 'username_taken'
  | 'too_large'
  | 'origin_refused'
  | 'rate_limited'
  | 'overloaded'
  | 'unavailable'
  | 'bad_frame'
  | 'unknown_type'
  | 'replaced'
  | 'device_limit'
  | 'heartbeat_timeout'
  | 'going_away'
  | 'method_not_allowed'
  | 'type_not_allowed'
  | 'too_many_attachments'
  | 'upload_not_found'
  | 'upload_mismatch'
  | 'not_sender'
  | 'edit_window_passed'
  | 'not_a_message'
  | 'message_deleted'
  | 'reaction_not_allowed'
  | 'mention_not_member'
  | 'push_kind_unavailable'
  | 'wrong_password'
  | 'suspended'
  | 'not_moderator'
  | 'blocked'
  | 'too_many_blocks'
  | 'slow_consumer'
  | 'internal'
  | 'network';

// ---- HTTP ----

export interface Registered {
  userId: string;
  username: string;
}

export interface Token {
  token: string;
  userId: string;
  expiresAt: string;
}

export type ConversationType = 'direct' | 'group';

export interface Conversation {
  conversationId: string;
  type: ConversationType;
  title?: string | null;
  members: string[];
  createdAt: string;
}

export interface MemberView {
  userId: string;
  role: 'admin' | 'member';
  joinedSeq: number;
}

export interface ConversationDetails {
  conversationId: string;
  type: ConversationType;
  title: string | null;
  createdAt: string;
  lastSeq: number;
  members: MemberView[];
  permissions: GroupPermissions;
}

export interface LastMessage {
  seq: number;
  senderId: string;
  preview: string;
  timestamp: string;
}

export interface ConversationListItem {
  conversationId: string;
  type: ConversationType;
  title: string | null;
  members: string[];
  createdAt: string;
  lastSeq: number;
  lastMessage: LastMessage | null;
  unreadCount: number;
  left: boolean;
  muted: boolean;
}

export interface Seq {
  seq: number;
}

export interface ReceiptMarkers {
  userId: string;
  deliveredSeq: number;
  readSeq: number;
}

export interface ConversationReceipts {
  conversationId: string;
  members: ReceiptMarkers[];
}

export interface User {
  userId: string;
  /** `""` for a deleted account. */
  username: string;
  displayName: string | null;
  /** The account was deleted: `displayName` is "Deleted user". */
  deleted?: boolean;
}

/** The caller's own account (`GET`/`PATCH /account`). */
export interface Account {
  userId: string;
  username: string;
  displayName: string | null;
}

/** Someone the caller blocks, since when. */
export interface BlockedUser {
  userId: string;
  since: string;
}

export type ReportReason = 'spam' | 'harassment' | 'abuse' | 'illegal' | 'other';

/** What `POST /reports` takes: a message (conversationId and seq) or a user, never both. */
export type ReportRequest =
  | { conversationId: string; seq: number; reason: ReportReason; note?: string }
  | { userId: string; reason: ReportReason; note?: string };

export interface PresenceView {
  userId: string;
  online: boolean;
  lastSeen: string | null;
}

/** A membership or title change: an entry of the conversation's log with `body: ""`. */
export interface SystemChange {
  kind: 'member_added' | 'member_removed' | 'member_left' | 'renamed' | 'role_changed' | 'permissions_changed';
  userId?: string | null;
  title?: string | null;
  /** `role_changed`: the member's new role. */
  role?: MemberRole;
  /** `permissions_changed`: the group's new permissions. */
  permissions?: GroupPermissions;
}

export type MemberRole = 'admin' | 'member';

/** Who may add members and who may rename a group. */
export interface GroupPermissions {
  addMembers: 'everyone' | 'admins';
  rename: 'everyone' | 'admins';
}

/** An invite link to a group: `token` is its secret, which `joinWithInvite` presents. */
export interface Invite {
  inviteId: string;
  creatorId: string;
  expiresAt: string;
  token: string;
}

/** Where joining with an invite put the user. */
export interface Joined {
  conversationId: string;
  seq: number;
}

/** The picture a user shows; `avatarId` changes with every new picture. */
export interface Avatar {
  avatarId: string;
  mime: string;
}

/**
 * A file a message carries, by reference (docs/protocol.md, "Attachments"): `id` is the upload's,
 * `mime` and `size` are the uploaded file's; name, dimensions and preview are the sender's.
 */
export interface Attachment {
  id: string;
  mime: string;
  size: number;
  name: string;
  width?: number | null;
  height?: number | null;
  /** A small `data:image/...` URL the sender made, to show before the download. */
  preview?: string | null;
}

/** Where to PUT an upload: `method` to `url` with `headers`, before `expiresAt`. */
export interface UploadTicket {
  uploadId: string;
  method: 'PUT';
  url: string;
  headers: Record<string, string>;
  expiresAt: string;
}

/** Where to GET an attachment, until `expiresAt`; ask again after. */
export interface Download {
  url: string;
  expiresAt: string;
}

/**
 * On an edit, deletion or reaction entry (whose body is empty): what it changes in the message at
 * `seq`. The entry's `senderId` is who made it, its `timestamp` when.
 */
export interface Amendment {
  kind: 'edit' | 'delete' | 'reaction';
  /** The message it changes. */
  seq: number;
  /** edit: the new text. */
  body?: string;
  /** reaction: the emoji. */
  emoji?: string;
  /** reaction: put on (true) or taken off (false). */
  on?: boolean;
}

/** How many reacted to a message with one emoji, and whether the reader is one of them. */
export interface Reaction {
  emoji: string;
  count: number;
  mine: boolean;
}

/**
 * The message a message answers, quoted as it is when served: its sender and its first 100
 * characters (`…` after), or `unavailable` when the reader cannot see it (sent before they joined,
 * or deleted).
 */
export type QuotedMessage =
  | { seq: number; senderId: string; preview: string; unavailable?: undefined }
  | { seq: number; unavailable: true; senderId?: undefined; preview?: undefined };

/** What a message entry carries besides its text: files, revisions, the message it answers, mentions. */
export interface MessageFields {
  system?: SystemChange | null;
  attachments?: Attachment[];
  /** Set on an edit, deletion or reaction entry, whose own body is empty. */
  amendment?: Amendment;
  /** When the message was last edited (its body is already the latest text); absent if never. */
  editedAt?: string | null;
  /** Deleted for everyone: body empty, no files, no reactions. Show a tombstone, never old text. */
  deleted?: boolean;
  /** Per emoji; absent when there are none. */
  reactions?: Reaction[];
  replyTo?: QuotedMessage;
  /** The userIds the sender mentioned. */
  mentions?: string[];
  /** The reader blocks the sender (a group message): clients may hide it. */
  fromBlocked?: boolean;
}

export interface HistoryMessage extends MessageFields {
  messageId: string;
  conversationId: string;
  seq: number;
  senderId: string;
  body: string;
  timestamp: string;
  deliveredTo: number;
  readBy: number;
  recipients: number;
}

/** What `POST …/messages/{seq}/amendments` changes: the new text, a deletion, a reaction. */
export type AmendmentRequest =
  | { kind: 'edit'; body: string }
  | { kind: 'delete' }
  | { kind: 'reaction'; emoji: string; on?: boolean };

export interface HistoryPage {
  messages: HistoryMessage[];
  hasMore: boolean;
}

export interface Posted {
  messageId: string;
  conversationId: string;
  seq: number;
  timestamp: string;
}

export interface Device {
  deviceId: string;
  online: boolean;
  ackedCursor: number;
  push: 'web-push' | 'unified-push' | 'apns' | 'fcm' | null;
  /** The label the device gave with `client` when it connected (else its User-Agent), or null. */
  client: string | null;
  /** When its last connection ended; null while connected or if never recorded. */
  lastSeen: string | null;
}

export type PushRegistration =
  | {
      kind: 'web-push';
      endpoint: string;
      keys: { p256dh: string; auth: string };
      previews?: boolean;
    }
  | { kind: 'unified-push'; endpoint: string; previews?: boolean };

// ---- WebSocket: client -> server ----

export type ClientFrame =
  | {
      type: 'send';
      clientMsgId: string;
      conversationId: string;
      body: string;
      attachments?: Attachment[];
      replyTo?: { seq: number };
      mentions?: string[];
    }
  | { type: 'edit'; clientMsgId: string; conversationId: string; seq: number; body: string }
  | { type: 'delete'; clientMsgId: string; conversationId: string; seq: number }
  | { type: 'react'; clientMsgId: string; conversationId: string; seq: number; emoji: string; on: boolean }
  | { type: 'ack'; cursor?: number; positions?: Record<string, number> }
  | { type: 'sync'; after: number }
  | { type: 'ping' }
  | { type: 'pong' }
  | { type: 'read'; conversationId: string; seq: number }
  | { type: 'typing'; conversationId: string };

// ---- WebSocket: server -> client ----

/**
 * An inbox entry: one message, membership change or amendment (edit, deletion, reaction) of one
 * of the user's conversations.
 */
export interface InboxItem extends MessageFields {
  /**
   * Where the entry stands on this connection, for `ack` and `sync`: it rises, but is not dense
   * across connections, and an entry sent again after a reconnect may get another (lower) one.
   * Entries are told apart by `messageId`.
   */
  cursor: number;
  messageId: string;
  conversationId: string;
  seq: number;
  senderId: string;
  body: string;
  timestamp: string;
}

/**
 * The answer to a send, edit, delete or react: stored as the entry `seq` of the conversation's
 * log (for an amendment, the seq of its own entry, not of the message it changes).
 */
export interface SentFrame {
  type: 'sent';
  clientMsgId: string;
  messageId: string;
  conversationId: string;
  seq: number;
  timestamp: string;
}

export interface MessagesFrame {
  type: 'messages';
  items: InboxItem[];
}

export interface ErrorFrame {
  type: 'error';
  code: ErrorCode;
  message: string;
  ref: string | null;
  retryAfterMs?: number;
}

export interface Receipt {
  conversationId: string;
  userId: string;
  kind: 'delivered' | 'read';
  seq: number;
}

export interface ReceiptFrame extends Receipt {
  type: 'receipt';
}

export interface ReceiptsFrame {
  type: 'receipts';
  items: Receipt[];
}

export interface Typing {
  conversationId: string;
  userId: string;
}

export interface TypingFrame extends Typing {
  type: 'typing';
}

export interface Presence {
  userId: string;
  online: boolean;
  lastSeen: string | null;
}

export interface PresenceFrame extends Presence {
  type: 'presence';
}

export type ServerFrame =
  | SentFrame
  | MessagesFrame
  | ErrorFrame
  | ReceiptFrame
  | ReceiptsFrame
  | TypingFrame
  | PresenceFrame
  | { type: 'ping' }
  | { type: 'pong' };
