// @-mentions: the word being typed after "@", the members it may mean, the text once one is picked,
// the members a message names, and a body with its mentions marked. A mention is "@username" in
// the text (usernames are unique and have no spaces); the message also carries the userIds, which
// is what the server notifies.

import { el } from './dom.js';

const MAX_SUGGESTIONS = 8;
// Usernames are 3-32 of [a-z0-9_.-]; a mention ends where such characters end (a full stop
// followed by a space or the end ends a sentence, not the name).
const NAME_CHARS = '[a-z0-9_.\\-]';
const NAME_ENDS = '(?![a-z0-9_\\-]|\\.[a-z0-9_.\\-])';

/** The "@word" the caret is in (at the start or after a space), or null. */
export function mentionAt(text, caret) {
  const before = text.slice(0, caret);
  const match = new RegExp(`(^|\\s)@(${NAME_CHARS}*)$`, 'i').exec(before);
  if (!match) return null;
  return { start: caret - match[2].length - 1, query: match[2].toLowerCase() };
}

/**
 * The members (users: {userId, username, displayName}) a query may mean, me excluded: username or
 * any word of the display name starting with it, usernames first.
 */
export function suggestions(users, query, me) {
  const starts = (s) => (s || '').toLowerCase().split(/\s+/).some((word) => word.startsWith(query));
  return users
    .filter((u) => u && u.userId !== me && (u.username.startsWith(query) || starts(u.displayName)))
    .sort((a, b) => Number(!a.username.startsWith(query)) - Number(!b.username.startsWith(query)) || a.username.localeCompare(b.username))
    .slice(0, MAX_SUGGESTIONS);
}

/** The text with the "@word" at {@code at} replaced by "@username ", and where the caret goes. */
export function insertMention(text, at, caret, username) {
  const inserted = `@${username} `;
  const rest = text.slice(caret).replace(/^\S*\s?/, '');
  return { text: text.slice(0, at.start) + inserted + rest, caret: at.start + inserted.length };
}

/** The userIds of the members whose "@username" is in the text. */
export function mentionedIn(text, users) {
  return users.filter((u) => u && mentionPattern(u.username).test(text)).map((u) => u.userId);
}

/**
 * The body as nodes, each mention of a member the message names in a span of its own. Text stays
 * text (never HTML).
 */
export function bodyNodes(body, mentions, userOf) {
  const names = (mentions || []).map(userOf).filter(Boolean).map((u) => u.username);
  if (names.length === 0) return [body];
  const pattern = new RegExp(`(^|\\s)(@(?:${names.map(escape).join('|')}))${NAME_ENDS}`, 'gi');
  const nodes = [];
  let last = 0;
  for (const match of body.matchAll(pattern)) {
    const start = match.index + match[1].length;
    nodes.push(body.slice(last, start), el('span', { class: 'mention' }, match[2]));
    last = start + match[2].length;
  }
  nodes.push(body.slice(last));
  return nodes.filter((n) => n !== '');
}

function mentionPattern(username) {
  return new RegExp(`(^|\\s)@${escape(username)}${NAME_ENDS}`, 'i');
}

function escape(s) {
  return s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}
