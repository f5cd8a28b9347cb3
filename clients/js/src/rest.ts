// The HTTP half of docs/protocol.md, one typed method per route. Every refusal becomes an ApiError
// with the stable code; a 401 asks the token source for a new token and tries once more.

import type { TokenSource } from './auth.js';
import { ApiError } from './errors.js';
import type {
  Account,
  AmendmentRequest,
  Avatar,
  GroupPermissions,
  Invite,
  Joined,
  MemberRole,
  BlockedUser,
  Attachment,
  Conversation,
  ConversationDetails,
  ConversationListItem,
  ConversationReceipts,
  Device,
  Download,
  ErrorCode,
  HistoryPage,
  Posted,
  PresenceView,
  PushRegistration,
  ReceiptMarkers,
  Registered,
  ReportRequest,
  Seq,
  Token,
  UploadTicket,
  User,
} from './types.js';

export type Fetch = typeof fetch;

export interface RestOptions {
  /** `https://chat.example.com`; empty for the page's own origin in a browser. */
  baseUrl?: string;
  auth?: TokenSource;
  fetch?: Fetch;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export class Rest {
  readonly baseUrl: string;
  auth: TokenSource | undefined;
  private readonly fetchFn: Fetch;

  constructor(options: RestOptions = {}) {
    this.baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
    this.auth = options.auth;
    this.fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  async call<T>(method: Method, path: string, body?: unknown, authenticated = true): Promise<T> {
    if (!authenticated) return this.read<T>(await this.attempt(method, path, body, false));
    return this.read<T>(await this.fetchAuthenticated(method, path, body));
  }

  /** The response itself, after one new token on a 401 (for downloads that are not JSON). */
  private async fetchAuthenticated(method: Method, path: string, body?: unknown): Promise<Response> {
    const first = await this.attempt(method, path, body, true);
    if (first.status === 401 && this.auth?.refresh) {
      let renewed = false;
      try {
        renewed = await this.auth.refresh();
      } catch {
        // The login failed too (changed password, server away): the 401 stands.
      }
      if (renewed) return this.attempt(method, path, body, true);
    }
    return first;
  }

  private async attempt(method: Method, path: string, body: unknown, authenticated: boolean): Promise<Response> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const token = authenticated ? await this.auth?.current() : null;
    if (token) headers.Authorization = `Bearer ${token}`;
    try {
      return await this.fetchFn(`${this.baseUrl}/api/v1${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'network', 'the server cannot be reached');
    }
  }

  private async read<T>(response: Response): Promise<T> {
    const text = await response.text();
    let json: { code?: ErrorCode; message?: string; retryAfterMs?: number } | null = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // A proxy's HTML error page: only the status says anything.
    }
    if (!response.ok) {
      throw new ApiError(response.status, json?.code || 'internal', json?.message, json?.retryAfterMs);
    }
    return json as T;
  }

  // ---- accounts and tokens ----

  register(username: string, password: string, displayName?: string): Promise<Registered> {
    return this.call('POST', '/users', { username, password, displayName }, false);
  }

  login(username: string, password: string): Promise<Token> {
    return this.call('POST', '/tokens', { username, password }, false);
  }

  /** Revokes the token presented: its WebSockets are closed too. */
  logout(): Promise<void> {
    return this.call('DELETE', '/tokens/current');
  }

  /** Revokes every token of the user issued so far. */
  logoutEverywhere(): Promise<void> {
    return this.call('DELETE', '/tokens');
  }

  // ---- the caller's own account ----

  account(): Promise<Account> {
    return this.call('GET', '/account');
  }

  /** Changes the name others see; answers the account as it now is. */
  setDisplayName(displayName: string): Promise<Account> {
    return this.call('PATCH', '/account', { displayName });
  }

  /**
   * Every other device is logged out; the token presented stays valid. `wrong_password` when
   * `currentPassword` is not the account's.
   */
  changePassword(currentPassword: string, newPassword: string): Promise<void> {
    return this.call('PUT', '/account/password', { currentPassword, newPassword });
  }

  /** Deletes the account for good (`wrong_password` unless `password` is its own); every token ends. */
  closeAccount(password: string): Promise<void> {
    return this.call('DELETE', '/account', { password });
  }

  /**
   * Everything the server keeps of the caller's own, as one JSON document (a Blob: save it as a
   * file). Large accounts take a while; `rate_limited` when the node runs too many exports.
   */
  async exportAccount(): Promise<Blob> {
    const response = await this.fetchAuthenticated('GET', '/account/export');
    if (!response.ok) await this.read(response);
    return response.blob();
  }

  // ---- conversations ----

  async conversations(): Promise<ConversationListItem[]> {
    return (await this.call<{ conversations: ConversationListItem[] }>('GET', '/conversations')).conversations;
  }

  conversation(conversationId: string): Promise<ConversationDetails> {
    return this.call('GET', `/conversations/${enc(conversationId)}`);
  }

  openDirect(userId: string): Promise<Conversation> {
    return this.call('POST', '/conversations', { type: 'direct', members: [userId] });
  }

  createGroup(title: string, members: string[]): Promise<Conversation> {
    return this.call('POST', '/conversations', { type: 'group', title, members });
  }

  addMember(conversationId: string, userId: string): Promise<Seq> {
    return this.call('POST', `/conversations/${enc(conversationId)}/members`, { userId });
  }

  removeMember(conversationId: string, userId: string): Promise<Seq> {
    return this.call('DELETE', `/conversations/${enc(conversationId)}/members/${enc(userId)}`);
  }

  rename(conversationId: string, title: string): Promise<Seq> {
    return this.call('PATCH', `/conversations/${enc(conversationId)}`, { title });
  }

  /** An admin makes a member an admin, or a member again (`last_admin` for the only admin). */
  setRole(conversationId: string, userId: string, role: MemberRole): Promise<Seq> {
    return this.call('PUT', `/conversations/${enc(conversationId)}/members/${enc(userId)}/role`, { role });
  }

  /** An admin sets who may add members and who may rename the group. */
  setPermissions(conversationId: string, permissions: GroupPermissions): Promise<Seq> {
    return this.call('PUT', `/conversations/${enc(conversationId)}/permissions`, permissions);
  }

  /** A new invite link (for whoever may add members); works for `expiresInSeconds` (7 days). */
  createInvite(conversationId: string, expiresInSeconds?: number): Promise<Invite> {
    const body = expiresInSeconds === undefined ? {} : { expiresInSeconds };
    return this.call('POST', `/conversations/${enc(conversationId)}/invites`, body);
  }

  async invites(conversationId: string): Promise<Invite[]> {
    return (await this.call<{ invites: Invite[] }>('GET', `/conversations/${enc(conversationId)}/invites`)).invites;
  }

  revokeInvite(conversationId: string, inviteId: string): Promise<void> {
    return this.call('DELETE', `/conversations/${enc(conversationId)}/invites/${enc(inviteId)}`);
  }

  /** Joins the group of an invite link's token; `not_found` for an expired, revoked or unknown one. */
  joinWithInvite(token: string): Promise<Joined> {
    return this.call('POST', '/invites/join', { token });
  }

  setMuted(conversationId: string, muted: boolean): Promise<void> {
    return this.call('PATCH', `/conversations/${enc(conversationId)}/settings`, { muted });
  }

  async receipts(conversationId: string): Promise<ReceiptMarkers[]> {
    return (await this.call<ConversationReceipts>('GET', `/conversations/${enc(conversationId)}/receipts`)).members;
  }

  // ---- messages ----

  /** Newest first: up to `limit` (1-100) messages with seq below `beforeSeq` (default: the latest). */
  history(conversationId: string, options: { beforeSeq?: number | null; limit?: number } = {}): Promise<HistoryPage> {
    const query = new URLSearchParams();
    if (options.limit !== undefined) query.set('limit', String(options.limit));
    if (options.beforeSeq) query.set('beforeSeq', String(options.beforeSeq));
    const suffix = query.toString() ? `?${query}` : '';
    return this.call('GET', `/conversations/${enc(conversationId)}/messages${suffix}`);
  }

  /**
   * The HTTP send: the same path as the WebSocket's; a retry with the same clientMsgId stores
   * nothing new. `replyTo` and `mentions` as for `connection.send`.
   */
  postMessage(
    conversationId: string,
    clientMsgId: string,
    body: string,
    attachments: Attachment[] = [],
    options: { replyTo?: { seq: number }; mentions?: string[] } = {},
  ): Promise<Posted> {
    const request: Record<string, unknown> = { clientMsgId, body };
    if (attachments.length > 0) request.attachments = attachments;
    if (options.replyTo) request.replyTo = { seq: options.replyTo.seq };
    if (options.mentions && options.mentions.length > 0) request.mentions = [...new Set(options.mentions)];
    return this.call('POST', `/conversations/${enc(conversationId)}/messages`, request);
  }

  /**
   * The HTTP edit, delete for everyone or reaction of the message at `seq`: the same path as the
   * WebSocket's `edit`, `delete` and `react` (same refusals; a retry with the same clientMsgId gets
   * the first answer, whose seq is the amendment's own entry).
   */
  amendMessage(conversationId: string, seq: number, clientMsgId: string, change: AmendmentRequest): Promise<Posted> {
    return this.call('POST', `/conversations/${enc(conversationId)}/messages/${seq}/amendments`, { clientMsgId, ...change });
  }

  // ---- attachments ----

  /** Where to PUT a file for a message to the conversation (members only). */
  requestUpload(conversationId: string, mime: string, size: number, name: string): Promise<UploadTicket> {
    return this.call('POST', '/uploads', { conversationId, mime, size, name });
  }

  /**
   * Uploads `data` straight to the object store and answers the attachment to send with
   * `connection.send(..., { attachments: [...] })` (add `width`, `height`, `preview` if known).
   */
  async uploadFile(conversationId: string, data: Blob | Uint8Array, mime: string, name: string): Promise<Attachment> {
    const size = data instanceof Uint8Array ? data.byteLength : data.size;
    const ticket = await this.requestUpload(conversationId, mime, size, name);
    await this.putToStore(ticket, data);
    return { id: ticket.uploadId, mime, size, name };
  }

  /** PUTs `data` where an upload ticket says, straight to the object store. */
  private async putToStore(ticket: UploadTicket, data: Blob | Uint8Array): Promise<void> {
    let response: Response;
    try {
      // The URL is the permission: no bearer token goes to the store.
      const body = (data instanceof Uint8Array ? new Blob([data as BlobPart]) : data) as BodyInit;
      response = await this.fetchFn(ticket.url, { method: ticket.method, headers: ticket.headers, body });
    } catch {
      throw new ApiError(0, 'network', 'the object store cannot be reached');
    }
    if (!response.ok) throw new ApiError(response.status, 'bad_request', `the object store refused the upload (${response.status})`);
  }

  /** Uploads a PNG, JPEG or WebP image (at most 1 MiB) straight to the store and shows it. */
  async setAvatar(data: Blob | Uint8Array, mime: string): Promise<Avatar> {
    const size = data instanceof Uint8Array ? data.byteLength : data.size;
    const ticket = await this.call<UploadTicket>('POST', '/account/avatar/uploads', { mime, size });
    await this.putToStore(ticket, data);
    return this.call('PUT', '/account/avatar', { uploadId: ticket.uploadId });
  }

  clearAvatar(): Promise<void> {
    return this.call('DELETE', '/account/avatar');
  }

  /** Where to GET a user's picture (theirs and their contacts' only; `not_found` otherwise). */
  avatarOf(userId: string): Promise<Download> {
    return this.call('GET', `/users/${enc(userId)}/avatar`);
  }

  /** Where to GET an attachment of the message at `seq`, for whoever may read that message. */
  download(conversationId: string, seq: number, attachmentId: string): Promise<Download> {
    return this.call('GET', `/conversations/${enc(conversationId)}/messages/${seq}/attachments/${enc(attachmentId)}`);
  }

  // ---- people ----

  userByName(username: string): Promise<User> {
    return this.call('GET', `/users?${new URLSearchParams({ username })}`);
  }

  user(userId: string): Promise<User> {
    return this.call('GET', `/users/${enc(userId)}`);
  }

  presence(userId: string): Promise<PresenceView> {
    return this.call('GET', `/users/${enc(userId)}/presence`);
  }

  // ---- blocks and reports ----

  /** Idempotent; in force everywhere once it answers. `too_many_blocks` past the server's limit. */
  block(userId: string): Promise<void> {
    return this.call('PUT', `/blocks/${enc(userId)}`);
  }

  unblock(userId: string): Promise<void> {
    return this.call('DELETE', `/blocks/${enc(userId)}`);
  }

  /** Oldest block first. */
  async blocks(): Promise<BlockedUser[]> {
    return (await this.call<{ blocked: BlockedUser[] }>('GET', '/blocks')).blocked;
  }

  /** Reports a message or a user to the moderators. */
  report(request: ReportRequest): Promise<{ reportId: string }> {
    return this.call('POST', '/reports', request);
  }

  // ---- devices and push ----

  async devices(): Promise<Device[]> {
    return (await this.call<{ devices: Device[] }>('GET', '/devices')).devices;
  }

  /** Logs that device out (its tokens revoked, its WebSocket closed) and drops it from the list. */
  logoutDevice(deviceId: string): Promise<void> {
    return this.call('DELETE', `/devices/${enc(deviceId)}`);
  }

  registerPush(deviceId: string, registration: PushRegistration): Promise<void> {
    return this.call('PUT', `/devices/${enc(deviceId)}/push`, registration);
  }

  removePush(deviceId: string): Promise<void> {
    return this.call('DELETE', `/devices/${enc(deviceId)}/push`);
  }

  async vapidPublicKey(): Promise<string> {
    return (await this.call<{ publicKey: string }>('GET', '/push/vapid-public-key')).publicKey;
  }

  // ---- health ----

  ready(): Promise<{ status: string }> {
    return this.call('GET', '/health/ready', undefined, false);
  }
}

const enc = encodeURIComponent;
