// The WebSocket of docs/protocol.md ("WebSocket"): connects, answers heartbeats, acknowledges what
// was handled, reconnects with jittered backoff, hands each inbox entry over once, and keeps every
// send until the server answers it.
//
// States: 'connecting' (first try), 'catching-up' (open, the server is sending what this device
// missed), 'connected', 'reconnecting' (waiting for the next try), 'replaced' (this device connected
// elsewhere; not retried), 'signed-out' (the token is refused and no new one can be had), 'stopped'.

import type { TokenSource } from './auth.js';
import { Emitter } from './emitter.js';
import { ApiError } from './errors.js';
import { Outbox, type AmendOptions, type PendingRequest, type SendOptions } from './outbox.js';
import { Rest } from './rest.js';
import type {
  ClientFrame,
  ErrorCode,
  ErrorFrame,
  InboxItem,
  Presence,
  Receipt,
  SentFrame,
  ServerFrame,
  SystemChange,
  Typing,
} from './types.js';

export type ConnectionState =
  | 'connecting'
  | 'catching-up'
  | 'connected'
  | 'reconnecting'
  | 'replaced'
  | 'signed-out'
  | 'stopped';

export interface StateChange {
  state: ConnectionState;
  /** When 'reconnecting': the time (ms since the epoch) of the next attempt. */
  retryAt?: number;
  /** The error frame that ended the last connection, if any. */
  reason?: ErrorCode | null;
}

/** A conversation this connection had not seen before, or a change of its members or title. */
export interface ConversationEvent {
  conversationId: string;
  kind: 'new' | SystemChange['kind'];
  item: InboxItem;
}

export interface ConnectionEvents {
  state: StateChange;
  /** After each (re)connect: notices were missed meanwhile, so read current state over HTTP. */
  open: undefined;
  /**
   * Inbox entries not handed over before (by messageId), in arrival order, which is seq order
   * within each conversation (already acknowledged).
   */
  messages: InboxItem[];
  conversation: ConversationEvent;
  /** A send's answer, once per clientMsgId (also resolves the promise `send` returned). */
  sent: SentFrame;
  receipt: Receipt;
  typing: Typing;
  presence: Presence;
  /** Refusals not about a send (a refused `typing` or `read`, or the last frame before a close). */
  error: ErrorFrame;
}

/** What the SDK needs of a WebSocket: the browser's, Node 22's, or the `ws` package's. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export type WebSocketFactory = (url: string) => WebSocketLike;

export interface ConnectionOptions {
  /** `https://chat.example.com`; empty in a browser for the page's own origin. */
  baseUrl?: string;
  /** 1-64 of [A-Za-z0-9_.-]; the server keeps the device's acknowledged cursor across connections. */
  deviceId: string;
  /** What the user's device list shows for this device, e.g. "Firefox on Linux" (else the User-Agent). */
  client?: string;
  auth: TokenSource;
  /** For the token check after failed attempts; made from baseUrl and auth if absent. */
  rest?: Rest;
  /** Default: the platform's WebSocket (browsers, Node 22+); under Node 18/20 pass `ws`'s. */
  webSocket?: WebSocketFactory;
  /**
   * Per conversation, the highest seq this device already holds (e.g. stored locally): entries at
   * or below it are dropped. What `positions` held when the app last ran.
   */
  positions?: Record<string, number>;
  /** The value of `cursor` until the first entry arrives (entries are never dropped by cursor). */
  cursor?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Nothing heard for this long means the connection is dead (default 40 s: the server pings every 15 s). */
  silenceLimitMs?: number;
  /** How many sends may be unanswered at once (the server's `send-window`, 32). */
  sendWindow?: number;
  /** How many recent messageIds are remembered to drop repeats. */
  dedupWindow?: number;
  /**
   * Entries handed over are acknowledged at most this long after the first of them (default
   * 250 ms), in one `ack` naming all of them: at 20 messages a second, one frame instead of 20
   * (docs/protocol.md, "Ack"). 0 acks after every frame.
   */
  ackDelayMs?: number;
  random?: () => number;
}

