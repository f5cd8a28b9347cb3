// The open conversation: header with presence, the message log (rows: message-view.js), typing,
// the composer (composer.js), and what a message's actions do.

import { $, el, shortTime } from './dom.js';
import { composerChips } from './attachment-view.js';
import { Composer } from './composer.js';
import { messageRow, pendingRow, systemRow } from './message-view.js';
import { SafetyView } from './safety-view.js';

// Close enough to the top to fetch the previous page before the user hits the edge.
const LOAD_OLDER_AT_PX = 80;

export class ChatView {
  constructor(app) {
    this.app = app;
    this.store = app.store;
    this.renderedId = null;
    this.composer = new Composer(app);
    /** The messageId whose reaction picker is open, if any. */
    this.pickerFor = null;
    this.safety = new SafetyView(app, (text) => this.showError(text), (text) => this.showStatus(text));
    const messages = $('messages');
    messages.addEventListener('scroll', () => {
      if (messages.scrollTop < LOAD_OLDER_AT_PX) this.loadOlder();
    });
    messages.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.pickerFor) this.closePicker();
    });
    this.rows = {
      store: this.store,
      downloads: app.downloads,
      onError: (text) => this.showError(text),
      pickerFor: null,
      revealed: new Set(),
      actions: {
        report: (m) => this.safety.report(m),
        block: (m) => this.safety.blockSender(m),
        reveal: (m) => {
          this.rows.revealed.add(m.messageId);
          this.render();
        },
        reply: (m) => this.composer.beginReply(m),
        edit: (m) => this.composer.beginEdit(m),
        remove: (m) => this.confirmDelete(m),
        togglePicker: (m) => {
          this.pickerFor = this.pickerFor === m.messageId ? null : m.messageId;
          this.render();
        },
        react: (m, emoji, on) => {
          this.closePicker();
          this.app.react(m.conversationId, m.seq, emoji, on).catch((e) => this.showError(e.message));
        },
        show: (seq) => this.show(seq),
        retry: (m) => this.app.retry(m.clientMsgId),
      },
    };
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
    this.composer.render();
  }

  /** Delete for everyone, once the person confirmed it in the dialog. */
  confirmDelete(m) {
    const dialog = $('delete-dialog');
    dialog.returnValue = '';
    dialog.addEventListener(
      'close',
      () => {
        if (dialog.returnValue !== 'delete') return;
        this.app.deleteMessage(m.conversationId, m.seq).catch((e) => this.showError(e.message));
      },
      { once: true },
    );
    dialog.showModal();
  }

  closePicker() {
    this.pickerFor = null;
    this.render();
  }

  /** Scrolls to the message at {@code seq} if it is held, and marks it for a moment. */
  show(seq) {
    const row = $('messages').querySelector(`.message[data-seq="${seq}"]`);
    if (!row) return;
    row.scrollIntoView({ block: 'center' });
    row.classList.add('highlight');
    setTimeout(() => row.classList.remove('highlight'), 1_500);
  }

  showError(text) {
    $('chat-status').textContent = '';
    $('chat-error').textContent = text;
  }

  showStatus(text) {
    $('chat-error').textContent = '';
    $('chat-status').textContent = text;
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
    if (switched) this.pickerFor = null;
    this.renderHeader(conversation);
    this.renderMessages(conversation, switched);
    this.composer.followTarget();
    this.renderTyping();
    const shut = this.safety.renderNotice(conversation) || conversation.left;
    $('composer-input').disabled = shut;
    $('attach').disabled = shut;
    $('composer-send').disabled = shut;
    if (switched) {
      this.composer.switched();
      this.renderComposer();
      $('chat-error').textContent = '';
      $('chat-status').textContent = '';
      $('composer-input').focus();
    }
  }

  renderHeader(conversation) {
    $('chat-title').textContent = this.store.title(conversation);
    const dot = $('chat-presence');
    const subtitle = $('chat-subtitle');
    $('add-member-form').hidden = conversation.type !== 'group' || conversation.left;
    this.safety.renderHeader(conversation);
    if (conversation.type === 'direct' && this.store.users.get(this.store.otherMember(conversation))?.deleted) {
      dot.hidden = true;
      subtitle.textContent = 'account deleted';
      delete subtitle.dataset.presence;
    } else if (conversation.type === 'direct') {
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
    this.rows.pickerFor = this.pickerFor;
    for (const m of stored) rows.push(m.system ? systemRow(this.store, m) : messageRow(this.rows, conversation, m));
    for (const m of sending) rows.push(pendingRow(this.rows, m));
    if (switched) list.replaceChildren(...rows);
    else patch(list, rows);
    list.scrollTop = atBottom ? list.scrollHeight : list.scrollHeight - list.clientHeight - fromBottom;
    // A page that does not fill the view cannot be scrolled up: fetch the next one now.
    if (cache?.hasMore && !cache.loading && list.scrollHeight <= list.clientHeight) this.loadOlder();
  }

  renderTyping() {
    const id = this.store.openId;
    const who = id ? this.store.typists(id).map((u) => this.store.name(u)) : [];
    $('typing').textContent = who.length === 0 ? '' : `${who.join(', ')} ${who.length === 1 ? 'is' : 'are'} typing…`;
  }
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
