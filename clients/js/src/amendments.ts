// Edits, deletions and reactions applied to the messages an app holds (docs/protocol.md). Each is
// an entry of the conversation's log, after the message it names; history and catch-up also serve
// each message as it is now, amendments included. So the same amendment may reach an app twice: in
// the copy of the message, and as its entry. Applying must not count it twice.
//
// The rule: a copy that carries a revision (editedAt, deleted, reactions) reflects every entry of
// its conversation that the app holds or receives with it, so it is held with `revisedThrough` =
// the newest seq known then, and only later entries are applied to it. A copy without one reflects
// nothing after itself (a live message, or one nobody changed yet). An edit is also skipped when
// the copy's `editedAt` is not older than the edit, which makes edits exact; a deletion is
// idempotent. Quotes of a message follow it, as the server serves them: an edit shows in them, a
// deletion makes them unavailable. Pure functions: nothing here holds state or talks to the server.

import type { Amendment, Attachment, QuotedMessage, Reaction, SystemChange } from './types.js';

/** A message (or any entry) as an app holds it: the fields amendments change, and what it keeps. */
export interface HeldMessage {
  messageId: string;
  seq: number;
  senderId: string;
  body: string;
  timestamp: string;
  system?: SystemChange | null;
  attachments?: Attachment[];
  amendment?: Amendment;
  editedAt?: string | null;
  deleted?: boolean;
  reactions?: Reaction[];
  replyTo?: QuotedMessage;
  mentions?: string[];
  /** The newest entry of the conversation this copy already reflects (see the rule above). */
  revisedThrough?: number;
}

/** An edit, deletion or reaction entry: its own seq, who made it and when, and what it changes. */
export interface AmendmentEntry {
  seq: number;
  senderId: string;
  timestamp: string;
  amendment: Amendment;
}

/** Whether an entry is an edit, deletion or reaction (to apply, not to show). */
export function isAmendment<T extends { amendment?: Amendment | null }>(entry: T): entry is T & { amendment: Amendment } {
  return Boolean(entry.amendment);
}

/** `message` marked with what it reflects, given the newest seq of its conversation known now. */
export function held<M extends HeldMessage>(message: M, newestSeq: number): M {
  const revised = Boolean(message.editedAt || message.deleted || message.reactions?.length);
  return { ...message, revisedThrough: revised ? Math.max(message.seq, newestSeq) : message.seq };
}

/**
 * `message` after `entry`, for the reader `me`; `message` itself when the entry changes nothing
 * (another message's, already reflected, or about a deleted message).
 */
export function amend<M extends HeldMessage>(message: M, entry: AmendmentEntry, me: string): M {
  const { amendment } = entry;
  if (amendment.seq !== message.seq) return message;
  if (entry.seq <= (message.revisedThrough ?? message.seq)) return message;
  const through = { revisedThrough: entry.seq };
  switch (amendment.kind) {
    case 'delete':
      return { ...tombstone(message), ...through };
    case 'edit': {
      if (message.deleted) return message;
      // The copy's editedAt says which edit its text is: an older one is not applied over it.
      if (message.editedAt && Date.parse(entry.timestamp) <= Date.parse(message.editedAt)) return { ...message, ...through };
      return { ...message, body: amendment.body ?? '', editedAt: entry.timestamp, ...through };
    }
    case 'reaction': {
      if (message.deleted || !amendment.emoji) return message;
      const reactions = react(message.reactions ?? [], amendment.emoji, amendment.on !== false, entry.senderId === me);
      const next: M = { ...message, ...through };
      if (reactions.length > 0) next.reactions = reactions;
      else delete next.reactions;
      return next;
    }
    default: {
      // A kind newer than this SDK: nothing to apply, as the protocol allows.
      const _unknown: never = amendment.kind;
      return message;
    }
  }
}

/**
 * `messages` with `entry` applied to the one it names, and its quotes following (an edit's text, a
 * deletion's unavailable: no text of it stays); `messages` itself if nothing changed.
 */
