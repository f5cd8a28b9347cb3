// Replies and mentions over the real server: the quote and the mentions reach the other members,
// over the WebSocket and over HTTP alike; a member who joined later sees the quote unavailable, and
// the helper keeps quotes as the server serves them after an edit or a deletion.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mergeEntries, type InboxItem, type MessengerClient } from '../src/index.js';
import { connected, login, newUser, received, until, type TestUser } from './helpers.js';

describe('replies and mentions', () => {
  let alice: MessengerClient;
  let bob: MessengerClient;
  let carolUser: TestUser;
  let conversationId: string;

  before(async () => {
    const [a, b, c] = await Promise.all([newUser('alice'), newUser('bob'), newUser('carol')]);
    carolUser = c;
    alice = await login(a, 'laptop');
    bob = await login(b, 'phone');
    conversationId = (await alice.rest.createGroup('Replies', [bob.userId])).conversationId;
    alice.connection.start();
    bob.connection.start();
    await Promise.all([connected(alice.connection), connected(bob.connection)]);
  });

  after(() => {
    alice?.connection.stop();
    bob?.connection.stop();
  });

  const arrived = async (items: InboxItem[], seq: number): Promise<InboxItem> => {
    await until(`entry ${seq} arrives`, () => items.some((i) => i.seq === seq));
    return items.find((i) => i.seq === seq)!;
  };

  test('a reply carries the quote and the mentions to the other member, and the helper follows an edit and a deletion', async () => {
    const atAlice = received(alice.connection);
    const asked = await alice.connection.send(conversationId, 'who brings the rope?');
    const answer = await bob.connection.send(conversationId, 'I do', { replyTo: { seq: asked.seq }, mentions: [alice.userId] });

    const item = await arrived(atAlice, answer.seq);
    assert.deepEqual(item.replyTo, { seq: asked.seq, senderId: alice.userId, preview: 'who brings the rope?' });
    assert.deepEqual(item.mentions, [alice.userId]);

    const edit = await alice.connection.edit(conversationId, asked.seq, 'who brings the long rope?');
    await arrived(atAlice, edit.seq);
    const mine = (items: InboxItem[]) => mergeEntries([], items.filter((i) => i.conversationId === conversationId), alice.userId);
    assert.equal(mine(atAlice).find((m) => m.seq === answer.seq)?.replyTo?.preview, 'who brings the long rope?');
    const served = (await alice.rest.history(conversationId, { limit: 10 })).messages.find((m) => m.seq === answer.seq);
    assert.equal(served?.replyTo?.preview, 'who brings the long rope?', 'history quotes it as it now is');

    const deletion = await alice.connection.deleteMessage(conversationId, asked.seq);
    await arrived(atAlice, deletion.seq);
    assert.deepEqual(mine(atAlice).find((m) => m.seq === answer.seq)?.replyTo, { seq: asked.seq, unavailable: true });
    const page = await alice.rest.history(conversationId, { limit: 10 });
    assert.deepEqual(page.messages.find((m) => m.seq === answer.seq)?.replyTo, { seq: asked.seq, unavailable: true });
    assert.ok(!JSON.stringify(page).includes('rope'), 'no text of the deleted message stays');
  });

  test('a member who joined after the quoted message sees the quote unavailable', async () => {
    const early = await alice.connection.send(conversationId, 'before carol came');
    await alice.rest.addMember(conversationId, carolUser.userId);
    const carol = await login(carolUser, 'tablet');
    const atCarol = received(carol.connection);
    carol.connection.start();
    try {
      await connected(carol.connection);
      const reply = await bob.connection.send(conversationId, 'about that', { replyTo: { seq: early.seq } });
      assert.deepEqual((await arrived(atCarol, reply.seq)).replyTo, { seq: early.seq, unavailable: true });
      const forBob = (await bob.rest.history(conversationId, { limit: 5 })).messages.find((m) => m.seq === reply.seq);
      assert.equal(forBob?.replyTo?.preview, 'before carol came');
    } finally {
      carol.connection.stop();
    }
  });

  test('over HTTP too; a mention of someone outside the conversation is refused with its code', async () => {
    const hi = await alice.connection.send(conversationId, 'hi');
    const posted = await alice.rest.postMessage(conversationId, `h-${Date.now()}`, 'via http', [], { replyTo: { seq: hi.seq }, mentions: [bob.userId] });
    const item = (await bob.rest.history(conversationId, { limit: 5 })).messages.find((m) => m.seq === posted.seq);
    assert.equal(item?.replyTo?.preview, 'hi');
    assert.deepEqual(item?.mentions, [bob.userId]);

    const stranger = await newUser('stranger');
    await assert.rejects(alice.connection.send(conversationId, 'psst', { mentions: [stranger.userId] }), { name: 'ApiError', code: 'mention_not_member' });
    await assert.rejects(alice.connection.send(conversationId, 'to nothing', { replyTo: { seq: hi.seq + 1_000 } }), { name: 'ApiError', code: 'not_found' });
    assert.deepEqual(alice.connection.pending(), []);
  });
});
