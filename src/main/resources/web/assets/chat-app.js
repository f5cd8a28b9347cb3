// The logged-in page's behaviour: what happens on each server frame and each user action. It keeps
// the Store current and the Connection fed; the views only render the store and call these methods.

import { Connection } from './connection.js';
import { Store } from './store.js';
import { deviceId } from './session.js';

export const PAGE_SIZE = 20;
const TYPING_EVERY_MS = 2_500;

export class ChatApp {
  constructor(api, session, onSignedOut) {
    this.api = api;
    this.session = session;
    this.deviceId = deviceId(session.userId);
    this.onSignedOut = onSignedOut;
    this.store = new Store({ userId: session.userId, username: session.username });
    this.lastTypingSent = 0;
    this.readSent = new Map(); // conversationId -> the highest seq a read frame was sent for
    this.listRefresh = null;
    this.connection = new Connection({
      url: () => {
        const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
        const query = new URLSearchParams({ deviceId: this.deviceId, access_token: this.session.token });
        return `${scheme}://${location.host}/api/v1/ws?${query}`;
      },
      onFrame: (frame) => this.onFrame(frame),
      onState: (state, detail) => this.onConnectionState(state, detail),
      onOpen: () => this.onOpen(),
      tokenValid: () => this.tokenValid(),
    });
    document.addEventListener('visibilitychange', () => {
      this.store.visible = document.visibilityState === 'visible';
      this.markRead();
    });
  }

  start() {
    this.store.users.set(this.session.userId, { userId: this.session.userId, username: this.session.username });
    this.refreshConversations();
    this.connection.start();
  }

  stop() {
    this.connection.stop();
  }

  // ---- the connection ----

  onOpen() {
    // Everything sent while offline goes again, with the same clientMsgId: the server stores each
    // once. Notices (receipts, typing, presence) are not replayed, so read the current state.
    for (const message of this.store.outbox.values()) {
      message.failed = null;
      this.sendFrame(message);
    }
    this.refreshConversations();
    if (this.store.openId) this.refreshReceipts(this.store.openId);
  }

  onConnectionState(state, detail) {
    this.store.setConnection(state, detail);
    if (state === 'signed-out') this.onSignedOut();
  }

  async tokenValid() {
    try {
      await this.api.conversations();
      return true;
    } catch (e) {
      return e.status !== 401;
    }
  }

  onFrame(frame) {
    switch (frame.type) {
      case 'messages': {
        const unknown = this.store.addIncoming(frame.items);
        if (unknown.length > 0) this.refreshConversationsSoon();
        this.lookUpPeople(people(frame.items));
        this.markRead();
        return;
      }
      case 'sent':
        this.store.confirmSent(frame);
        return;
      case 'receipt':
        this.store.addReceipt(frame);
        return;
      case 'receipts':
        frame.items.forEach((r) => this.store.addReceipt(r));
        return;
      case 'typing':
        this.store.setTyping(frame.conversationId, frame.userId);
        return;
      case 'presence':
        this.store.setPresence(frame);
        return;
      case 'error':
        if (!frame.ref) return;
        // Refusals that pass: the same clientMsgId again after a pause (the server stores it once).
        if (frame.code === 'overloaded') this.retrySoon(frame.ref, frame.retryAfterMs);
        else if (frame.code === 'rate_limited' || frame.code === 'unavailable') this.retrySoon(frame.ref);
        else this.store.failSend(frame.ref, frame.message || frame.code);
        return;
      default:
    }
  }

  // ---- reading ----

  async refreshConversations() {
    try {
      const list = await this.api.conversations();
      this.store.setConversations(list);
      const directPeople = list.filter((c) => c.type === 'direct').map((c) => this.store.otherMember(c));
      this.lookUpPeople(directPeople);
      directPeople.forEach((userId) => this.refreshPresence(userId));
    } catch (e) {
      // The next reconnect tries again.
    }
  }

  refreshConversationsSoon() {
    clearTimeout(this.listRefresh);
    this.listRefresh = setTimeout(() => this.refreshConversations(), 200);
  }

  async refreshPresence(userId) {
    try {
      this.store.setPresence(await this.api.presence(userId));
    } catch (e) {
      // Not a contact (any more): no dot.
    }
  }

  async refreshReceipts(conversationId) {
    try {
      this.store.setReceipts(conversationId, await this.api.receipts(conversationId));
    } catch (e) {
      // Left the group, or offline: the ticks stay as they were.
    }
  }

