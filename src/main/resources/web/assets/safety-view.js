// Blocking and reporting in the open conversation: the header's Block/Unblock of a direct
// conversation's other member, Block on a group message's sender, the notice that replaces the composer while it cannot be used (I
// block them, or their account was deleted), and the report dialog of a message.

import { $ } from './dom.js';

export class SafetyView {
  constructor(app, showError, showStatus) {
    this.app = app;
    this.store = app.store;
    this.showError = showError;
    this.showStatus = showStatus;
    $('block-toggle').addEventListener('click', () => this.toggleBlock());
  }

  /** The other member of the open direct conversation, or null. */
  other() {
    const conversation = this.store.conversations.get(this.store.openId);
    return conversation?.type === 'direct' ? this.store.otherMember(conversation) : null;
  }

  /** Why nothing can be sent in {@code conversation}, in words, or null when it can. */
  notice(conversation) {
    if (conversation.type !== 'direct') return null;
    const other = this.store.otherMember(conversation);
    const name = this.store.name(other);
    if (this.store.users.get(other)?.deleted) return 'This account was deleted; nobody receives messages here.';
    if (this.store.blocked.has(other)) return `You blocked ${name} — unblock to send.`;
    return null;
  }

  renderHeader(conversation) {
    const button = $('block-toggle');
    const other = conversation.type === 'direct' && !conversation.left ? this.store.otherMember(conversation) : null;
    button.hidden = !other || Boolean(this.store.users.get(other)?.deleted);
    if (button.hidden) return;
    const blocked = this.store.blocked.has(other);
    button.textContent = blocked ? 'Unblock' : 'Block';
    button.setAttribute('aria-label', `${blocked ? 'Unblock' : 'Block'} ${this.store.name(other)}`);
  }

  /** The notice, and the composer off while it shows; true when it is off. */
  renderNotice(conversation) {
    const text = this.notice(conversation);
    const notice = $('chat-notice');
    notice.hidden = !text;
    notice.textContent = text || '';
    return Boolean(text);
  }

  async toggleBlock() {
    const other = this.other();
    if (!other) return;
    const name = this.store.name(other);
    try {
      if (this.store.blocked.has(other)) {
        await this.app.unblock(other);
        this.showStatus(`You unblocked ${name}.`);
      } else {
        await this.app.block(other);
        this.showStatus(`You blocked ${name}. Neither of you can send here until you unblock.`);
      }
    } catch (e) {
      this.showError(e.message);
    }
  }

  /** Blocks who sent the group message {@code m}; their messages fold. Unblocked in Settings. */
  async blockSender(m) {
    const name = this.store.name(m.senderId);
    try {
      await this.app.block(m.senderId);
      this.showStatus(`You blocked ${name}: their messages in groups are folded. Unblock in Settings.`);
    } catch (e) {
      this.showError(e.message);
    }
  }

  /** The report dialog for the message {@code m}; sent once the reader presses "Send report". */
  report(m) {
    const dialog = $('report-dialog');
    dialog.returnValue = '';
    $('report-reason').value = 'spam';
    $('report-note').value = '';
    const text = m.body || (m.attachments?.length ? `📎 ${m.attachments[0].name}` : '');
    $('report-quote').textContent = `${this.store.name(m.senderId)}: “${text.length > 140 ? `${text.slice(0, 140)}…` : text}”`;
    dialog.addEventListener(
      'close',
      () => {
        if (dialog.returnValue !== 'report') return;
        this.app.report(m, $('report-reason').value, $('report-note').value).then(
          () => this.showStatus('Thank you: the moderators have your report.'),
          (e) => this.showError(e.message),
        );
      },
      { once: true },
    );
    dialog.showModal();
  }
}