const OPEN = 1;
// The protocol does not mark the end of catch-up: it is over when the batches stop coming.
const CATCH_UP_QUIET_MS = 600;
const DEVICE_LIMIT_RETRY_MS = 60_000;
const WATCHDOG_EVERY_MS = 5_000;
const SILENCE_LIMIT_MS = 40_000;
const ACK_DELAY_MS = 250;

type Timer = ReturnType<typeof setTimeout>;

export class Connection extends Emitter<ConnectionEvents> {
  state: ConnectionState = 'connecting';
  /**
   * The cursor of the last entry handed over, acknowledged within `ackDelayMs`. It rises on one
   * connection but is not dense across connections, and a new connection may number below it:
   * never compare entries against it.
   */
  cursor: number;
  /** Per conversation, the highest seq handed over: what to persist to resume from. */
  readonly positions: Record<string, number>;
  private readonly options: ConnectionOptions;
  private readonly rest: Rest;
  private readonly outbox: Outbox;
  private readonly seen = new Set<string>();
  /** What the app said it holds (options.positions); only `sync` forgets it. */
  private readonly held: Record<string, number>;
  private readonly known = new Set<string>();
  private socket: WebSocketLike | null = null;
  private attempt = 0;
  /** Bumped by each attempt and by stop: an attempt still waiting for its token knows it is stale. */
  private generation = 0;
  private stopped = true;
  private lastError: ErrorCode | null = null;
  private lastHeard = 0;
  private retryTimer: Timer | undefined;
  private quietTimer: Timer | undefined;
  /** What the next ack names: entries of this connection handed over since the last ack. */
  private pendingAck: { cursor: number; positions: Record<string, number> } | null = null;
  private ackTimer: Timer | undefined;
  private watchdog: ReturnType<typeof setInterval> | undefined;
  private readonly random: () => number;
  // Only a connection that is waiting anyway: a replaced one stays put until asked.
  private readonly onOnline = () => {
    if (this.state === 'reconnecting') this.retryNow();
  };

  constructor(options: ConnectionOptions) {
    super();
    this.options = options;
    this.cursor = options.cursor ?? 0;
    this.positions = { ...(options.positions ?? {}) };
    this.held = { ...(options.positions ?? {}) };
    this.random = options.random ?? Math.random;
    this.rest = options.rest ?? new Rest({ baseUrl: options.baseUrl, auth: options.auth });
    this.outbox = new Outbox({
      window: options.sendWindow ?? 32,
      random: this.random,
      transmit: (frame) => this.sendFrame(frame),
      onSent: (frame) => this.emit('sent', frame),
    });
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    if (typeof globalThis.addEventListener === 'function') globalThis.addEventListener('online', this.onOnline);
    void this.connect();
  }

  /** Closes for good; unanswered sends stay pending and go again after the next `start`. */
  stop(): void {
    this.stopped = true;
    this.generation += 1;
    if (typeof globalThis.removeEventListener === 'function') globalThis.removeEventListener('online', this.onOnline);
    clearTimeout(this.retryTimer);
    this.flushAck();
    this.detach()?.close();
    this.setState({ state: 'stopped' });
  }

  /**
   * Sends a message; resolves with the server's `sent` answer, however many reconnects and
   * retries (same clientMsgId: stored once) it takes. Rejects with an ApiError only for refusals
   * that a retry cannot change (not_member, too_large, ...).
   */
  send(conversationId: string, body: string, options: SendOptions = {}): Promise<SentFrame> {
    const { clientMsgId, attachments, replyTo, mentions } = options;
    const request: Omit<Extract<PendingRequest, { type: 'send' }>, 'clientMsgId'> = { type: 'send', conversationId, body };
    if (attachments && attachments.length > 0) request.attachments = attachments;
    if (replyTo) request.replyTo = { seq: replyTo.seq };
    if (mentions && mentions.length > 0) request.mentions = [...new Set(mentions)];
    return this.outbox.add(request, clientMsgId);
  }

