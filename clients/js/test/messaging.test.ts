// Two users over the real server: sending and receiving, a retried send answered once, and the
// notices (typing, receipts) as events.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ConversationEvent, MessengerClient, Receipt, SentFrame, Typing } from '../src/index.js';
import { connected, login, newUser, received, until } from './helpers.js';

describe('messaging between two users', () => {
  let alice: MessengerClient;
  let bob: MessengerClient;
  let conversationId: string;
  const bobsConversations: ConversationEvent[] = [];

  before(async () => {
    const [a, b] = await Promise.all([newUser('alice'), newUser('bob')]);
    alice = await login(a, 'laptop');
    bob = await login(b, 'phone');
    conversationId = (await alice.rest.openDirect(bob.userId)).conversationId;
    bob.connection.on('conversation', (e) => bobsConversations.push(e));
    alice.connection.start();
    bob.connection.start();
    await Promise.all([connected(alice.connection), connected(bob.connection)]);
  });

  after(() => {
    alice?.connection.stop();
    bob?.connection.stop();
  });

  test('a message sent by one arrives at the other, and the sender learns its seq', async () => {
    const atBob = received(bob.connection);
    const sent = await alice.connection.send(conversationId, 'hello bob');
    assert.equal(sent.conversationId, conversationId);
    await until('bob has the message', () => atBob.some((m) => m.messageId === sent.messageId));
    const item = atBob.find((m) => m.messageId === sent.messageId)!;
    assert.equal(item.body, 'hello bob');
    assert.equal(item.senderId, alice.userId);
    assert.equal(item.seq, sent.seq);
    assert.deepEqual(
      bobsConversations.map((e) => [e.conversationId, e.kind]),
      [[conversationId, 'new']],
      'the first message of a conversation announces it',
    );

    const reply = await bob.connection.send(conversationId, 'hi alice');
    const history = await alice.rest.history(conversationId, { limit: 10 });
    assert.deepEqual(history.messages.map((m) => m.body), ['hi alice', 'hello bob']);
    assert.equal(history.messages[0].messageId, reply.messageId);
  });

  test('a send retried with the same clientMsgId is stored once and answered once', async () => {
    const clientMsgId = `c-retry-${Date.now()}`;
    const answers: SentFrame[] = [];
    const off = alice.connection.on('sent', (frame) => {
      if (frame.clientMsgId === clientMsgId) answers.push(frame);
    });
    const atBob = received(bob.connection);
    // The same send three ways while the first is unanswered: the SDK's own retry path, a raw
    // duplicate frame (the server answers it too), and a second call with the same id.
    const first = alice.connection.send(conversationId, 'only once', { clientMsgId });
    assert.ok(alice.connection.sendFrame({ type: 'send', clientMsgId, conversationId, body: 'only once' }));
    const second = alice.connection.send(conversationId, 'only once', { clientMsgId });
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a.messageId, b.messageId);

    // After it was answered: again over the WebSocket and over HTTP, the same message.
    const again = await alice.connection.send(conversationId, 'only once', { clientMsgId });
    const overHttp = await alice.rest.postMessage(conversationId, clientMsgId, 'only once');
    assert.equal(again.messageId, a.messageId);
    assert.equal(overHttp.messageId, a.messageId);
    assert.equal(overHttp.seq, a.seq);

    // A later message arrives after any copy would have (seq order): bob holds exactly one.
    const marker = await alice.connection.send(conversationId, 'after the retries');
    await until('bob has the marker', () => atBob.some((m) => m.messageId === marker.messageId));
    assert.equal(atBob.filter((m) => m.body === 'only once').length, 1);
    assert.equal(marker.seq, a.seq + 1, 'the retries stored nothing new');
    // One 'sent' for the first send and one for the send after it was answered: never two for one.
    assert.equal(answers.length, 2);
    off();
  });

  test('typing and receipts arrive as events', async () => {
    const typing: Typing[] = [];
    const receipts: Receipt[] = [];
    alice.connection.on('typing', (t) => typing.push(t));
    alice.connection.on('receipt', (r) => receipts.push(r));

    // The server passes on at most one typing notice per 2-3 s; send as a typing user would.
    let lastTyping = 0;
    await until('bob typing reaches alice', () => {
      if (Date.now() - lastTyping > 500) {
        bob.connection.typing(conversationId);
        lastTyping = Date.now();
      }
      return typing.some((t) => t.conversationId === conversationId && t.userId === bob.userId);
    });

    const sent = await alice.connection.send(conversationId, 'read me');
    const isFor = (kind: Receipt['kind']) => (r: Receipt) =>
      r.conversationId === conversationId && r.userId === bob.userId && r.kind === kind && r.seq >= sent.seq;
    // Bob's device acknowledged the entry: delivered.
    await until('delivered receipt', () => receipts.some(isFor('delivered')));
    assert.ok(bob.connection.read(conversationId, sent.seq));
    await until('read receipt', () => receipts.some(isFor('read')));
    const markers = await alice.rest.receipts(conversationId);
    assert.equal(markers.find((m) => m.userId === bob.userId)?.readSeq, sent.seq);
  });

  test('a member added to a group is announced as a conversation event', async () => {
    const group = await alice.rest.createGroup('Climbing', [bob.userId]);
    const carol = await newUser('carol');
    const { seq } = await alice.rest.addMember(group.conversationId, carol.userId);
    await until('bob hears of carol', () =>
      bobsConversations.some((e) => e.conversationId === group.conversationId && e.kind === 'member_added'));
    const added = bobsConversations.find((e) => e.kind === 'member_added')!;
    assert.equal(added.item.seq, seq);
    assert.equal(added.item.system?.userId, carol.userId);
    assert.equal(added.item.body, '');
  });

  test('a refused send rejects with the stable code and is not retried', async () => {
    const carol = await login(await newUser('carol'), 'desk');
    carol.connection.start();
    try {
      await connected(carol.connection);
      await assert.rejects(carol.connection.send(conversationId, 'let me in'), { name: 'ApiError', code: 'not_member' });
      assert.deepEqual(carol.connection.pending(), []);
    } finally {
      carol.connection.stop();
    }
  });
});
