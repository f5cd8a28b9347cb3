// The logged-in page's behaviour: what happens on each SDK event and each user action. It keeps
// the Store current and the SDK's Connection fed; the views only render the store and call these
// methods. The protocol itself (heartbeats, acks, reconnects, de-duplication, send retries) is the
// SDK's (assets/sdk/, built from clients/js).

import { Connection } from './sdk/index.js';
import { Store } from './store.js';
import { clientLabel, deviceId } from './session.js';
import { inPlainWords } from './refusals.js';
import { PendingUploads } from './uploads.js';
import { Downloads } from './attachment-view.js';

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
    this.uploads = new PendingUploads(api, () => this.store.emit('composer'));
    this.downloads = new Downloads(api);
    // Sends leave in the order they were made, even when one waits for its uploads.
    this.sendOrder = Promise.resolve();
    this.connection = new Connection({
      deviceId: this.deviceId,
      client: clientLabel(),
      auth: { current: async () => this.session.token },
      rest: api,
    });
    this.connection.on('state', ({ state, retryAt }) => this.onConnectionState(state, retryAt ? { retryAt } : undefined));
    this.connection.on('open', () => this.onOpen());
    this.connection.on('messages', (items) => this.onMessages(items));
    this.connection.on('receipt', (receipt) => this.store.addReceipt(receipt));
    this.connection.on('typing', ({ conversationId, userId }) => this.store.setTyping(conversationId, userId));
    this.connection.on('presence', (presence) => this.store.setPresence(presence));
    document.addEventListener('visibilitychange', () => {
      this.store.visible = document.visibilityState === 'visible';
      this.markRead();
    });
  }

  start() {
    this.store.users.set(this.session.userId, { userId: this.session.userId, username: this.session.username });
    this.refreshConversations();
    this.refreshBlocks();
    this.connection.start();
  }

  stop() {
    this.connection.stop();
  }

  // ---- the connection ----

  onOpen() {
    // The SDK sends again whatever is unanswered, with the same clientMsgId. Notices (receipts,
    // typing, presence) are not replayed, so read the current state.
    this.refreshConversations();
    this.refreshBlocks();
    if (this.store.openId) this.refreshReceipts(this.store.openId);
  }

  onConnectionState(state, detail) {
    this.store.setConnection(state, detail);
    if (state === 'signed-out') this.onSignedOut();
  }

  /** Inbox entries the SDK hands over once each (by messageId), in seq order per conversation. */
  onMessages(items) {
    for (const item of items) {
      if (item.amendment?.kind === 'delete') this.downloads.forget(item.conversationId, item.amendment.seq);
    }
    const unknown = this.store.addIncoming(items);
    if (unknown.length > 0) this.refreshConversationsSoon();
    // Members came or went: the mention list and admin rights follow.
    for (const id of new Set(items.filter((i) => i.system && this.store.details.has(i.conversationId)).map((i) => i.conversationId))) {
      this.refreshDetails(id);
    }
    this.lookUpPeople(people(items));
    // Someone who left may have deleted their account: their name becomes "Deleted user".
    for (const item of items) if (item.system?.kind === 'member_left') this.refreshUser(item.system.userId);
    this.markRead();
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

  /** A group's members and roles: whom to offer for @-mentions, whether I may delete anyone's. */
  async refreshDetails(conversationId) {
    try {
      const details = await this.api.conversation(conversationId);
      this.store.setDetails(details);
      this.lookUpPeople(details.members.map((m) => m.userId));
    } catch (e) {
      // Left the group, or offline: no completion, own messages only.
    }
  }

  async refreshBlocks() {
    try {
      this.store.setBlocked((await this.api.blocks()).map((b) => b.userId));
    } catch (e) {
      // Offline: the next reconnect asks again.
    }
  }

  /** The name may have changed, or the account been deleted, since this page first asked. */
  async refreshUser(userId) {
    try {
      this.store.setUser(await this.api.user(userId));
    } catch (e) {
      // Offline: the name stays as it was.
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
    if (conversation?.type === 'group') this.refreshDetails(conversationId);
    if (conversation?.type === 'direct') this.refreshUser(this.store.otherMember(conversation));
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
      const page = await this.api.history(conversationId, { beforeSeq: cache ? this.store.oldestSeq(conversationId) : null, limit: PAGE_SIZE });
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
    if (this.connection.read(id, seq)) {
      this.readSent.set(id, seq);
      const conversation = this.store.conversations.get(id);
      if (conversation?.unreadCount) {
        conversation.unreadCount = 0;
        this.store.emit('list');
      }
    }
  }

  // ---- writing ----

  attach(conversationId, files) {
    if (files.length > 0) this.uploads.add(conversationId, files);
  }

  removeAttachment(conversationId, key) {
    this.uploads.remove(conversationId, key);
  }

  /**
   * The text with the composer's files, once their uploads are done; {@code replyTo} is the quote
   * ({seq, senderId, preview}) of the message it answers, {@code mentions} the userIds named.
   */
  send(conversationId, body, { replyTo = null, mentions = [] } = {}) {
    this.lastTypingSent = 0;
    const withFiles = this.uploads.list(conversationId).length > 0;
    this.sendOrder = this.sendOrder.then(async () => {
      const attachments = withFiles ? await this.uploads.take(conversationId) : [];
      if (!body.trim() && attachments.length === 0) return;
      const random = crypto.getRandomValues(new Uint32Array(2));
      const clientMsgId = `c-${Date.now().toString(36)}-${random[0].toString(36)}${random[1].toString(36)}`;
      const message = { clientMsgId, conversationId, body, attachments, replyTo, mentions };
      this.store.queue(message);
      this.sendFrame(message);
    });
  }

  /**
   * Hands the message to the SDK, which keeps it until the server answers (across reconnects and
   * `overloaded`/`rate_limited` pauses); only a refusal a retry cannot change marks it failed.
   */
  sendFrame(message) {
    const options = { clientMsgId: message.clientMsgId };
    if (message.attachments.length > 0) options.attachments = message.attachments;
    if (message.replyTo) options.replyTo = { seq: message.replyTo.seq };
    if (message.mentions?.length) options.mentions = message.mentions;
    this.connection.send(message.conversationId, message.body, options).then(
      (sent) => this.store.confirmSent(sent),
      (e) => this.store.failSend(message.clientMsgId, inPlainWords(e)),
    );
  }

  // Edits, deletions and reactions go through the SDK's outbox like sends (kept and retried until
  // answered). What they change comes back as entries of the log, on every device including this
  // one, and the store applies them there: nothing is changed on screen before the server has it.
  // Each answers a promise that rejects with the refusal in plain words.

  edit(conversationId, seq, body) {
    return this.connection.edit(conversationId, seq, body).catch(refusal);
  }

  deleteMessage(conversationId, seq) {
    return this.connection.deleteMessage(conversationId, seq).catch(refusal);
  }

  react(conversationId, seq, emoji, on) {
    return this.connection.react(conversationId, seq, emoji, on).catch(refusal);
  }

  // ---- blocks and reports ----

  /** In force everywhere once the server answers: the direct conversation refuses sends both ways. */
  async block(userId) {
    await this.api.block(userId).catch(refusal);
    this.store.setBlocked([...this.store.blocked, userId]);
    // Their presence frames stop; the server now answers them as offline.
    this.refreshPresence(userId);
  }

  async unblock(userId) {
    await this.api.unblock(userId).catch(refusal);
    this.store.setBlocked([...this.store.blocked].filter((id) => id !== userId));
    this.refreshPresence(userId);
  }

  /** Reports the message {@code m} to the moderators, who get a copy of it as the reader sees it. */
  report(m, reason, note) {
    const request = { conversationId: m.conversationId, seq: m.seq, reason };
    if (note.trim()) request.note = note.trim();
    return this.api.report(request).catch(refusal);
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
    if (this.connection.typing(conversationId)) this.lastTypingSent = now;
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

function refusal(e) {
  throw new Error(inPlainWords(e));
}

/** Everyone a list of messages names: senders, and whoever a membership change is about. */
function people(messages) {
  return messages.flatMap((m) => [m.senderId, m.system?.userId, m.replyTo?.senderId, ...(m.mentions || [])]);
}
