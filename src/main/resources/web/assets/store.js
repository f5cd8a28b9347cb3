// Everything the page knows, in one place, and who to tell when it changes. Views read from here
// and re-render on 'list', 'chat', 'typing', 'connection' or 'composer'; nothing here touches the DOM.

import { isAmendment, mergeEntries } from './sdk/index.js';

const TYPING_SHOWN_MS = 4_000;

export class Store {
  constructor(me) {
    this.me = me; // {userId, username}
    /** conversationId -> list item of GET /conversations, kept current by live messages */
    this.conversations = new Map();
    /**
     * conversationId -> {entries: [entry, in seq order], hasMore, loading}. Only conversations
     * whose newest page was loaded have one; live messages for the others only move the list. A
     * loaded conversation then holds one unbroken run of seqs: the newest page plus everything
     * that arrived after it, plus older pages. Edits, deletions and reactions are entries too
     * (kept, not shown), applied to the messages they name by the SDK's mergeEntries.
     */
    this.messages = new Map();
    /**
     * clientMsgId -> {clientMsgId, conversationId, body, attachments, replyTo?, mentions?, failed?}:
     * sent, not yet stored
     */
    this.outbox = new Map();
    /** conversationId -> GET /conversations/{id}: members and their roles (groups, once opened) */
    this.details = new Map();
    /** conversationId -> Map(userId -> {delivered, read}) */
    this.receipts = new Map();
    this.presence = new Map(); // userId -> {online, lastSeen}
    this.typing = new Map(); // conversationId -> Map(userId -> until)
    this.users = new Map(); // userId -> {username, displayName, deleted?}
    this.blocked = new Set(); // userIds I block (GET /blocks)
    this.openId = null;
    this.visible = true; // the page is in view: messages of the open conversation are read at once
    this.connection = { state: 'connecting' };
    this.listeners = new Set();
  }

  subscribe(listener) {
    this.listeners.add(listener);
  }

  emit(topic) {
    for (const listener of this.listeners) listener(topic);
  }

  // ---- conversations ----

  setConversations(list) {
    const fresh = new Map();
    for (const item of list) {
      const known = this.conversations.get(item.conversationId);
      // Messages that arrived live while the list was in flight are newer than the list.
      const liveIsNewer = known && (known.lastSeq || 0) > (item.lastSeq || 0);
      fresh.set(
        item.conversationId,
        liveIsNewer
          ? { ...item, lastMessage: known.lastMessage, lastSeq: known.lastSeq, unreadCount: known.unreadCount }
          : item,
      );
      if (item.conversationId === this.openId) fresh.get(item.conversationId).unreadCount = 0;
    }
    this.conversations = fresh;
    this.emit('list');
  }

  upsertConversation(view) {
    const known = this.conversations.get(view.conversationId);
    this.conversations.set(view.conversationId, {
      lastSeq: 0, lastMessage: null, unreadCount: 0, left: false, muted: false, ...known, ...view,
    });
    this.emit('list');
  }

  /** Most recent activity first, as the server orders them. */
  sortedConversations() {
    const activity = (c) => Date.parse(c.lastMessage?.timestamp || c.createdAt) || 0;
    return [...this.conversations.values()].sort((a, b) => activity(b) - activity(a));
  }

  otherMember(conversation) {
    return conversation.members?.find((m) => m !== this.me.userId) || null;
  }

  // ---- messages ----

  /** Handles inbox entries; returns the ids of conversations this page did not know yet. */
  addIncoming(items) {
    const unknown = new Set();
    const byConversation = new Map();
    for (const item of items) {
      const conversation = this.conversations.get(item.conversationId);
      if (!conversation) unknown.add(item.conversationId);
      if (!byConversation.has(item.conversationId)) byConversation.set(item.conversationId, []);
      byConversation.get(item.conversationId).push(item);
      if (isAmendment(item)) {
        if (conversation) this.amendListed(conversation, item);
        continue;
      }
      if (item.senderId === this.me.userId) this.matchOutbox(item);
      // Seqs only grow, so an entry seen before (or already put there by my own 'sent') moves
      // neither the preview nor the unread count.
      if (conversation && item.seq > (conversation.lastSeq || 0)) {
        conversation.lastSeq = item.seq;
        // The server leaves a blocked sender's messages out of the preview and the unread count.
        if (!item.system && !item.fromBlocked) {
          conversation.lastMessage = {
            seq: item.seq, senderId: item.senderId, preview: listPreview(item), timestamp: item.timestamp,
          };
          if (item.senderId !== this.me.userId && (item.conversationId !== this.openId || !this.visible)) {
            conversation.unreadCount = (conversation.unreadCount || 0) + 1;
          }
        }
      }
      this.typing.get(item.conversationId)?.delete(item.senderId);
    }
    for (const [conversationId, entries] of byConversation) {
      const cache = this.messages.get(conversationId);
      if (cache) cache.entries = mergeEntries(cache.entries, entries, this.me.userId);
    }
    this.emit('list');
    if (byConversation.has(this.openId)) this.emit('chat');
    return [...unknown];
  }

