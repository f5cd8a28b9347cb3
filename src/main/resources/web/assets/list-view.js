// The sidebar: who I am, the connection state, and the conversations, most recent first.

import { $, el, shortTime } from './dom.js';

const CONNECTION_TEXT = {
  connecting: 'Connecting…',
  'catching-up': 'Catching up…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  replaced: 'Open in another tab',
  'signed-out': 'Signed out',
};

export function renderConnection(store) {
  const { state, retryAt } = store.connection;
  const status = $('connection');
  status.dataset.state = state;
  let text = CONNECTION_TEXT[state] || state;
  if (state === 'reconnecting' && retryAt) {
    const seconds = Math.max(1, Math.round((retryAt - Date.now()) / 1000));
    text = `Reconnecting in ${seconds} s…`;
  }
  status.textContent = text;
  const retry = $('reconnect');
  retry.hidden = state !== 'reconnecting' && state !== 'replaced';
  // "replaced": the user chooses this tab again (the other one then shows "Open in another tab").
  retry.textContent = state === 'replaced' ? 'Use here' : 'Retry now';
}

export function renderList(store, onOpen) {
  $('me').textContent = store.me.username;
  const list = $('conversation-list');
  const items = store.sortedConversations().map((c) => {
    const other = c.type === 'direct' ? store.otherMember(c) : null;
    const presence = other ? store.presence.get(other) : null;
    const last = c.lastMessage;
    const preview = last ? `${last.senderId === store.me.userId ? 'You: ' : ''}${last.preview}` : 'No messages yet';
    const title = store.title(c);
    const label = `${title}${c.unreadCount ? `, ${c.unreadCount} unread` : ''}`;
    return el(
      'li',
      { class: `conversation${c.unreadCount ? ' has-unread' : ''}`, 'data-conversation-id': c.conversationId },
      el(
        'button',
        {
          type: 'button',
          class: 'conversation-button',
          'aria-current': c.conversationId === store.openId ? 'true' : null,
          'aria-label': label,
          onclick: () => onOpen(c.conversationId),
        },
        other
          ? el('span', { class: `dot ${presence?.online ? 'online' : ''}`, 'aria-hidden': 'true' })
          : el('span', { class: 'dot group', 'aria-hidden': 'true' }),
        el(
          'span',
          { class: 'conversation-text' },
          el('span', { class: 'conversation-title' }, title, c.left ? ' (left)' : ''),
          el('span', { class: 'conversation-preview' }, preview),
        ),
        el(
          'span',
          { class: 'conversation-meta' },
          el('time', { datetime: last?.timestamp }, shortTime(last?.timestamp)),
          c.unreadCount ? el('span', { class: 'unread', 'aria-hidden': 'true' }, c.unreadCount) : null,
        ),
      ),
    );
  });
  list.replaceChildren(...items);
}
