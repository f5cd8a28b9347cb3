// Files waiting in the composer, per conversation: each is uploaded as soon as it is picked, so the
// upload runs while the person writes, and the message goes with whatever has arrived in the store.
// The bytes go straight to the object store over the presigned PUT (docs/protocol.md,
// "Attachments"); XMLHttpRequest rather than the SDK's fetch-based uploadFile, for upload progress.

import { inPlainWords } from './refusals.js';

const PREVIEW_SIDE_PX = 64;
// The server keeps previews up to 16,384 characters; a 64 px JPEG is a few thousand.
const PREVIEW_MAX_CHARS = 12_000;
// Browsers set these from the connection and the body, and log an error for a script that tries.
const BROWSER_SET_HEADERS = new Set(['content-length', 'host']);

export class PendingUploads {
  /**
   * @param rest the SDK's Rest: tickets and downloads
   * @param onChange called after any file's state changes, to re-render the composer
   */
  constructor(rest, onChange) {
    this.rest = rest;
    this.onChange = onChange;
    this.byConversation = new Map(); // conversationId -> [pending file]
    this.nextKey = 1;
  }

  list(conversationId) {
    return this.byConversation.get(conversationId) || [];
  }

  /** Starts uploading each file; the composer shows them until sent or removed. */
  add(conversationId, files) {
    const list = [...this.list(conversationId)];
    for (const file of files) {
      const item = {
        key: `f-${this.nextKey++}`,
        file,
        name: file.name || 'file',
        mime: file.type || 'application/octet-stream',
        size: file.size,
        state: 'uploading', // then 'done' or 'failed'
        loaded: 0,
        error: null,
        attachment: null,
        request: null,
      };
      item.settled = this.upload(conversationId, item);
      list.push(item);
    }
    this.byConversation.set(conversationId, list);
    this.onChange();
    return list.slice(-files.length);
  }

  remove(conversationId, key) {
    const item = this.list(conversationId).find((f) => f.key === key);
    item?.request?.abort();
    this.byConversation.set(conversationId, this.list(conversationId).filter((f) => f !== item));
    this.onChange();
  }

  /**
   * Waits for the uploads pending now, then takes those that made it into the store out of the
   * composer and answers their attachments. Failed ones stay, with their refusal, until removed.
   */
  async take(conversationId) {
    const items = this.list(conversationId);
    await Promise.all(items.map((f) => f.settled));
    const done = items.filter((f) => f.state === 'done');
    this.byConversation.set(conversationId, this.list(conversationId).filter((f) => !done.includes(f)));
    this.onChange();
    return done.map((f) => f.attachment);
  }

  async upload(conversationId, item) {
    try {
      const [ticket, image] = await Promise.all([
        this.rest.requestUpload(conversationId, item.mime, item.size, item.name),
        item.mime.startsWith('image/') ? imagePreview(item.file) : null,
      ]);
      await put(ticket, item, () => this.onChange());
      item.attachment = { id: ticket.uploadId, mime: item.mime, size: item.size, name: item.name, ...image };
      item.state = 'done';
    } catch (e) {
      if (e?.name === 'AbortError') return;
      item.state = 'failed';
      item.error = inPlainWords(e);
    }
    this.onChange();
  }
}

/** The PUT of the ticket, with exactly its headers, reporting progress into {@code item.loaded}. */
function put(ticket, item, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    item.request = request;
    request.open(ticket.method, ticket.url);
    for (const [name, value] of Object.entries(ticket.headers)) {
      if (!BROWSER_SET_HEADERS.has(name.toLowerCase())) request.setRequestHeader(name, value);
    }
    request.upload.onprogress = (event) => {
      item.loaded = event.loaded;
      onProgress();
    };
    request.onload = () => {
      item.request = null;
      if (request.status >= 200 && request.status < 300) resolve();
      else reject({ code: 'store_refused' });
    };
    request.onerror = () => reject({ code: 'network' });
    request.onabort = () => reject(new DOMException('removed', 'AbortError'));
    request.send(item.file);
  });
}

/**
 * A thumbnail to show before the download (longest side 64 px) and the image's own size, so the
 * log can reserve its space; nothing when the browser cannot decode the image (HEIC, say).
 */
async function imagePreview(file) {
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch (e) {
    return {};
  }
  const { width, height } = bitmap;
  const scale = Math.min(1, PREVIEW_SIDE_PX / Math.max(width, height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const context = canvas.getContext('2d');
  // JPEG has no transparency: a transparent PNG would otherwise turn black.
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const preview = canvas.toDataURL('image/jpeg', 0.7);
  return preview.length <= PREVIEW_MAX_CHARS ? { width, height, preview } : { width, height };
}

export function humanSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
