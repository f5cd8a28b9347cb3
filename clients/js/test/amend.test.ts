// The amendment helper without a server: edits, deletions and reactions applied to held messages,
// and each counted once when the copy of a message already reflects it.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { amend, applyAmendment, held, mergeEntries, type Amendment, type HeldMessage } from '../src/index.js';

const ME = 'u-me';
const BOB = 'u-bob';

function message(seq: number, fields: Partial<HeldMessage> = {}): HeldMessage {
  return { messageId: `m-${seq}`, seq, senderId: BOB, body: `text ${seq}`, timestamp: at(seq), ...fields };
}

function entry(seq: number, senderId: string, amendment: Amendment): HeldMessage & { amendment: Amendment } {
  return { messageId: `m-${seq}`, seq, senderId, body: '', timestamp: at(seq), amendment };
}

function at(seq: number): string {
  return new Date(Date.UTC(2026, 11, 7, 12, 0, seq)).toISOString();
}

const react = (seq: number, by: string, target: number, emoji: string, on = true) =>
  entry(seq, by, { kind: 'reaction', seq: target, emoji, on });

describe('amend', () => {
  test('an edit replaces the body and sets editedAt to the edit\'s time', () => {
    const edited = amend(message(1), entry(2, BOB, { kind: 'edit', seq: 1, body: 'fixed' }), ME);
    assert.equal(edited.body, 'fixed');
    assert.equal(edited.editedAt, at(2));
    assert.equal(edited.revisedThrough, 2);
  });

  test('a deletion leaves a tombstone without text, files, reactions, quote or mentions', () => {
    const full = message(1, {
      attachments: [{ id: 'up-1', mime: 'image/png', size: 3, name: 'a.png' }],
      reactions: [{ emoji: '👍', count: 1, mine: true }],
      editedAt: at(1),
      replyTo: { seq: 0, unavailable: true },
      mentions: [ME],
    });
    const gone = amend(full, entry(5, BOB, { kind: 'delete', seq: 1 }), ME);
    assert.deepEqual(
      { body: gone.body, deleted: gone.deleted },
      { body: '', deleted: true },
    );
    for (const field of ['attachments', 'reactions', 'editedAt', 'replyTo', 'mentions']) {
      assert.ok(!(field in gone), `${field} is gone`);
    }
    assert.equal(gone.messageId, 'm-1');
  });

  test('reactions count per emoji and say whether they are mine', () => {
    let m = message(1);
    m = amend(m, react(2, BOB, 1, '👍'), ME);
    m = amend(m, react(3, ME, 1, '👍'), ME);
    m = amend(m, react(4, ME, 1, '❤️'), ME);
    assert.deepEqual(m.reactions, [
      { emoji: '👍', count: 2, mine: true },
      { emoji: '❤️', count: 1, mine: true },
    ]);
    m = amend(m, react(5, ME, 1, '❤️', false), ME);
    m = amend(m, react(6, BOB, 1, '👍', false), ME);
    assert.deepEqual(m.reactions, [{ emoji: '👍', count: 1, mine: true }]);
    m = amend(m, react(7, ME, 1, '👍', false), ME);
    assert.ok(!('reactions' in m), 'no emoji is left without anyone');
  });

  test('my reaction put on twice counts once (mine says it is there already)', () => {
    let m = message(1);
    m = amend(m, react(2, ME, 1, '😂'), ME);
    m = amend(m, react(3, ME, 1, '😂'), ME);
    assert.deepEqual(m.reactions, [{ emoji: '😂', count: 1, mine: true }]);
  });

  test('an entry is applied once: again, it changes nothing', () => {
    const once = amend(message(1), react(2, BOB, 1, '👍'), ME);
    assert.equal(amend(once, react(2, BOB, 1, '👍'), ME), once);
  });

  test('a deleted message takes no edit and no reaction', () => {
    const gone = amend(message(1), entry(2, BOB, { kind: 'delete', seq: 1 }), ME);
    assert.equal(amend(gone, entry(3, BOB, { kind: 'edit', seq: 1, body: 'back' }), ME), gone);
    assert.equal(amend(gone, react(4, ME, 1, '👍'), ME), gone);
  });

  test('an edit older than the copy\'s editedAt is not applied over it', () => {
    // The copy (from catch-up, say) already has the text of the edit at seq 9.
    const copy = { ...message(1, { body: 'latest', editedAt: at(9) }), revisedThrough: 1 };
    assert.equal(amend(copy, entry(4, BOB, { kind: 'edit', seq: 1, body: 'older' }), ME).body, 'latest');
    assert.equal(amend(copy, entry(10, BOB, { kind: 'edit', seq: 1, body: 'newer' }), ME).body, 'newer');
  });
});

