// The composer: Enter sends (or saves an edit), Shift+Enter adds a line, ↑ in an empty composer
// edits my last message, Escape cancels an edit or a reply; the banner above it says what is being
// edited or answered; typing "@" offers the group's members to mention.

import { $, el } from './dom.js';
import { insertMention, mentionAt, mentionedIn, suggestions } from './mentions.js';
import { quotePreview } from './sdk/index.js';

export class Composer {
  constructor(app) {
    this.app = app;
    this.store = app.store;
    this.input = $('composer-input');
    /** null, {kind: 'reply', conversationId, quote: {seq, senderId, preview}} or {kind: 'edit', conversationId, seq} */
    this.mode = null;
    /** The open mention list: {at: {start, query}, users, active} */
    this.completion = null;
    this.input.addEventListener('keydown', (event) => this.onKeyDown(event));
    this.input.addEventListener('input', () => {
      const id = this.store.openId;
      if (id && this.input.value.trim() && this.mode?.kind !== 'edit') this.app.typing(id);
      this.complete();
    });
    this.input.addEventListener('click', () => this.complete());
    this.input.addEventListener('blur', () => this.closeCompletion());
    $('composer').addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    $('composer-context-cancel').addEventListener('click', () => this.cancel());
  }

  onKeyDown(event) {
    if (this.completion && this.onCompletionKey(event)) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $('composer').requestSubmit();
    } else if (event.key === 'ArrowUp' && this.input.value === '' && !event.shiftKey) {
      const last = this.lastOwnMessage();
      if (last) {
        event.preventDefault();
        this.beginEdit(last);
      }
    } else if (event.key === 'Escape' && this.mode) {
      event.preventDefault();
      this.cancel();
    }
  }

  submit() {
    const id = this.store.openId;
    const body = this.input.value;
    if (!id) return;
    this.closeCompletion();
    if (this.mode?.kind === 'edit') {
      const { seq } = this.mode;
      const original = this.store.message(id, seq)?.body;
      if (body.trim() && body !== original) this.app.edit(id, seq, body).catch((e) => this.showError(e));
      this.cancel();
      return;
    }
    if (!body.trim() && this.app.uploads.list(id).length === 0) return;
    const replyTo = this.mode?.kind === 'reply' ? this.mode.quote : null;
    this.app.send(id, body, { replyTo, mentions: mentionedIn(body, this.members(id)) });
    this.mode = null;
    this.input.value = '';
    this.render();
    this.input.focus();
  }

  /** The message's text in the composer, to change and save with Enter. */
  beginEdit(m) {
    this.mode = { kind: 'edit', conversationId: m.conversationId, seq: m.seq };
    this.input.value = m.body;
    this.render();
    this.input.focus();
    this.input.setSelectionRange(m.body.length, m.body.length);
  }

  beginReply(m) {
    const preview = m.body || (m.attachments?.length ? `📎 ${m.attachments[0].name}` : '');
    // Entering a reply keeps what was typed; an edit's text is not a draft.
    if (this.mode?.kind === 'edit') this.input.value = '';
    this.mode = { kind: 'reply', conversationId: m.conversationId, quote: { seq: m.seq, senderId: m.senderId, preview: quotePreview(preview) } };
    this.render();
    this.input.focus();
  }

  cancel() {
    if (this.mode?.kind === 'edit') this.input.value = '';
    this.mode = null;
    this.render();
    this.input.focus();
  }

  /**
   * The message being answered or edited was deleted meanwhile: the banner goes (none of its text
   * stays in the page), and the composer says why.
   */
  followTarget() {
    const seq = this.mode?.kind === 'edit' ? this.mode.seq : this.mode?.quote.seq;
    if (!this.mode || !this.store.message(this.mode.conversationId, seq)?.deleted) return;
    this.cancel();
    $('chat-error').textContent = 'The message was deleted.';
  }

  /** Another conversation is open: a reply or an edit belonged to the one before. */
  switched() {
    if (this.mode && this.mode.conversationId !== this.store.openId) this.cancel();
    this.closeCompletion();
  }

  render() {
    const box = $('composer-context');
    const mode = this.mode;
    box.hidden = !mode;
    this.input.placeholder = mode?.kind === 'edit' ? 'Edit message' : 'Message';
    if (!mode) {
      // Not just hidden: a quoted text deleted later must not stay in the page.
      $('composer-context-text').replaceChildren();
      return;
    }
    box.dataset.kind = mode.kind;
    $('composer-context-text').replaceChildren(
      ...(mode.kind === 'edit'
        ? [el('strong', {}, 'Editing'), ' (Enter saves, Escape cancels)']
        : [el('strong', {}, `Replying to ${this.store.name(mode.quote.senderId)}`), ' ', el('span', { class: 'quote-text' }, mode.quote.preview)]),
    );
    $('composer-context-cancel').setAttribute('aria-label', mode.kind === 'edit' ? 'Cancel editing' : 'Cancel reply');
  }

  lastOwnMessage() {
    const id = this.store.openId;
    if (!id) return null;
    const { stored } = this.store.timeline(id);
    for (let i = stored.length - 1; i >= 0; i--) {
      const m = stored[i];
      if (m.senderId === this.store.me.userId && !m.system && !m.deleted) return m;
    }
    return null;
  }

  // ---- @-mentions ----

  /** The group's members as users ({userId, username, displayName}) whose names are known. */
  members(conversationId) {
    const details = this.store.details.get(conversationId);
    if (!details) return [];
    return details.members.map((m) => this.store.users.get(m.userId)).filter(Boolean);
  }

  complete() {
    const id = this.store.openId;
    const at = id && this.store.details.has(id) ? mentionAt(this.input.value, this.input.selectionStart) : null;
    const users = at ? suggestions(this.members(id), at.query, this.store.me.userId) : [];
    this.completion = users.length > 0 ? { at, users, active: 0 } : null;
    this.renderCompletion();
  }

  onCompletionKey(event) {
    const c = this.completion;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      c.active = (c.active + (event.key === 'ArrowDown' ? 1 : c.users.length - 1)) % c.users.length;
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      this.pick(c.users[c.active]);
    } else if (event.key === 'Escape') {
      this.closeCompletion();
    } else {
      return false;
    }
    event.preventDefault();
    this.renderCompletion();
    return true;
  }

  pick(user) {
    const { at } = this.completion;
    const next = insertMention(this.input.value, at, this.input.selectionStart, user.username);
    this.input.value = next.text;
    this.input.setSelectionRange(next.caret, next.caret);
    this.closeCompletion();
    this.input.focus();
  }

  closeCompletion() {
    this.completion = null;
    this.renderCompletion();
  }

  renderCompletion() {
    const list = $('mention-list');
    const c = this.completion;
    list.hidden = !c;
    this.input.setAttribute('aria-expanded', c ? 'true' : 'false');
    if (!c) {
      list.replaceChildren();
      this.input.removeAttribute('aria-activedescendant');
      return;
    }
    list.replaceChildren(
      ...c.users.map((u, i) =>
        el(
          'li',
          {
            id: `mention-${i}`,
            role: 'option',
            class: 'mention-option',
            'aria-selected': i === c.active ? 'true' : 'false',
            'data-username': u.username,
            // Before the textarea's blur, so the pick still knows where the caret was.
            onmousedown: (event) => {
              event.preventDefault();
              this.pick(u);
            },
          },
          u.displayName ? el('span', { class: 'mention-name' }, u.displayName) : null,
          el('span', { class: 'mention-username' }, `@${u.username}`),
        )),
    );
    this.input.setAttribute('aria-activedescendant', `mention-${c.active}`);
  }

  showError(e) {
    $('chat-error').textContent = e.message;
  }
}
