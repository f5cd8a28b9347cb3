// Connections that go away: the SDK reconnects, resumes from the acknowledged cursor, hands every
// entry over exactly once, and sends what waited meanwhile with its clientMsgId.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Connection, type MessengerClient, type StateChange } from '../src/index.js';
import { baseUrl, connected, CuttableProxy, login, newUser, received, until, webSocket } from './helpers.js';

describe('reconnecting', () => {
  let alice: MessengerClient;
  let bob: MessengerClient;
  let conversationId: string;
  let proxy: CuttableProxy;

  before(async () => {
    const [a, b] = await Promise.all([newUser('alice'), newUser('bob')]);
    proxy = await CuttableProxy.start(baseUrl);
    alice = await login(a, 'laptop');
    // Bob's connection goes through the proxy; his HTTP calls do not need to.
    bob = await login(b, 'phone');
    conversationId = (await alice.rest.openDirect(bob.userId)).conversationId;
    alice.connection.start();
    await connected(alice.connection);
  });

  after(async () => {
    alice?.connection.stop();
    bob?.connection.stop();
    await proxy?.close();
  });

  test('after the connection is cut, it comes back and catches up without loss or duplicates', async () => {
    const phone = new Connection({
      baseUrl: proxy.url, deviceId: 'phone-via-proxy', auth: bob.session, rest: bob.rest, webSocket, backoffBaseMs: 100, backoffMaxMs: 500,
    });
    const items = received(phone);
    const states: (StateChange & { delayMs?: number })[] = [];
    phone.on('state', (s) => states.push({ ...s, delayMs: s.retryAt === undefined ? undefined : s.retryAt - Date.now() }));
    let opens = 0;
    phone.on('open', () => (opens += 1));
    phone.start();
    try {
      await connected(phone);
      const before = [];
      for (let i = 1; i <= 3; i++) before.push(await alice.connection.send(conversationId, `before ${i}`));
      await until('the first three arrive', () => items.length === 3);

      proxy.refuse(true);
      proxy.cut();
      await until('the phone notices', () => phone.state === 'reconnecting');
      // While it is away: alice writes, and bob writes too (his send waits in the outbox).
      for (let i = 1; i <= 5; i++) await alice.connection.send(conversationId, `while away ${i}`);
      const fromBob = phone.send(conversationId, 'written offline');
      assert.equal(phone.pending().length, 1);
      await until('a failed attempt or two', () => states.filter((s) => s.state === 'reconnecting').length >= 2);

      proxy.refuse(false);
      const sent = await fromBob;
      await until('everything arrived', () => items.some((m) => m.messageId === sent.messageId));
      await connected(phone);
      assert.ok(opens >= 2);

      const bodies = items.map((m) => m.body);
      assert.deepEqual(bodies, [
        'before 1', 'before 2', 'before 3',
        'while away 1', 'while away 2', 'while away 3', 'while away 4', 'while away 5',
        'written offline',
      ]);
      assert.equal(new Set(items.map((m) => m.messageId)).size, items.length, 'each entry once');
      // Order is seq order within the conversation; cursors are not compared across connections.
      const seqs = items.map((m) => m.seq);
      assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y), 'seq order');
      const delays = states.filter((s) => s.state === 'reconnecting').map((s) => s.delayMs!);
      assert.ok(delays.every((ms) => ms >= 0 && ms <= 500), `backoff within its cap: ${delays}`);

      const history = await alice.rest.history(conversationId, { limit: 20 });
      assert.equal(history.messages.filter((m) => m.body === 'written offline').length, 1);
    } finally {
      phone.stop();
    }
  });

  test('a new connection of the same device resumes after the cursor the server holds', async () => {
    const deviceId = 'tablet';
    const first = new Connection({ baseUrl, deviceId, auth: bob.session, webSocket });
    const firstItems = received(first);
    first.start();
    await connected(first);
    const m1 = await alice.connection.send(conversationId, 'resume 1');
    await until('first connection has resume 1', () => firstItems.some((m) => m.messageId === m1.messageId));
    const acked = first.cursor;
    await until('the server holds the ack', async () =>
      (await bob.rest.devices()).some((d) => d.deviceId === deviceId && d.ackedCursor === acked));
    first.stop();

    const m2 = await alice.connection.send(conversationId, 'resume 2');
    const m3 = await alice.connection.send(conversationId, 'resume 3');
    const second = new Connection({ baseUrl, deviceId, auth: bob.session, webSocket });
    const secondItems = received(second);
    second.start();
    try {
      await until('second connection has resume 3', () => secondItems.some((m) => m.messageId === m3.messageId));
      await connected(second);
      assert.deepEqual(secondItems.map((m) => m.messageId), [m2.messageId, m3.messageId]);
      assert.ok(secondItems[0].cursor === acked + 1);
    } finally {
      second.stop();
    }
  });

  test('entries the device already holds are dropped when the server sends them again', async () => {
    // A new device id: the server sends the whole inbox. The device says it holds all but the last two.
    const all = await alice.rest.history(conversationId, { limit: 100 });
    const total = all.messages.length;
    const probe = new Connection({ baseUrl, deviceId: `fresh-${Date.now()}`, auth: bob.session, webSocket });
    const everything = received(probe);
    probe.start();
    await until('the whole inbox', () => everything.length === total);
    probe.stop();
    const holds: Record<string, number> = {};
    for (const item of everything.slice(0, total - 2)) {
      holds[item.conversationId] = Math.max(holds[item.conversationId] ?? 0, item.seq);
    }

    const restored = new Connection({
      baseUrl, deviceId: `fresh2-${Date.now()}`, auth: bob.session, webSocket, positions: holds,
    });
    const items = received(restored);
    restored.start();
    try {
      await connected(restored);
      await until('the last two', () => items.length === 2);
      assert.deepEqual(items.map((m) => m.messageId), everything.slice(total - 2).map((m) => m.messageId));
      assert.equal(restored.cursor, everything[total - 1].cursor);
    } finally {
      restored.stop();
    }
  });
});