describe('applyAmendment', () => {
  test('changes only the message named, and returns the list itself when none is', () => {
    const list = [message(1), message(2)];
    const next = applyAmendment(list, entry(3, BOB, { kind: 'edit', seq: 2, body: 'two' }), ME);
    assert.notEqual(next, list);
    assert.equal(next[0], list[0]);
    assert.equal(next[1].body, 'two');
    assert.equal(applyAmendment(list, entry(4, BOB, { kind: 'delete', seq: 99 }), ME), list);
  });
});

describe('mergeEntries', () => {
  test('a live message and the reaction after it in the same batch: the reaction counts', () => {
    const merged = mergeEntries([], [message(1), react(2, BOB, 1, '👍')], ME);
    assert.deepEqual(merged.find((m) => m.seq === 1)?.reactions, [{ emoji: '👍', count: 1, mine: false }]);
  });

  test('a history page serves the message revised and the entries too: each counts once', () => {
    // Newest first, as GET …/messages answers: the message already has both reactions and the edit.
    const page = [
      react(4, ME, 1, '👍'),
      react(3, BOB, 1, '👍'),
      entry(2, BOB, { kind: 'edit', seq: 1, body: 'edited' }),
      message(1, { body: 'edited', editedAt: at(2), reactions: [{ emoji: '👍', count: 2, mine: true }] }),
    ];
    const merged = mergeEntries([], page, ME);
    const m = merged.find((x) => x.seq === 1)!;
    assert.equal(m.body, 'edited');
    assert.deepEqual(m.reactions, [{ emoji: '👍', count: 2, mine: true }]);
    assert.deepEqual(merged.map((x) => x.seq), [1, 2, 3, 4], 'amendment entries are kept, in seq order');

    // Live entries after the page apply; a repeat of one in the page does not.
    const later = mergeEntries(merged, [react(3, BOB, 1, '👍'), react(5, BOB, 1, '👍', false)], ME);
    assert.deepEqual(later.find((x) => x.seq === 1)?.reactions, [{ emoji: '👍', count: 1, mine: true }]);
  });

  test('an older page reflects the entries held before it came', () => {
    const newest = mergeEntries([], [react(3, BOB, 1, '❤️'), message(2)], ME);
    const older = mergeEntries(newest, [message(1, { reactions: [{ emoji: '❤️', count: 1, mine: false }] })], ME);
    assert.deepEqual(older.find((x) => x.seq === 1)?.reactions, [{ emoji: '❤️', count: 1, mine: false }]);
  });

  test('a deletion in a batch leaves the tombstone, never the old text', () => {
    const shown = mergeEntries([], [message(1, { body: 'secret' })], ME);
    const after = mergeEntries(shown, [entry(2, BOB, { kind: 'delete', seq: 1 })], ME);
    const m = after.find((x) => x.seq === 1)!;
    assert.equal(m.deleted, true);
    assert.ok(!JSON.stringify(after).includes('secret'));
  });

  test('a deletion makes every quote of the message unavailable, with none of its text', () => {
    const quoting = message(2, { replyTo: { seq: 1, senderId: BOB, preview: 'secret' } });
    const after = mergeEntries([message(1, { body: 'secret' }), quoting], [entry(3, BOB, { kind: 'delete', seq: 1 })], ME);
    assert.deepEqual(after.find((m) => m.seq === 2)?.replyTo, { seq: 1, unavailable: true });
    assert.ok(!JSON.stringify(after).includes('secret'));
    // Also when the quoted message itself is not held (an older page not loaded).
    const alone = applyAmendment([quoting], entry(3, BOB, { kind: 'delete', seq: 1 }), ME);
    assert.deepEqual(alone[0].replyTo, { seq: 1, unavailable: true });
  });

  test('an edit shows in the quotes of the message, cut as the server cuts them', () => {
    const quoting = message(2, { replyTo: { seq: 1, senderId: BOB, preview: 'text 1' } });
    const long = 'x'.repeat(120);
    const after = mergeEntries([message(1), quoting], [entry(3, BOB, { kind: 'edit', seq: 1, body: long })], ME);
    assert.equal(after.find((m) => m.seq === 2)?.replyTo?.preview, `${'x'.repeat(100)}…`);
  });

  test('a copy of a held message replaces it and keeps its place', () => {
    const before = mergeEntries([], [message(1), message(2)], ME);
    const copy = message(1, { body: 'as now', editedAt: at(5) });
    const after = mergeEntries(before, [copy], ME);
    assert.deepEqual(after.map((m) => [m.seq, m.body]), [[1, 'as now'], [2, 'text 2']]);
    assert.equal(held(copy, 2).revisedThrough, 2);
  });
});
