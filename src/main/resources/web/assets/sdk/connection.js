// The WebSocket of docs/protocol.md ("WebSocket"): connects, answers heartbeats, acknowledges what
// was handled, reconnects with jittered backoff, hands each inbox entry over once, and keeps every
// send until the server answers it.
//
// States: 'connecting' (first try), 'catching-up' (open, the server is sending what this device
// missed), 'connected', 'reconnecting' (waiting for the next try), 'replaced' (this device connected
// elsewhere; not retried), 'signed-out' (the token is refused and no new one can be had), 'stopped'.
import { Emitter } from './emitter.js';
import { ApiError } from './errors.js';
import { Outbox } from './outbox.js';
import { Rest } from './rest.js';
const OPEN = 1;
// The protocol does not mark the end of catch-up: it is over when the batches stop coming.
const CATCH_UP_QUIET_MS = 600;
const DEVICE_LIMIT_RETRY_MS = 60_000;
const WATCHDOG_EVERY_MS = 5_000;
const SILENCE_LIMIT_MS = 40_000;
const ACK_DELAY_MS = 250;
export class Connection extends Emitter {
    state = 'connecting';
    /**
     * The cursor of the last entry handed over, acknowledged within `ackDelayMs`. It rises on one
     * connection but is not dense across connections, and a new connection may number below it:
     * never compare entries against it.
     */
    cursor;
    /** Per conversation, the highest seq handed over: what to persist to resume from. */
    positions;
    options;
    rest;
    outbox;
    seen = new Set();
    /** What the app said it holds (options.positions); only `sync` forgets it. */
    held;
    known = new Set();
    socket = null;
    attempt = 0;
    /** Bumped by each attempt and by stop: an attempt still waiting for its token knows it is stale. */
    generation = 0;
    stopped = true;
    lastError = null;
    lastHeard = 0;
    retryTimer;
    quietTimer;
    /** What the next ack names: entries of this connection handed over since the last ack. */
    pendingAck = null;
    ackTimer;
    watchdog;
    random;
    // Only a connection that is waiting anyway: a replaced one stays put until asked.
    onOnline = () => {
        if (this.state === 'reconnecting')
            this.retryNow();
    };
    constructor(options) {
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
    start() {
        if (!this.stopped)
            return;
        this.stopped = false;
        this.attempt = 0;
        if (typeof globalThis.addEventListener === 'function')
            globalThis.addEventListener('online', this.onOnline);
        void this.connect();
    }
    /** Closes for good; unanswered sends stay pending and go again after the next `start`. */
    stop() {
        this.stopped = true;
        this.generation += 1;
        if (typeof globalThis.removeEventListener === 'function')
            globalThis.removeEventListener('online', this.onOnline);
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
    send(conversationId, body, options = {}) {
        const { clientMsgId, attachments, replyTo, mentions } = options;
        const request = { type: 'send', conversationId, body };
        if (attachments && attachments.length > 0)
            request.attachments = attachments;
        if (replyTo)
            request.replyTo = { seq: replyTo.seq };
        if (mentions && mentions.length > 0)
            request.mentions = [...new Set(mentions)];
        return this.outbox.add(request, clientMsgId);
    }
    /**
     * Replaces the text of my message at `seq` (within the server's edit window, 48 h). Kept and
     * retried like a send; the `sent` answer has the seq of the edit's own entry. Refusals:
     * not_sender, edit_window_passed, not_a_message, message_deleted, not_found.
     */
    edit(conversationId, seq, body, options = {}) {
        return this.outbox.add({ type: 'edit', conversationId, seq, body }, options.clientMsgId);
    }
    /**
     * Deletes the message at `seq` for everyone (mine, or anyone's in a group I am an admin of).
     * Kept and retried like a send. Refusals: not_sender, not_a_message, message_deleted, not_found.
     */
    deleteMessage(conversationId, seq, options = {}) {
        return this.outbox.add({ type: 'delete', conversationId, seq }, options.clientMsgId);
    }
    /**
     * Puts my reaction `emoji` on the message at `seq` (`on` false takes it off): one of each emoji
     * per user and message. Kept and retried like a send. Refusals: reaction_not_allowed (not one
     * of the server's emoji), not_a_message, message_deleted, not_found.
     */
    react(conversationId, seq, emoji, on = true, options = {}) {
        return this.outbox.add({ type: 'react', conversationId, seq, emoji, on }, options.clientMsgId);
    }
    /**
     * The sends, edits, deletions and reactions not yet answered, oldest first, as the frames they
     * go as (to keep them across a page reload, say).
     */
    pending() {
        return this.outbox.list();
    }
    /** Tells the server the user has read up to `seq`; false if not connected (nothing was sent). */
    read(conversationId, seq) {
        return this.sendFrame({ type: 'read', conversationId, seq });
    }
    /** The user is typing; send every few seconds while they type. False if not connected. */
    typing(conversationId) {
        return this.sendFrame({ type: 'typing', conversationId });
    }
    /** Asks for every entry after `after` again (local data lost): they are handed over anew. */
    sync(after) {
        this.cursor = after;
        this.seen.clear();
        for (const conversationId of Object.keys(this.positions))
            delete this.positions[conversationId];
        for (const conversationId of Object.keys(this.held))
            delete this.held[conversationId];
        return this.sendFrame({ type: 'sync', after });
    }
    /** Conversations the app knows already, so they raise no 'new' conversation event. */
    knowConversations(ids) {
        for (const id of ids)
            this.known.add(id);
    }
    /** Skips the wait before the next attempt (the network came back, or the user asked). */
    retryNow() {
        if (this.stopped || this.socket)
            return;
        clearTimeout(this.retryTimer);
        void this.connect();
    }
    /** Sends a frame if the connection is open; false if it is not. */
    sendFrame(frame) {
        if (!this.socket || this.socket.readyState !== OPEN)
            return false;
        this.socket.send(JSON.stringify(frame));
        return true;
    }
    async connect() {
        const generation = ++this.generation;
        this.lastError = null;
        let url;
        try {
            url = await this.url();
        }
        catch {
            // No token to be had (the login failed): like a refused upgrade.
            if (generation === this.generation && !this.stopped)
                void this.afterClose(false);
            return;
        }
        if (generation !== this.generation || this.stopped || this.socket)
            return;
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
                if (this.socket === socket && Date.now() - this.lastHeard > limit)
                    this.dropped(socket, true);
            }, Math.min(WATCHDOG_EVERY_MS, limit / 2));
            this.outbox.resendAll();
            this.emit('open', undefined);
        };
        socket.onmessage = (event) => {
            if (this.socket !== socket)
                return;
            this.lastHeard = Date.now();
            this.onMessage(typeof event.data === 'string' ? event.data : String(event.data));
        };
        socket.onclose = () => this.dropped(socket, opened);
        socket.onerror = () => {
            // A close event follows; nothing to do until then.
        };
    }
    newSocket(url) {
        if (this.options.webSocket)
            return this.options.webSocket(url);
        const Platform = globalThis.WebSocket;
        if (!Platform)
            throw new Error('no WebSocket on this platform: pass options.webSocket (e.g. from the ws package)');
        return new Platform(url);
    }
    async url() {
        const token = await this.options.auth.current();
        const query = new URLSearchParams({ deviceId: this.options.deviceId });
        if (this.options.client)
            query.set('client', this.options.client);
        // Browsers cannot set headers on a WebSocket; the query parameter works everywhere.
        if (token)
            query.set('access_token', token);
        return `${webSocketBase(this.options.baseUrl ?? '')}/api/v1/ws?${query}`;
    }
    detach() {
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
    dropped(socket, opened) {
        if (this.socket !== socket)
            return;
        this.detach();
        // Closing a dead socket may wait long for the closing handshake; this side is done with it.
        if (socket.readyState === OPEN)
            socket.close();
        if (!this.stopped)
            void this.afterClose(opened);
    }
    onMessage(data) {
        let frame;
        try {
            frame = JSON.parse(data);
        }
        catch {
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
                if (frame.ref && this.outbox.refused(frame))
                    return;
                if (!frame.ref)
                    this.lastError = frame.code;
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
                const _unknown = frame;
                return;
            }
        }
    }
    onItems(items) {
        // A reconnect replays from what the server holds as acknowledged, which may be behind what was
        // handled here (an ack lost with the old connection, a node that crashed before writing it),
        // and numbers what it sends from there: an entry sent again, or one never seen, may come with
        // a cursor at or below one already handled. So a repeat is known by its messageId alone, never
        // by cursor, nor by a seq handled on an earlier connection: a repeat costs a lookup, a wrong
        // drop loses a message. Only what the app said it holds (options.positions, kept from an
        // earlier run whose messageIds are gone) is dropped by seq.
        const fresh = items.filter((item) => item.seq > (this.held[item.conversationId] ?? 0) && !this.seen.has(item.messageId));
        for (const item of fresh) {
            this.remember(item.messageId);
            this.positions[item.conversationId] = Math.max(this.positions[item.conversationId] ?? 0, item.seq);
        }
        if (items.length > 0)
            this.cursor = items[items.length - 1].cursor;
        if (fresh.length > 0) {
            this.emit('messages', fresh);
            for (const item of fresh) {
                const isNew = !this.known.has(item.conversationId);
                this.known.add(item.conversationId);
                if (isNew)
                    this.emit('conversation', { conversationId: item.conversationId, kind: 'new', item });
                if (item.system)
                    this.emit('conversation', { conversationId: item.conversationId, kind: item.system.kind, item });
            }
        }
        // Acknowledged only after the listeners ran, so a crash before it loses nothing. Both ways:
        // the cursor, and the position (highest seq) in each conversation (docs/protocol.md, "Acking
        // by positions").
        if (items.length > 0)
            this.ackSoon(items);
        if (this.state === 'catching-up')
            this.quietSoon();
    }
    /**
     * Adds entries to the next ack, sent `ackDelayMs` after the first entry it names: an ack frame
     * costs the server as much as a message frame, so a busy device sends a few a second, not one
     * per frame. A late ack costs nothing but a resend after a reconnect, dropped by messageId.
     */
    ackSoon(items) {
        const pending = this.pendingAck ?? { cursor: 0, positions: {} };
        pending.cursor = items[items.length - 1].cursor;
        for (const item of items) {
            pending.positions[item.conversationId] = Math.max(pending.positions[item.conversationId] ?? 0, item.seq);
        }
        this.pendingAck = pending;
        const delay = this.options.ackDelayMs ?? ACK_DELAY_MS;
        if (delay <= 0)
            this.flushAck();
        else if (this.ackTimer === undefined)
            this.ackTimer = setTimeout(() => this.flushAck(), delay);
    }
    flushAck() {
        clearTimeout(this.ackTimer);
        this.ackTimer = undefined;
        const pending = this.pendingAck;
        this.pendingAck = null;
        if (pending)
            this.sendFrame({ type: 'ack', cursor: pending.cursor, positions: pending.positions });
    }
    remember(messageId) {
        this.seen.add(messageId);
        if (this.seen.size > (this.options.dedupWindow ?? 10_000)) {
            this.seen.delete(this.seen.values().next().value);
        }
    }
    quietSoon() {
        clearTimeout(this.quietTimer);
        this.quietTimer = setTimeout(() => {
            if (this.state === 'catching-up')
                this.setState({ state: 'connected' });
        }, CATCH_UP_QUIET_MS);
    }
    async afterClose(opened) {
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
        if (this.stopped)
            return;
        const delay = reason === 'device_limit' ? DEVICE_LIMIT_RETRY_MS : this.backoff();
        this.attempt += 1;
        this.setState({ state: 'reconnecting', retryAt: Date.now() + delay, reason });
        this.retryTimer = setTimeout(() => void this.connect(), delay);
    }
    async renewToken() {
        try {
            return (await this.options.auth.refresh?.()) ?? false;
        }
        catch {
            return false;
        }
    }
    async tokenValid() {
        try {
            await this.rest.devices();
            return true;
        }
        catch (e) {
            return !(e instanceof ApiError && e.status === 401);
        }
    }
    /** Exponential, capped, with "equal jitter" so a server restart is not met by a stampede. */
    backoff() {
        const base = this.options.backoffBaseMs ?? 500;
        const ceiling = Math.min(this.options.backoffMaxMs ?? 30_000, base * 2 ** this.attempt);
        return ceiling / 2 + this.random() * (ceiling / 2);
    }
    setState(change) {
        this.state = change.state;
        this.emit('state', change);
    }
}
/** `https://host` -> `wss://host`; empty -> the page's own origin. */
function webSocketBase(baseUrl) {
    if (baseUrl)
        return baseUrl.replace(/\/+$/, '').replace(/^http/, 'ws');
    const location = globalThis.location;
    if (!location)
        throw new Error('baseUrl is required outside a browser page');
    return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
}