  /**
   * An edit or deletion of the message the list previews shows in the preview, as the server's
   * list will; reactions and changes to older messages leave it. Amendments are never unread.
   */
  amendListed(conversation, item) {
    conversation.lastSeq = Math.max(conversation.lastSeq || 0, item.seq);
    const last = conversation.lastMessage;
    if (!last || last.seq !== item.amendment.seq) return;
    if (item.amendment.kind === 'edit') conversation.lastMessage = { ...last, preview: (item.amendment.body || '').slice(0, 100) };
    if (item.amendment.kind === 'delete') conversation.lastMessage = { ...last, preview: DELETED };
  }

  /**
   * My own message can come back in the inbox before its 'sent' frame (the two travel separately).
   * Entries carry no clientMsgId, so the oldest waiting send with the same body and files stands
   * for it: the outbox copy is hidden and the stored one shown, never both. The 'sent' frame
   * settles it.
   */
  matchOutbox(item) {
    for (const waiting of this.outbox.values()) {
      if (!waiting.messageId && waiting.conversationId === item.conversationId && waiting.body === item.body
          && fileIds(waiting) === fileIds(item)) {
        waiting.messageId = item.messageId;
        return;
      }
    }
  }

  /** A page of GET …/messages (newest first). */
  addHistory(conversationId, page) {
    let cache = this.messages.get(conversationId);
    if (!cache) {
      cache = { entries: [], hasMore: page.hasMore, loading: false };
      this.messages.set(conversationId, cache);
    } else {
      cache.hasMore = page.hasMore;
    }
    // A page's copies are as new as the entries held (or newer): they replace those held.
    cache.entries = mergeEntries(cache.entries, page.messages, this.me.userId);
    this.emit('chat');
  }

  /** The open conversation's messages in seq order (amendments applied, not shown), then what is still being sent. */
  timeline(conversationId) {
    const entries = this.messages.get(conversationId)?.entries || [];
    const stored = entries.filter((m) => !m.amendment);
    const held = new Set(entries.map((m) => m.messageId));
    const sending = [...this.outbox.values()].filter(
      (m) => m.conversationId === conversationId && !(m.messageId && held.has(m.messageId)),
    );
    return { stored, sending };
  }

  /** The held message at {@code seq} of a conversation, if any. */
  message(conversationId, seq) {
    return this.messages.get(conversationId)?.entries.find((m) => m.seq === seq && !m.amendment) || null;
  }

  oldestSeq(conversationId) {
    return this.messages.get(conversationId)?.entries[0]?.seq ?? null;
  }

  newestSeq(conversationId) {
    return this.messages.get(conversationId)?.entries.at(-1)?.seq ?? 0;
  }

  // ---- sending ----

  queue(message) {
    this.outbox.set(message.clientMsgId, message);
    this.emit('chat');
  }

  /** The server stored it: the inbox entry (here already, or soon) replaces the outbox one. */
  confirmSent(frame) {
    const pending = this.outbox.get(frame.clientMsgId);
    this.outbox.delete(frame.clientMsgId);
    const cache = this.messages.get(frame.conversationId);
    if (pending && cache && !cache.entries.some((m) => m.messageId === frame.messageId)) {
      const copy = {
        messageId: frame.messageId,
        conversationId: frame.conversationId,
        seq: frame.seq,
        senderId: this.me.userId,
        body: pending.body,
        timestamp: frame.timestamp,
        ...(pending.attachments?.length ? { attachments: pending.attachments } : {}),
        ...(pending.replyTo ? { replyTo: pending.replyTo } : {}),
        ...(pending.mentions?.length ? { mentions: pending.mentions } : {}),
      };
      cache.entries = mergeEntries(cache.entries, [copy], this.me.userId);
    }
    this.emit('chat');
  }

  failSend(clientMsgId, reason) {
    const message = this.outbox.get(clientMsgId);
    if (!message) return;
    message.failed = reason;
    this.emit('chat');
  }

  // ---- receipts, typing, presence ----

