// One row of the message log: a message (sender, the quote it answers, files, text with mentions,
// "edited", reactions, ticks, and its actions: reply, react, edit, delete, report, and block the
// sender of a group message), a tombstone for a message deleted for everyone (none of its old text),
// a group message from someone I block folded behind "show", a message still being sent, a
// membership change.

import { el, shortTime } from './dom.js';
import { sendingAttachments, storedAttachments } from './attachment-view.js';
import { bodyNodes } from './mentions.js';

/** The server's default reactions (messenger.chat.reactions); the API does not list them. */
export const REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🙏'];

const TICKS = {
  sending: ['🕓', 'Sending'],
  sent: ['✓', 'Sent'],
  delivered: ['✓✓', 'Delivered'],
  read: ['✓✓', 'Read'],
  failed: ['!', 'Not sent'],
};

/**
 * @param ctx {store, downloads, onError(text), pickerFor (messageId whose picker is open),
 *     revealed (messageIds of blocked senders' messages the reader chose to see),
 *     actions: {reply(m), edit(m), remove(m), report(m), block(m), reveal(m), togglePicker(m),
 *     react(m, emoji, on), show(seq)}}
 */
export function messageRow(ctx, conversation, m) {
  const { store } = ctx;
  if (store.hiddenAsBlocked(conversation, m) && !ctx.revealed.has(m.messageId)) return foldedRow(ctx, m);
  const mine = m.senderId === store.me.userId;
  const status = mine ? store.tick(conversation.conversationId, m.seq) : null;
  const mentionsMe = !m.deleted && (m.mentions || []).includes(store.me.userId);
  const classes = ['message', mine ? 'mine' : 'theirs', m.deleted ? 'deleted' : '', mentionsMe ? 'mentions-me' : ''];
  return el(
    'li',
    { class: classes.filter(Boolean).join(' '), 'data-key': m.messageId, 'data-seq': m.seq, 'data-message-id': m.messageId },
    !mine && conversation.type === 'group' ? el('span', { class: 'sender' }, store.name(m.senderId)) : null,
    m.deleted ? null : quote(ctx, conversation.conversationId, m.replyTo),
    m.deleted ? null : storedAttachments(ctx.downloads, m, ctx.onError),
    m.deleted
      ? el('p', { class: 'body tombstone' }, 'Message deleted')
      : m.body ? el('p', { class: 'body' }, bodyNodes(m.body, m.mentions, (id) => store.users.get(id))) : null,
    m.deleted ? null : reactions(ctx, m),
    el(
      'span',
      { class: 'meta' },
      m.editedAt && !m.deleted ? el('span', { class: 'edited', title: `edited ${shortTime(m.editedAt)}` }, 'edited') : null,
      el('time', { datetime: m.timestamp }, shortTime(m.timestamp)),
      status ? tick(status) : null,
    ),
    m.deleted ? null : actions(ctx, conversation, m, mine),
    !m.deleted && ctx.pickerFor === m.messageId ? picker(ctx, m) : null,
  );
}

/** A group message from someone I block: nothing of it but the choice to see it. */
function foldedRow(ctx, m) {
  return el(
    'li',
    { class: 'message theirs from-blocked', 'data-key': `${m.messageId}:folded`, 'data-seq': m.seq, 'data-message-id': m.messageId },
    el('span', { class: 'muted' }, 'Message from a blocked user — '),
    el('button', { type: 'button', class: 'link', onclick: () => ctx.actions.reveal(m) }, 'show'),
  );
}

export function pendingRow(ctx, m) {
  const status = m.failed ? 'failed' : 'sending';
  return el(
    'li',
    { class: 'message mine pending', 'data-key': m.clientMsgId, 'data-client-msg-id': m.clientMsgId },
    quote(ctx, m.conversationId, m.replyTo),
    sendingAttachments(m),
    m.body ? el('p', { class: 'body' }, bodyNodes(m.body, m.mentions, (id) => ctx.store.users.get(id))) : null,
    el(
      'span',
      { class: 'meta' },
      tick(status),
      m.failed ? el('button', { type: 'button', class: 'link', onclick: () => ctx.actions.retry(m) }, `Retry (${m.failed})`) : null,
    ),
  );
}

function permissionWords(who) {
  return who === 'admins' ? 'admins only' : 'everyone';
}

