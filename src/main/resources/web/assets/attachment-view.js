// Attachments on screen: the composer's chips (progress, refusal, ×), images inline in the log with
// a full-size overlay, other files as download chips. Download URLs are presigned and expire, so
// each is used only until its expiresAt and asked for again after (never stored anywhere else).

import { el } from './dom.js';
import { inPlainWords } from './refusals.js';
import { humanSize } from './uploads.js';

// A URL that expires within this long is not handed out: the browser may still be fetching it.
const EXPIRY_MARGIN_MS = 15_000;

export class Downloads {
  constructor(rest) {
    this.rest = rest;
    this.urls = new Map(); // key -> {url, expiresAt}
    this.asking = new Map(); // key -> Promise of the url
  }

  /** The URL if one is known and still valid for a while, else null. */
  known(conversationId, seq, attachmentId) {
    const known = this.urls.get(key(conversationId, seq, attachmentId));
    if (known && Date.parse(known.expiresAt) - Date.now() > EXPIRY_MARGIN_MS) return known.url;
    return null;
  }

  async url(conversationId, seq, attachmentId) {
    const valid = this.known(conversationId, seq, attachmentId);
    if (valid) return valid;
    const k = key(conversationId, seq, attachmentId);
    if (!this.asking.has(k)) {
      const asked = this.rest.download(conversationId, seq, attachmentId).then(
        (download) => {
          this.urls.set(k, download);
          return download.url;
        },
      );
      this.asking.set(k, asked);
      asked.finally(() => this.asking.delete(k)).catch(() => {});
    }
    return this.asking.get(k);
  }

  /** The message at {@code seq} was deleted for everyone: no URL of its files is kept. */
  forget(conversationId, seq) {
    const prefix = `${conversationId}/${seq}/`;
    for (const k of [...this.urls.keys()]) if (k.startsWith(prefix)) this.urls.delete(k);
  }
}

function key(conversationId, seq, attachmentId) {
  return `${conversationId}/${seq}/${attachmentId}`;
}

/**
 * The attachments of a stored message. An image shows its preview until the download URL is
 * known; every row built before then asks, and the answer goes to whichever of them the log kept.
 */
export function storedAttachments(downloads, message, onError) {
  if (!message.attachments?.length) return null;
  const { conversationId, seq } = message;
  return el(
    'div',
    { class: 'attachments' },
    message.attachments.map((a) => {
      const attachmentKey = key(conversationId, seq, a.id);
      if (a.mime.startsWith('image/')) {
        const url = downloads.known(conversationId, seq, a.id);
        if (!url) {
          downloads.url(conversationId, seq, a.id).then(
            (fresh) => document.querySelectorAll(`img[data-attachment="${CSS.escape(attachmentKey)}"]`).forEach((img) => {
              img.src = fresh;
            }),
            (e) => onError(`${a.name}: ${inPlainWords(e)}`),
          );
        }
        return el(
          'button',
          {
            type: 'button', class: 'image-attachment', 'aria-label': `Open ${a.name} full size`,
            onclick: () => downloads.url(conversationId, seq, a.id).then((full) => showFullSize(full, a.name), (e) => onError(`${a.name}: ${inPlainWords(e)}`)),
          },
          image(a, url || a.preview, { 'data-attachment': attachmentKey }),
        );
      }
      return fileChip(a, {
        'data-attachment': attachmentKey,
        onclick: () => downloads.url(conversationId, seq, a.id).then(save, (e) => onError(`${a.name}: ${inPlainWords(e)}`)),
      });
    }),
  );
}

/** The attachments of a message still on its way: previews and names, nothing to download yet. */
export function sendingAttachments(message) {
  if (!message.attachments?.length) return null;
  return el(
    'div',
    { class: 'attachments' },
    message.attachments.map((a) => (a.mime.startsWith('image/') && a.preview ? image(a, a.preview, {}) : fileChip(a, { disabled: true }))),
  );
}

/** The composer's pending files: name, progress or refusal, and × to remove. */
export function composerChips(items, onRemove) {
  return items.map((f) => {
    const percent = f.size ? Math.round((100 * f.loaded) / f.size) : 100;
    const status = f.state === 'failed' ? f.error : f.state === 'done' ? humanSize(f.size) : `${percent}%`;
    return el(
      'li',
      { class: `chip ${f.state}`, 'data-state': f.state, 'data-key': f.key },
      el('span', { class: 'chip-name' }, f.name),
      f.state === 'uploading' ? el('progress', { max: 100, value: percent, 'aria-label': `Uploading ${f.name}` }) : null,
      el('span', { class: 'chip-status', role: f.state === 'failed' ? 'alert' : null }, status),
      el('button', { type: 'button', class: 'chip-remove', 'aria-label': `Remove ${f.name}`, onclick: () => onRemove(f.key) }, '×'),
    );
  });
}

function image(a, src, attributes) {
  return el('img', {
    src, alt: a.name, width: a.width, height: a.height, ...attributes,
  });
}

function fileChip(a, attributes) {
  return el(
    'button',
    { type: 'button', class: 'file-attachment', 'aria-label': `Download ${a.name}`, ...attributes },
    el('img', { class: 'file-icon', src: '/assets/file.svg', alt: '', width: 20, height: 20 }),
    el('span', { class: 'file-name' }, a.name),
    el('span', { class: 'file-size' }, humanSize(a.size)),
  );
}

/** The store answers the file as an attachment, named as sent: following the link saves it. */
function save(url) {
  el('a', { href: url, rel: 'noopener' }).click();
}

/** The image at full size over the page; a click or Escape closes it. */
function showFullSize(url, name) {
  document.querySelector('.lightbox')?.remove();
  const close = () => {
    overlay.remove();
    document.removeEventListener('keydown', onKey);
  };
  const onKey = (event) => {
    if (event.key === 'Escape') close();
  };
  const overlay = el(
    'div',
    { class: 'lightbox', role: 'dialog', 'aria-label': name, onclick: close },
    el('img', { src: url, alt: name }),
    el('button', { type: 'button', class: 'lightbox-close', 'aria-label': 'Close' }, '×'),
  );
  document.addEventListener('keydown', onKey);
  document.body.append(overlay);
  overlay.querySelector('button').focus();
}
