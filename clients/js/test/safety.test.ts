// Blocking and reporting over the real server: a blocked direct conversation refuses sends both
// ways until the block is lifted, a blocked user's group messages come flagged, and a report is
// taken.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApiError, type MessengerClient } from '../src/index.js';
import { connected, login, newUser, received, until } from './helpers.js';

const refused = (code: string) => (e: unknown) => e instanceof ApiError && e.code === code;

describe('blocks and reports', () => {
  let alice: MessengerClient;
  let bob: MessengerClient;
  let carol: MessengerClient;
  let direct: string;

  before(async () => {
    const [a, b, c] = await Promise.all([newUser('alice'), newUser('bob'), newUser('carol')]);
    alice = await login(a, 'laptop');
    bob = await login(b, 'phone');
    carol = await login(c, 'tablet');
    direct = (await alice.rest.openDirect(bob.userId)).conversationId;
    for (const client of [alice, bob, carol]) client.connection.start();
    await Promise.all([alice, bob, carol].map((client) => connected(client.connection)));
  });

  after(() => [alice, bob, carol].forEach((c) => c?.connection.stop()));

  test('a block refuses sends in the direct conversation both ways until it is lifted', async () => {
    await alice.rest.block(bob.userId);
    assert.deepEqual((await alice.rest.blocks()).map((b) => b.userId), [bob.userId]);

    await assert.rejects(alice.connection.send(direct, 'from the blocker'), refused('blocked'));
    await assert.rejects(bob.connection.send(direct, 'to the blocker'), refused('blocked'));
    await assert.rejects(bob.rest.postMessage(direct, `c-${Date.now()}`, 'over http'), refused('blocked'));
    await assert.rejects(alice.rest.block(alice.userId), refused('bad_request'));

    await alice.rest.unblock(bob.userId);
    assert.deepEqual(await alice.rest.blocks(), []);
    const sent = await bob.connection.send(direct, 'after the unblock');
    assert.equal(sent.conversationId, direct);
  });

  test("a blocked user's group messages reach the blocker flagged fromBlocked, and others unflagged", async () => {
    const group = (await alice.rest.createGroup('three', [bob.userId, carol.userId])).conversationId;
    await alice.rest.block(bob.userId);
    try {
      const atAlice = received(alice.connection);
      const atCarol = received(carol.connection);
      const sent = await bob.connection.send(group, 'bob in the group');

      await until('alice and carol have it', () =>
        [atAlice, atCarol].every((items) => items.some((m) => m.messageId === sent.messageId)),
      );
      assert.equal(atAlice.find((m) => m.messageId === sent.messageId)!.fromBlocked, true);
      assert.ok(!atCarol.find((m) => m.messageId === sent.messageId)!.fromBlocked);
      const page = await alice.rest.history(group, { limit: 5 });
      assert.equal(page.messages.find((m) => m.messageId === sent.messageId)!.fromBlocked, true);
    } finally {
      await alice.rest.unblock(bob.userId);
    }
  });

  test('a message can be reported with a reason and a note', async () => {
    const sent = await bob.connection.send(direct, 'buy cheap watches');
    const { reportId } = await alice.rest.report({ conversationId: direct, seq: sent.seq, reason: 'spam', note: 'ads' });
    assert.ok(reportId.length > 0);
    await assert.rejects(alice.rest.report({ userId: bob.userId, reason: 'rude' as never }), refused('bad_request'));
  });
});