export function systemRow(store, m) {
  const who = store.name(m.system.userId);
  const by = store.name(m.senderId);
  const text = {
    member_added: `${by} added ${who}`,
    member_removed: `${by} removed ${who}`,
    member_left: `${who} left`,
    renamed: `${by} renamed the group to “${m.system.title}”`,
    role_changed: m.system.role === 'admin' ? `${by} made ${who} an admin` : `${by} made ${who} a member`,
    permissions_changed: `${by} changed who may add members (${permissionWords(m.system.permissions?.addMembers)}) and rename (${permissionWords(m.system.permissions?.rename)})`,
  }[m.system.kind] || m.system.kind;
  return el('li', { class: 'system', 'data-key': m.messageId, 'data-seq': m.seq, 'data-message-id': m.messageId }, text);
}

/**
 * The message one answers: its sender and text as held now (an edit shows, a deletion hides it),
 * else as the server quoted it; "unavailable" when the reader cannot see it.
 */
function quote(ctx, conversationId, replyTo) {
  if (!replyTo) return null;
  const { store } = ctx;
  const held = store.message(conversationId, replyTo.seq);
  if (replyTo.unavailable || held?.deleted) {
    return el('blockquote', { class: 'quote unavailable', 'data-reply-to': replyTo.seq }, 'Original message unavailable');
  }
  const senderId = held?.senderId ?? replyTo.senderId;
  const text = held ? held.body || (held.attachments?.length ? `📎 ${held.attachments[0].name}` : '') : replyTo.preview;
  return el(
    'blockquote',
    { class: 'quote', 'data-reply-to': replyTo.seq },
    el(
      'button',
      { type: 'button', class: 'quote-button', 'aria-label': `Show the message from ${store.name(senderId)}`, onclick: () => ctx.actions.show(replyTo.seq) },
      el('span', { class: 'quote-sender' }, store.name(senderId)),
      el('span', { class: 'quote-text' }, text.length > 140 ? `${text.slice(0, 140)}…` : text),
    ),
  );
}

/** The reactions as chips: emoji and count, mine highlighted; a click puts mine on or takes it off. */
function reactions(ctx, m) {
  if (!m.reactions?.length) return null;
  return el(
    'div',
    { class: 'reactions' },
    m.reactions.map((r) =>
      el(
        'button',
        {
          type: 'button',
          class: `reaction${r.mine ? ' mine' : ''}`,
          'aria-pressed': r.mine ? 'true' : 'false',
          'aria-label': `${r.emoji} ${r.count}${r.mine ? ', yours' : ''}`,
          'data-emoji': r.emoji,
          onclick: () => ctx.actions.react(m, r.emoji, !r.mine),
        },
        el('span', { class: 'reaction-emoji' }, r.emoji),
        el('span', { class: 'reaction-count' }, r.count),
      )),
  );
}

function actions(ctx, conversation, m, mine) {
  const { actions: on, store } = ctx;
  const canDelete = mine || (conversation.type === 'group' && store.isAdmin(conversation.conversationId));
  const button = (label, onclick, extra = {}) => el('button', { type: 'button', class: 'action', onclick, ...extra }, label);
  if (conversation.left) return null;
  return el(
    'div',
    { class: 'actions', role: 'toolbar', 'aria-label': 'Message actions' },
    button('Reply', () => on.reply(m)),
    button('React', () => on.togglePicker(m), { 'aria-expanded': ctx.pickerFor === m.messageId ? 'true' : 'false' }),
    mine ? button('Edit', () => on.edit(m)) : null,
    canDelete ? button('Delete', () => on.remove(m)) : null,
    mine ? null : button('Report', () => on.report(m)),
    !mine && conversation.type === 'group' && !store.blocked.has(m.senderId) ? button('Block', () => on.block(m)) : null,
  );
}

function picker(ctx, m) {
  const mineAlready = new Set((m.reactions || []).filter((r) => r.mine).map((r) => r.emoji));
  return el(
    'div',
    { class: 'picker', role: 'group', 'aria-label': 'Reactions' },
    REACTIONS.map((emoji) =>
      el(
        'button',
        {
          type: 'button',
          class: `pick${mineAlready.has(emoji) ? ' mine' : ''}`,
          'aria-label': `React ${emoji}`,
          'aria-pressed': mineAlready.has(emoji) ? 'true' : 'false',
          onclick: () => ctx.actions.react(m, emoji, !mineAlready.has(emoji)),
        },
        emoji,
      )),
  );
}

function tick(status) {
  const [symbol, label] = TICKS[status];
  return el('span', { class: `tick ${status}`, 'data-status': status, 'aria-label': label, title: label }, symbol);
}