export function applyAmendment<M extends HeldMessage>(messages: readonly M[], entry: AmendmentEntry, me: string): readonly M[] {
  let next: M[] | null = null;
  messages.forEach((m, index) => {
    const changed = m.seq === entry.amendment.seq ? amend(m, entry, me) : requote(m, entry);
    if (changed === m) return;
    next ??= [...messages];
    next[index] = changed;
  });
  return next ?? messages;
}

/**
 * One conversation's held entries (seq order) after `incoming` (a `messages` batch or a history
 * page of that conversation, in any order): new entries are added, a copy of one held already
 * replaces it (a later copy is as new or newer), and amendments are applied in seq order. The
 * result is in seq order and keeps the amendment entries too, so that it stays an unbroken run of
 * seqs for paging; show only the entries without `amendment`.
 */
export function mergeEntries<M extends HeldMessage>(heldEntries: readonly M[], incoming: readonly M[], me: string): M[] {
  let newest = 0;
  for (const m of heldEntries) newest = Math.max(newest, m.seq);
  for (const m of incoming) newest = Math.max(newest, m.seq);
  const bySeq = new Map<number, M>();
  for (const m of heldEntries) bySeq.set(m.seq, m);
  const ordered = [...incoming].sort((a, b) => a.seq - b.seq);
  for (const m of ordered) {
    if (!isAmendment(m)) bySeq.set(m.seq, held(m, newest));
  }
  for (const entry of ordered) {
    if (!isAmendment(entry)) continue;
    if (!bySeq.has(entry.seq)) bySeq.set(entry.seq, entry);
    const target = bySeq.get(entry.amendment.seq);
    if (target) bySeq.set(target.seq, amend(target, entry, me));
    for (const m of bySeq.values()) bySeq.set(m.seq, requote(m, entry));
  }
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** How the server quotes a text: its first 100 characters, then `…`. */
export function quotePreview(text: string): string {
  return text.length <= QUOTE_CHARS ? text : `${text.slice(0, QUOTE_CHARS)}\u2026`;
}

const QUOTE_CHARS = 100;

/**
 * `message` with its quote of the message `entry` changes as that is now: an edit's text, or
 * unavailable after a deletion. A copy that already reflects the entry is left alone.
 */
function requote<M extends HeldMessage>(message: M, entry: AmendmentEntry): M {
  const { kind, seq, body } = entry.amendment;
  const quote = message.replyTo;
  if (!quote || quote.seq !== seq || quote.unavailable || kind === 'reaction') return message;
  if (entry.seq <= (message.revisedThrough ?? message.seq)) return message;
  if (kind === 'delete') return { ...message, replyTo: { seq, unavailable: true } };
  return { ...message, replyTo: { ...quote, preview: quotePreview(body ?? '') } };
}

/** What a deletion leaves: no text, no files, no reactions, no quote, no mentions. */
function tombstone<M extends HeldMessage>(message: M): M {
  const { attachments: _a, reactions: _r, editedAt: _e, replyTo: _q, mentions: _m, ...rest } = message;
  return { ...rest, body: '', deleted: true } as M;
}

/** The reactions after one user put `emoji` on or took it off; `mine` when that user is the reader. */
function react(reactions: readonly Reaction[], emoji: string, on: boolean, mine: boolean): Reaction[] {
  const current = reactions.find((r) => r.emoji === emoji);
  // My own reaction is known exactly (mine); someone else's cannot be told from a count, so each
  // of their entries counts (the server keeps one per user and emoji, and clients send a change).
  if (mine && on === Boolean(current?.mine)) return [...reactions];
  const othersBefore = (current?.count ?? 0) - (current?.mine ? 1 : 0);
  const others = mine ? othersBefore : Math.max(0, othersBefore + (on ? 1 : -1));
  const isMine = mine ? on : Boolean(current?.mine);
  const count = others + (isMine ? 1 : 0);
  const updated: Reaction = { emoji, count, mine: isMine };
  if (!current) return count > 0 ? [...reactions, updated] : [...reactions];
  return reactions.flatMap((r) => (r.emoji !== emoji ? [r] : count > 0 ? [updated] : []));
}