  /**
   * Replaces the text of my message at `seq` (within the server's edit window, 48 h). Kept and
   * retried like a send; the `sent` answer has the seq of the edit's own entry. Refusals:
   * not_sender, edit_window_passed, not_a_message, message_deleted, not_found.
   */
  edit(conversationId: string, seq: number, body: string, options: AmendOptions = {}): Promise<SentFrame> {
    return this.outbox.add({ type: 'edit', conversationId, seq, body }, options.clientMsgId);
  }

  /**
   * Deletes the message at `seq` for everyone (mine, or anyone's in a group I am an admin of).
   * Kept and retried like a send. Refusals: not_sender, not_a_message, message_deleted, not_found.
   */
  deleteMessage(conversationId: string, seq: number, options: AmendOptions = {}): Promise<SentFrame> {
    return this.outbox.add({ type: 'delete', conversationId, seq }, options.clientMsgId);
  }

  /**
   * Puts my reaction `emoji` on the message at `seq` (`on` false takes it off): one of each emoji
   * per user and message. Kept and retried like a send. Refusals: reaction_not_allowed (not one
   * of the server's emoji), not_a_message, message_deleted, not_found.
   */
  react(conversationId: string, seq: number, emoji: string, on = true, options: AmendOptions = {}): Promise<SentFrame> {
    return this.outbox.add({ type: 'react', conversationId, seq, emoji, on }, options.clientMsgId);
  }

  /**
   * The sends, edits, deletions and reactions not yet answered, oldest first, as the frames they
   * go as (to keep them across a page reload, say).
   */
  pending(): PendingRequest[] {
    return this.outbox.list();
  }

  /** Tells the server the user has read up to `seq`; false if not connected (nothing was sent). */
  read(conversationId: string, seq: number): boolean {
    return this.sendFrame({ type: 'read', conversationId, seq });
  }

  /** The user is typing; send every few seconds while they type. False if not connected. */
  typing(conversationId: string): boolean {
    return this.sendFrame({ type: 'typing', conversationId });
  }

  /** Asks for every entry after `after` again (local data lost): they are handed over anew. */
  sync(after: number): boolean {
    this.cursor = after;
    this.seen.clear();
    for (const conversationId of Object.keys(this.positions)) delete this.positions[conversationId];
    for (const conversationId of Object.keys(this.held)) delete this.held[conversationId];
    return this.sendFrame({ type: 'sync', after });
  }

  /** Conversations the app knows already, so they raise no 'new' conversation event. */
  knowConversations(ids: Iterable<string>): void {
    for (const id of ids) this.known.add(id);
  }

  /** Skips the wait before the next attempt (the network came back, or the user asked). */
  retryNow(): void {
    if (this.stopped || this.socket) return;
    clearTimeout(this.retryTimer);
    void this.connect();
  }