  setReceipts(conversationId, members) {
    const byUser = new Map();
    for (const m of members) byUser.set(m.userId, { delivered: m.deliveredSeq, read: m.readSeq });
    this.receipts.set(conversationId, byUser);
    this.emit('chat');
  }

  addReceipt(receipt) {
    if (receipt.userId === this.me.userId) {
      // Read on another of my devices.
      const conversation = this.conversations.get(receipt.conversationId);
      if (receipt.kind === 'read' && conversation && receipt.seq >= (conversation.lastSeq || 0)) {
        conversation.unreadCount = 0;
        this.emit('list');
      }
      return;
    }
    let byUser = this.receipts.get(receipt.conversationId);
    if (!byUser) {
      byUser = new Map();
      this.receipts.set(receipt.conversationId, byUser);
    }
    const marks = byUser.get(receipt.userId) || { delivered: 0, read: 0 };
    marks[receipt.kind] = Math.max(marks[receipt.kind] || 0, receipt.seq);
    // Read implies delivered; receipts of the two kinds may come in either order.
    marks.delivered = Math.max(marks.delivered, marks.read);
    byUser.set(receipt.userId, marks);
    if (receipt.conversationId === this.openId) this.emit('chat');
  }

  /** 'read', 'delivered' or 'sent' for my message at {@code seq}: what every other member did. */
  tick(conversationId, seq) {
    const conversation = this.conversations.get(conversationId);
    const byUser = this.receipts.get(conversationId) || new Map();
    let others = [...byUser.keys()].filter((u) => u !== this.me.userId);
    if (others.length === 0 && conversation?.type === 'direct') others = [this.otherMember(conversation)];
    if (others.length === 0) return 'sent';
    const all = (kind) => others.every((u) => (byUser.get(u)?.[kind] || 0) >= seq);
    if (all('read')) return 'read';
    if (all('delivered')) return 'delivered';
    return 'sent';
  }

  setTyping(conversationId, userId) {
    if (userId === this.me.userId) return;
    let who = this.typing.get(conversationId);
    if (!who) {
      who = new Map();
      this.typing.set(conversationId, who);
    }
    who.set(userId, Date.now() + TYPING_SHOWN_MS);
    this.emit('typing');
    setTimeout(() => this.emit('typing'), TYPING_SHOWN_MS + 50);
  }

  typists(conversationId) {
    const now = Date.now();
    return [...(this.typing.get(conversationId) || new Map()).entries()].filter(([, until]) => until > now).map(([u]) => u);
  }

  setPresence(p) {
    this.presence.set(p.userId, { online: p.online, lastSeen: p.lastSeen });
    this.emit('list');
    this.emit('chat');
  }

  /** GET /conversations/{id}: who is in the group, and who may delete anyone's messages. */
  setDetails(details) {
    this.details.set(details.conversationId, details);
    this.emit('chat');
    this.emit('composer');
  }

  isAdmin(conversationId) {
    return this.details.get(conversationId)?.members.some((m) => m.userId === this.me.userId && m.role === 'admin') || false;
  }

  setUser(user) {
    this.users.set(user.userId, user);
    this.emit('list');
    this.emit('chat');
  }

  name(userId) {
    if (userId === this.me.userId) return 'You';
    const user = this.users.get(userId);
    return user ? user.displayName || user.username : '…';
  }

  title(conversation) {
    if (conversation.type === 'group') return conversation.title || 'Group';
    return this.name(this.otherMember(conversation));
  }

  setBlocked(userIds) {
    this.blocked = new Set(userIds);
    this.emit('chat');
    this.emit('list');
  }

  /** A group message to show folded: its sender is blocked (flagged by the server, or since). */
  hiddenAsBlocked(conversation, m) {
    return conversation.type === 'group' && m.senderId !== this.me.userId && (m.fromBlocked || this.blocked.has(m.senderId));
  }

  setConnection(state, detail) {
    this.connection = { state, ...detail };
    this.emit('connection');
  }
}

/** What the list shows for a message deleted for everyone, as the server does. */
const DELETED = 'Message deleted';

/** As the server previews a message in the list: its text, or "📎 name (+n)" for files only. */
function listPreview(item) {
  if (item.deleted) return DELETED;
  const body = item.body || '';
  if (body || !item.attachments?.length) return body.slice(0, 100);
  const more = item.attachments.length - 1;
  return `📎 ${item.attachments[0].name}${more ? ` (+${more})` : ''}`.slice(0, 100);
}

function fileIds(message) {
  return (message.attachments || []).map((a) => a.id).join(' ');
}
