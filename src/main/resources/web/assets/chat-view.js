// The open conversation: header with presence, the message log with ticks, typing, the composer.

import { $, el, shortTime } from './dom.js';
import { composerChips, sendingAttachments, storedAttachments } from './attachment-view.js';

// Close enough to the top to fetch the previous page before the user hits the edge.
const LOAD_OLDER_AT_PX = 80;

const TICKS = {
  sending: ['🕓', 'Sending'],
  sent: ['✓', 'Sent'],
  delivered: ['✓✓', 'Delivered'],
  read: ['✓✓', 'Read'],
  failed: ['!', 'Not sent'],
};

export class ChatView {
  constructor(app) {
    this.app = app;
    this.store = app.store;
    this.renderedId = null;
    const messages = $('messages');
    messages.addEventListener('scroll', () => {
      if (messages.scrollTop < LOAD_OLDER_AT_PX) this.loadOlder();
    });
    const input = $('composer-input');
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        $('composer').requestSubmit();
      }
    });
    input.addEventListener('input', () => {
      if (this.store.openId && input.value.trim()) this.app.typing(this.store.openId);
    });
    $('composer').addEventListener('submit', (event) => {
      event.preventDefault();
      const id = this.store.openId;
      const body = input.value;
      if (!id || (!body.trim() && this.app.uploads.list(id).length === 0)) return;
      this.app.send(id, body);
      input.value = '';
      input.focus();
    });
    this.listenForFiles();
    $('add-member-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      const field = $('add-member-username');
      try {
        await this.app.addMember(this.store.openId, field.value);
        field.value = '';
        $('chat-error').textContent = '';
      } catch (e) {
        $('chat-error').textContent = e.code === 'not_found' ? `No user "${field.value}"` : e.message;
      }
    });
  }

  /** The paperclip's picker, files dropped anywhere on the conversation, images pasted. */
  listenForFiles() {
    const picker = $('composer-file');
    const attach = (files) => {
      if (!this.store.openId || this.store.conversations.get(this.store.openId)?.left) return;
      $('chat-error').textContent = '';
      this.app.attach(this.store.openId, [...files]);
    };
    $('attach').addEventListener('click', () => picker.click());
    picker.addEventListener('change', () => {
      attach(picker.files);
      picker.value = ''; // the same file may be picked again
    });
    const pane = $('chat-pane');
    const carriesFiles = (event) => [...(event.dataTransfer?.types || [])].includes('Files');
    pane.addEventListener('dragover', (event) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      pane.classList.add('dropping');
    });
    pane.addEventListener('dragleave', (event) => {
      if (!pane.contains(event.relatedTarget)) pane.classList.remove('dropping');
    });
    pane.addEventListener('drop', (event) => {
      pane.classList.remove('dropping');
      if (!event.dataTransfer?.files.length) return;
      event.preventDefault();
      attach(event.dataTransfer.files);
    });
    pane.addEventListener('paste', (event) => {
      const files = event.clipboardData?.files;
      if (!files?.length) return;
      // The file itself, not its name as text.
      event.preventDefault();
      attach(files);
    });
  }

  renderComposer() {
    const id = this.store.openId;
    const items = id ? this.app.uploads.list(id) : [];
    $('composer-files').replaceChildren(...composerChips(items, (key) => this.app.removeAttachment(id, key)));
  }

  async loadOlder() {
    const id = this.store.openId;
    const cache = this.store.messages.get(id);
    if (!id || !cache || cache.loading || !cache.hasMore) return;
    await this.app.loadOlder(id);
  }

  render() {
    const id = this.store.openId;
    $('app').dataset.view = id ? 'chat' : 'list';
    $('chat-empty').hidden = Boolean(id);
    $('chat-pane').hidden = !id;
    if (!id) {
      this.renderedId = null;
      return;
    }
    const conversation = this.store.conversations.get(id);
    if (!conversation) return;
    const switched = this.renderedId !== id;
    this.renderedId = id;
    this.renderHeader(conversation);
    this.renderMessages(conversation, switched);
    this.renderTyping();
    $('composer-input').disabled = conversation.left;
    $('attach').disabled = conversation.left;
    if (switched) {
      this.renderComposer();
      $('chat-error').textContent = '';
      $('composer-input').focus();
    }
  }

  renderHeader(conversation) {
    $('chat-title').textContent = this.store.title(conversation);
    const dot = $('chat-presence');
    const subtitle = $('chat-subtitle');
    $('add-member-form').hidden = conversation.type !== 'group' || conversation.left;
    if (conversation.type === 'direct') {
      const presence = this.store.presence.get(this.store.otherMember(conversation));
      dot.hidden = false;
      dot.className = `dot ${presence?.online ? 'online' : ''}`;
      dot.setAttribute('aria-hidden', 'true');
      subtitle.textContent = !presence ? '' : presence.online ? 'online' : presence.lastSeen ? `last seen ${shortTime(presence.lastSeen)}` : 'offline';
      subtitle.dataset.presence = presence?.online ? 'online' : 'offline';
    } else {
      dot.hidden = true;
      const members = this.store.receipts.get(conversation.conversationId)?.size;
      subtitle.textContent = members ? `${members} members` : 'group';
      delete subtitle.dataset.presence;
    }
  }

  renderMessages(conversation, switched) {
    const list = $('messages');
    // Keep the reader where they were: pinned to the bottom if they were there, otherwise at the
    // same distance from the bottom (which is what stays put when older messages are prepended).
    const fromBottom = list.scrollHeight - list.scrollTop - list.clientHeight;
    const atBottom = switched || fromBottom < 40;
    const { stored, sending } = this.store.timeline(conversation.conversationId);
    const cache = this.store.messages.get(conversation.conversationId);
    const rows = [];
    const note = !cache ? 'Loading…' : !cache.hasMore ? 'Start of the conversation' : cache.loading ? 'Loading…' : 'Scroll up for older messages';
    rows.push(el('li', { class: 'history-note', 'data-key': 'note' }, note));
    for (const m of stored) rows.push(m.system ? this.systemRow(m) : this.messageRow(conversation, m));
    for (const m of sending) rows.push(this.pendingRow(m));
    if (switched) list.replaceChildren(...rows);
    else patch(list, rows);
    list.scrollTop = atBottom ? list.scrollHeight : list.scrollHeight - list.clientHeight - fromBottom;
    // A page that does not fill the view cannot be scrolled up: fetch the next one now.
    if (cache?.hasMore && !cache.loading && list.scrollHeight <= list.clientHeight) this.loadOlder();
  }

  messageRow(conversation, m) {
    const mine = m.senderId === this.store.me.userId;
    const status = mine ? this.store.tick(conversation.conversationId, m.seq) : null;
    return el(
      'li',
      { class: `message ${mine ? 'mine' : 'theirs'}`, 'data-key': m.messageId, 'data-seq': m.seq, 'data-message-id': m.messageId },
      !mine && conversation.type === 'group' ? el('span', { class: 'sender' }, this.store.name(m.senderId)) : null,
      storedAttachments(this.app.downloads, m, (text) => {
        $('chat-error').textContent = text;
      }),
      m.body ? el('p', { class: 'body' }, m.body) : null,
      el(
        'span',
        { class: 'meta' },
        el('time', { datetime: m.timestamp }, shortTime(m.timestamp)),
        status ? tick(status) : null,
      ),
    );
  }

  pendingRow(m) {
    const status = m.failed ? 'failed' : 'sending';
    return el(
      'li',
      { class: 'message mine pending', 'data-key': m.clientMsgId, 'data-client-msg-id': m.clientMsgId },
      sendingAttachments(m),
      m.body ? el('p', { class: 'body' }, m.body) : null,
      el(
        'span',
        { class: 'meta' },
        tick(status),
        m.failed ? el('button', { type: 'button', class: 'link', onclick: () => this.app.retry(m.clientMsgId) }, `Retry (${m.failed})`) : null,
      ),
    );
  }

  systemRow(m) {
    const who = this.store.name(m.system.userId);
    const by = this.store.name(m.senderId);
    const text = {
      member_added: `${by} added ${who}`,
      member_removed: `${by} removed ${who}`,
      member_left: `${who} left`,
      renamed: `${by} renamed the group to “${m.system.title}”`,
    }[m.system.kind] || m.system.kind;
    return el('li', { class: 'system', 'data-key': m.messageId, 'data-seq': m.seq, 'data-message-id': m.messageId }, text);
  }

  renderTyping() {
    const id = this.store.openId;
    const who = id ? this.store.typists(id).map((u) => this.store.name(u)) : [];
    $('typing').textContent = who.length === 0 ? '' : `${who.join(', ')} ${who.length === 1 ? 'is' : 'are'} typing…`;
  }
}

function tick(status) {
  const [symbol, label] = TICKS[status];
  return el('span', { class: `tick ${status}`, 'data-status': status, 'aria-label': label, title: label }, symbol);
}

/**
 * Makes the log's rows equal to {@code rows}, keeping every row that did not change: the log is an
 * ARIA live region, and a screen reader announces what is inserted, so only what is new is.
 */
function patch(list, rows) {
  const existing = new Map([...list.children].map((row) => [row.dataset.key, row]));
  let cursor = list.firstChild;
  for (const fresh of rows) {
    const old = existing.get(fresh.dataset.key);
    const row = old && old.outerHTML === fresh.outerHTML ? old : fresh;
    if (row === cursor) {
      cursor = cursor.nextSibling;
      continue;
    }
    list.insertBefore(row, cursor);
  }
  while (cursor) {
    const next = cursor.nextSibling;
    cursor.remove();
    cursor = next;
  }
}
