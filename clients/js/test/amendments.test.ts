// Edits, deletions for everyone and reactions over the real server: each goes through the outbox
// like a send, reaches the other user's connection as an amendment entry, and the helper applied
// to what that connection received shows the message as history serves it.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mergeEntries, type HeldMessage, type InboxItem, type MessengerClient } from '../src/index.js';
import { connected, login, newUser, received, until } from './helpers.js';

describe('edits, deletions and reactions between two users', () => {
  let alice: MessengerClient;
  let bob: MessengerClient;
  let conversationId: string;

  before(async () => {
    const [a, b] = await Promise.all([newUser('alice'), newUser('bob')]);
    alice = await login(a, 'laptop');
    bob = await login(b, 'phone');
    conversationId = (await alice.rest.createGroup('Edits', [bob.userId])).conversationId;
    alice.connection.start();
    bob.connection.start();
    await Promise.all([connected(alice.connection), connected(bob.connection)]);
  });

  after(() => {
    alice?.connection.stop();
    bob?.connection.stop();
  });

  /** What `items` make of the conversation for `reader`, as the helper applies them. */
  const view = (items: InboxItem[], reader: MessengerClient): HeldMessage[] =>
    mergeEntries([], items.filter((i) => i.conversationId === conversationId), reader.userId);

  test('an edit reaches the other user as an entry naming the message, and history has the new text', async () => {
    const atBob = received(bob.connection);
    const message = await alice.connection.send(conversationId, 'see you at 5');
    const edit = await alice.connection.edit(conversationId, message.seq, 'see you at 6');
    assert.equal(edit.seq, message.seq + 1, 'the edit is an entry of its own');

    await until('bob has the edit', () => atBob.some((i) => i.seq === edit.seq));
    const entry = atBob.find((i) => i.seq === edit.seq)!;
    assert.deepEqual(entry.amendment, { kind: 'edit', seq: message.seq, body: 'see you at 6' });
    assert.equal(entry.body, '');
    assert.equal(entry.senderId, alice.userId);
    const shown = view(atBob, bob).find((m) => m.seq === message.seq)!;
    assert.equal(shown.body, 'see you at 6');
    assert.equal(shown.editedAt, entry.timestamp);

    const history = await bob.rest.history(conversationId, { limit: 10 });
    const inHistory = history.messages.find((m) => m.seq === message.seq)!;
    assert.equal(inHistory.body, 'see you at 6');
    assert.ok(inHistory.editedAt);
    // The page serves the message revised and the edit's entry too: the helper shows it once.
    assert.equal(mergeEntries([], history.messages, bob.userId).find((m) => m.seq === message.seq)?.body, 'see you at 6');
  });

  test('a deletion leaves a tombstone at the other user and in history, without the old text', async () => {
    const atBob = received(bob.connection);
    const message = await alice.connection.send(conversationId, 'the secret plan');
    await until('bob has the message', () => atBob.some((i) => i.seq === message.seq));
    const clientMsgId = `d-${Date.now()}`;
    const deletion = await alice.connection.deleteMessage(conversationId, message.seq, { clientMsgId });

    await until('bob has the deletion', () => atBob.some((i) => i.seq === deletion.seq));
    assert.deepEqual(atBob.find((i) => i.seq === deletion.seq)?.amendment, { kind: 'delete', seq: message.seq });
    const shown = view(atBob, bob).find((m) => m.seq === message.seq)!;
    assert.equal(shown.deleted, true);
    assert.equal(shown.body, '');

    const history = await bob.rest.history(conversationId, { limit: 10 });
    assert.equal(history.messages.find((m) => m.seq === message.seq)?.deleted, true);
    assert.ok(!JSON.stringify(history).includes('the secret plan'));

    // Again with the same clientMsgId: the first answer, nothing new stored.
    const again = await alice.connection.deleteMessage(conversationId, message.seq, { clientMsgId });
    assert.equal(again.seq, deletion.seq);
    assert.equal(again.messageId, deletion.messageId);
    await assert.rejects(alice.connection.edit(conversationId, message.seq, 'back'), { name: 'ApiError', code: 'message_deleted' });
  });

  test('reactions put on and taken off reach the other user, counted per emoji with mine for the reader', async () => {
    const atAlice = received(alice.connection);
    const atBob = received(bob.connection);
    const message = await alice.connection.send(conversationId, 'lunch?');
    await bob.connection.react(conversationId, message.seq, '👍');
    await alice.connection.react(conversationId, message.seq, '👍');
    await bob.connection.react(conversationId, message.seq, '❤️');
    const last = await bob.connection.react(conversationId, message.seq, '❤️', false);

    await until('alice has every reaction', () => atAlice.some((i) => i.seq === last.seq));
    await until('bob has every reaction', () => atBob.some((i) => i.seq === last.seq));
    const entry = atAlice.find((i) => i.seq === last.seq)!;
    assert.deepEqual(entry.amendment, { kind: 'reaction', seq: message.seq, emoji: '❤️', on: false });
    assert.deepEqual(view(atAlice, alice).find((m) => m.seq === message.seq)?.reactions, [{ emoji: '👍', count: 2, mine: true }]);
    assert.deepEqual(view(atBob, bob).find((m) => m.seq === message.seq)?.reactions, [{ emoji: '👍', count: 2, mine: true }]);

    const forBob = (await bob.rest.history(conversationId, { limit: 10 })).messages.find((m) => m.seq === message.seq);
    assert.deepEqual(forBob?.reactions, [{ emoji: '👍', count: 2, mine: true }]);
  });

  test('over HTTP, an edit and a reaction reach the other user\'s connection the same way', async () => {
    const atBob = received(bob.connection);
    const message = await alice.connection.send(conversationId, 'over http soon');
    const edit = await alice.rest.amendMessage(conversationId, message.seq, `he-${Date.now()}`, { kind: 'edit', body: 'over http now' });
    const reaction = await alice.rest.amendMessage(conversationId, message.seq, `hr-${Date.now()}`, { kind: 'reaction', emoji: '🙏' });
    assert.equal(reaction.seq, edit.seq + 1);
    await until('bob has both', () => atBob.some((i) => i.seq === reaction.seq));
    const shown = view(atBob, bob).find((m) => m.seq === message.seq)!;
    assert.equal(shown.body, 'over http now');
    assert.deepEqual(shown.reactions, [{ emoji: '🙏', count: 1, mine: false }]);
    await assert.rejects(bob.rest.amendMessage(conversationId, message.seq, `hd-${Date.now()}`, { kind: 'delete' }), { name: 'ApiError', code: 'not_sender' });
  });

  test('refusals reject with the stable code and leave nothing pending', async () => {
    const message = await alice.connection.send(conversationId, 'mine to change');
    await assert.rejects(bob.connection.edit(conversationId, message.seq, 'yours'), { name: 'ApiError', code: 'not_sender' });
    await assert.rejects(bob.connection.deleteMessage(conversationId, message.seq), { name: 'ApiError', code: 'not_sender' });
    await assert.rejects(bob.connection.react(conversationId, message.seq, '🦄'), { name: 'ApiError', code: 'reaction_not_allowed' });
    await assert.rejects(alice.connection.edit(conversationId, message.seq + 100, 'nothing there'), { name: 'ApiError', code: 'not_found' });
    assert.deepEqual(bob.connection.pending(), []);
    assert.deepEqual(alice.connection.pending(), []);
  });
});