  lookUpPeople(userIds) {
    for (const userId of new Set(userIds)) {
      if (!userId || this.store.users.has(userId)) continue;
      this.store.users.set(userId, null); // asked once, even while the answer is on its way
      this.api.user(userId).then(
        (user) => this.store.setUser(user),
        () => this.store.users.delete(userId),
      );
    }
  }

  async open(conversationId) {
    this.store.openId = conversationId;
    const conversation = this.store.conversations.get(conversationId);
    if (conversation) conversation.unreadCount = 0;
    this.store.emit('list');
    this.store.emit('chat');
    this.refreshReceipts(conversationId);
    if (!this.store.messages.has(conversationId)) await this.loadOlder(conversationId);
    this.markRead();
  }

  close() {
    this.store.openId = null;
    this.store.emit('chat');
    this.store.emit('list');
  }

  /** The newest page first, then older ones, as the user scrolls up. */
  async loadOlder(conversationId) {
    const cache = this.store.messages.get(conversationId);
    if (cache && (cache.loading || !cache.hasMore)) return;
    if (cache) cache.loading = true;
    const done = () => {
      const current = this.store.messages.get(conversationId);
      if (current) current.loading = false;
    };
    try {
      const page = await this.api.history(conversationId, cache ? this.store.oldestSeq(conversationId) : null, PAGE_SIZE);
      // Not loading any more before the view renders the page, so it may ask for the next one.
      done();
      this.store.addHistory(conversationId, page);
      this.lookUpPeople(people(page.messages));
    } catch (e) {
      done();
      this.store.emit('chat');
    }
  }

  /** Tells the server the user has seen the open conversation, when the page is in view. */
  markRead() {
    const id = this.store.openId;
    if (!id || document.visibilityState !== 'visible') return;
    const seq = this.store.newestSeq(id);
    if (seq <= (this.readSent.get(id) || 0)) return;
    if (this.connection.send({ type: 'read', conversationId: id, seq })) {
      this.readSent.set(id, seq);
      const conversation = this.store.conversations.get(id);
      if (conversation?.unreadCount) {
        conversation.unreadCount = 0;
        this.store.emit('list');
      }
    }
  }

  // ---- writing ----

  send(conversationId, body) {
    const random = crypto.getRandomValues(new Uint32Array(2));
    const message = { clientMsgId: `c-${Date.now().toString(36)}-${random[0].toString(36)}${random[1].toString(36)}`, conversationId, body };
    this.store.queue(message);
    this.sendFrame(message);
    this.lastTypingSent = 0;
  }

  sendFrame(message) {
    // Not open: it stays in the outbox and goes when the connection is back (onOpen).
    this.connection.send({ type: 'send', clientMsgId: message.clientMsgId, conversationId: message.conversationId, body: message.body });
  }

  // The same clientMsgId again, after the server's retryAfterMs (an overloaded node) or about a
  // second, with jitter so that many clients refused together do not come back together.
  retrySoon(clientMsgId, waitMs = 1_000) {
    setTimeout(() => {
      const message = this.store.outbox.get(clientMsgId);
      if (message) this.sendFrame(message);
    }, waitMs + Math.random() * 1_000);
  }

  retry(clientMsgId) {
    const message = this.store.outbox.get(clientMsgId);
    if (!message) return;
    message.failed = null;
    this.store.emit('chat');
    this.sendFrame(message);
  }

  typing(conversationId) {
    const now = Date.now();
    if (now - this.lastTypingSent < TYPING_EVERY_MS) return;
    if (this.connection.send({ type: 'typing', conversationId })) this.lastTypingSent = now;
  }

  async startDirect(username) {
    const user = await this.api.userByName(username.trim().toLowerCase());
    this.store.setUser(user);
    const conversation = await this.api.openDirect(user.userId);
    this.store.upsertConversation(conversation);
    this.refreshPresence(user.userId);
    await this.open(conversation.conversationId);
  }

  async createGroup(title, usernames) {
    const users = await Promise.all(usernames.map((u) => this.api.userByName(u)));
    users.forEach((u) => this.store.setUser(u));
    const conversation = await this.api.createGroup(title.trim(), users.map((u) => u.userId));
    this.store.upsertConversation(conversation);
    await this.open(conversation.conversationId);
  }

  async addMember(conversationId, username) {
    const user = await this.api.userByName(username.trim().toLowerCase());
    this.store.setUser(user);
    await this.api.addMember(conversationId, user.userId);
    this.refreshReceipts(conversationId);
  }
}

/** Everyone a list of messages names: senders, and whoever a membership change is about. */
function people(messages) {
  return messages.flatMap((m) => [m.senderId, m.system?.userId]);
}