  /** Sends a frame if the connection is open; false if it is not. */
  sendFrame(frame: ClientFrame): boolean {
    if (!this.socket || this.socket.readyState !== OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    this.lastError = null;
    let url: string;
    try {
      url = await this.url();
    } catch {
      // No token to be had (the login failed): like a refused upgrade.
      if (generation === this.generation && !this.stopped) void this.afterClose(false);
      return;
    }
    if (generation !== this.generation || this.stopped || this.socket) return;
    let opened = false;
    const socket = this.newSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      opened = true;
      this.attempt = 0;
      this.lastHeard = Date.now();
      this.setState({ state: 'catching-up' });
      this.quietSoon();
      clearInterval(this.watchdog);
      // A laptop that slept or a network that vanished without a FIN: the socket looks open, but
      // the server's pings (every 15 s) stopped coming.
      const limit = this.options.silenceLimitMs ?? SILENCE_LIMIT_MS;
      this.watchdog = setInterval(() => {
        if (this.socket === socket && Date.now() - this.lastHeard > limit) this.dropped(socket, true);
      }, Math.min(WATCHDOG_EVERY_MS, limit / 2));
      this.outbox.resendAll();
      this.emit('open', undefined);
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket) return;
      this.lastHeard = Date.now();
      this.onMessage(typeof event.data === 'string' ? event.data : String(event.data));
    };
    socket.onclose = () => this.dropped(socket, opened);
    socket.onerror = () => {
      // A close event follows; nothing to do until then.
    };
  }

  private newSocket(url: string): WebSocketLike {
    if (this.options.webSocket) return this.options.webSocket(url);
    const Platform = (globalThis as { WebSocket?: new (url: string) => WebSocketLike }).WebSocket;
    if (!Platform) throw new Error('no WebSocket on this platform: pass options.webSocket (e.g. from the ws package)');
    return new Platform(url);
  }

  private async url(): Promise<string> {
    const token = await this.options.auth.current();
    const query = new URLSearchParams({ deviceId: this.options.deviceId });
    if (this.options.client) query.set('client', this.options.client);
    // Browsers cannot set headers on a WebSocket; the query parameter works everywhere.
    if (token) query.set('access_token', token);
    return `${webSocketBase(this.options.baseUrl ?? '')}/api/v1/ws?${query}`;
  }

  private detach(): WebSocketLike | null {
    const socket = this.socket;
    this.socket = null;
    clearInterval(this.watchdog);
    clearTimeout(this.quietTimer);
    // Cursors number one connection's entries: a pending ack means nothing to the next one, which
    // resends what it did not cover (and those are dropped here by messageId).
    clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    this.pendingAck = null;
    this.outbox.disconnected();
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    }
    return socket;
  }

  private dropped(socket: WebSocketLike, opened: boolean): void {
    if (this.socket !== socket) return;
    this.detach();
    // Closing a dead socket may wait long for the closing handshake; this side is done with it.
    if (socket.readyState === OPEN) socket.close();
    if (!this.stopped) void this.afterClose(opened);
  }

  private onMessage(data: string): void {
    let frame: ServerFrame;
    try {
      frame = JSON.parse(data) as ServerFrame;
    } catch {
      return;
    }
    switch (frame.type) {
      case 'ping':
        this.sendFrame({ type: 'pong' });
        return;
      case 'pong':
        return;
      case 'messages':
        this.onItems(frame.items);
        return;
      case 'sent':
        this.outbox.answered(frame);
        return;
      case 'error':
        if (frame.ref && this.outbox.refused(frame)) return;
        if (!frame.ref) this.lastError = frame.code;
        this.emit('error', frame);
        return;
      case 'receipt': {
        const { type: _type, ...receipt } = frame;
        this.emit('receipt', receipt);
        return;
      }
      case 'receipts':
        frame.items.forEach((receipt) => this.emit('receipt', receipt));
        return;
      case 'typing':
        this.emit('typing', { conversationId: frame.conversationId, userId: frame.userId });
        return;
      case 'presence':
        this.emit('presence', { userId: frame.userId, online: frame.online, lastSeen: frame.lastSeen });
        return;
      default: {
        // A frame type newer than this SDK: ignored, as the protocol allows.
        const _unknown: never = frame;
        return;
      }
    }
  }

  private onItems(items: InboxItem[]): void {
    // A reconnect replays from what the server holds as acknowledged, which may be behind what was
    // handled here (an ack lost with the old connection, a node that crashed before writing it),
    // and numbers what it sends from there: an entry sent again, or one never seen, may come with
    // a cursor at or below one already handled. So a repeat is known by its messageId alone, never
    // by cursor, nor by a seq handled on an earlier connection: a repeat costs a lookup, a wrong
    // drop loses a message. Only what the app said it holds (options.positions, kept from an
    // earlier run whose messageIds are gone) is dropped by seq.
    const fresh = items.filter(
      (item) => item.seq > (this.held[item.conversationId] ?? 0) && !this.seen.has(item.messageId),
    );
    for (const item of fresh) {
      this.remember(item.messageId);
      this.positions[item.conversationId] = Math.max(this.positions[item.conversationId] ?? 0, item.seq);
    }
    if (items.length > 0) this.cursor = items[items.length - 1].cursor;
    if (fresh.length > 0) {
      this.emit('messages', fresh);
      for (const item of fresh) {
        const isNew = !this.known.has(item.conversationId);
        this.known.add(item.conversationId);
        if (isNew) this.emit('conversation', { conversationId: item.conversationId, kind: 'new', item });
        if (item.system) this.emit('conversation', { conversationId: item.conversationId, kind: item.system.kind, item });
      }
    }
    // Acknowledged only after the listeners ran, so a crash before it loses nothing. Both ways:
    // the cursor, and the position (highest seq) in each conversation (docs/protocol.md, "Acking
    // by positions").
    if (items.length > 0) this.ackSoon(items);
    if (this.state === 'catching-up') this.quietSoon();
  }

  /**
   * Adds entries to the next ack, sent `ackDelayMs` after the first entry it names: an ack frame
   * costs the server as much as a message frame, so a busy device sends a few a second, not one
   * per frame. A late ack costs nothing but a resend after a reconnect, dropped by messageId.
   */
  private ackSoon(items: InboxItem[]): void {
    const pending = this.pendingAck ?? { cursor: 0, positions: {} };
    pending.cursor = items[items.length - 1].cursor;
    for (const item of items) {
      pending.positions[item.conversationId] = Math.max(pending.positions[item.conversationId] ?? 0, item.seq);
    }
    this.pendingAck = pending;
    const delay = this.options.ackDelayMs ?? ACK_DELAY_MS;
    if (delay <= 0) this.flushAck();
    else if (this.ackTimer === undefined) this.ackTimer = setTimeout(() => this.flushAck(), delay);
  }

  private flushAck(): void {
    clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    const pending = this.pendingAck;
    this.pendingAck = null;
    if (pending) this.sendFrame({ type: 'ack', cursor: pending.cursor, positions: pending.positions });
  }

  private remember(messageId: string): void {
    this.seen.add(messageId);
    if (this.seen.size > (this.options.dedupWindow ?? 10_000)) {
      this.seen.delete(this.seen.values().next().value as string);
    }
  }

  private quietSoon(): void {
    clearTimeout(this.quietTimer);
    this.quietTimer = setTimeout(() => {
      if (this.state === 'catching-up') this.setState({ state: 'connected' });
    }, CATCH_UP_QUIET_MS);
  }

  private async afterClose(opened: boolean): Promise<void> {
    const reason = this.lastError;
    if (reason === 'replaced') {
      this.setState({ state: 'replaced', reason });
      return;
    }
    // The token was revoked (logged out here or everywhere): only a new one can work.
    if (reason === 'unauthorized' && !(await this.renewToken())) {
      this.setState({ state: 'signed-out', reason });
      return;
    }
    // A browser cannot see why an upgrade failed (a 401 looks like any failure): ask over HTTP,
    // which also renews the token when the source can.
    if (!opened && this.attempt >= 2 && !(await this.tokenValid())) {
      this.setState({ state: 'signed-out', reason });
      return;
    }
    if (this.stopped) return;
    const delay = reason === 'device_limit' ? DEVICE_LIMIT_RETRY_MS : this.backoff();
    this.attempt += 1;
    this.setState({ state: 'reconnecting', retryAt: Date.now() + delay, reason });
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  private async renewToken(): Promise<boolean> {
    try {
      return (await this.options.auth.refresh?.()) ?? false;
    } catch {
      return false;
    }
  }

  private async tokenValid(): Promise<boolean> {
    try {
      await this.rest.devices();
      return true;
    } catch (e) {
      return !(e instanceof ApiError && e.status === 401);
    }
  }

  /** Exponential, capped, with "equal jitter" so a server restart is not met by a stampede. */
  private backoff(): number {
    const base = this.options.backoffBaseMs ?? 500;
    const ceiling = Math.min(this.options.backoffMaxMs ?? 30_000, base * 2 ** this.attempt);
    return ceiling / 2 + this.random() * (ceiling / 2);
  }

  private setState(change: StateChange): void {
    this.state = change.state;
    this.emit('state', change);
  }
}

/** `https://host` -> `wss://host`; empty -> the page's own origin. */
function webSocketBase(baseUrl: string): string {
  if (baseUrl) return baseUrl.replace(/\/+$/, '').replace(/^http/, 'ws');
  const location = (globalThis as { location?: { protocol: string; host: string } }).location;
  if (!location) throw new Error('baseUrl is required outside a browser page');
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
}
