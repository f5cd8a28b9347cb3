// The heartbeat both ways: the SDK answers the server's pings, so an idle connection stays up, and
// a connection that hears nothing (a network gone without a FIN) is given up and replaced.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Connection, type ErrorFrame, type MessengerClient } from '../src/index.js';
import { baseUrl, connected, CuttableProxy, heartbeatTimeoutMs, login, newUser, received, until, webSocket } from './helpers.js';

describe('heartbeat', () => {
  let alice: MessengerClient;
  let bob: MessengerClient;
  let conversationId: string;

  before(async () => {
    const [a, b] = await Promise.all([newUser('alice'), newUser('bob')]);
    alice = await login(a, 'laptop');
    bob = await login(b, 'phone');
    conversationId = (await alice.rest.openDirect(bob.userId)).conversationId;
  });

  after(() => {
    alice?.connection.stop();
    bob?.connection.stop();
  });

  test('an idle connection outlives the server\'s heartbeat timeout because the SDK answers its pings', async () => {
    const errors: ErrorFrame[] = [];
    let opens = 0;
    bob.connection.on('error', (e) => errors.push(e));
    bob.connection.on('open', () => (opens += 1));
    bob.connection.start();
    await connected(bob.connection);
    const idleUntil = Date.now() + 2.5 * heartbeatTimeoutMs;
    await until('idle for 2.5 heartbeat timeouts', () => Date.now() > idleUntil, 3 * heartbeatTimeoutMs + 5_000);
    assert.equal(bob.connection.state, 'connected');
    assert.deepEqual(errors, []);
    assert.equal(opens, 1, 'never reconnected');
  });

  test('a connection on which nothing arrives any more is dropped and replaced', async () => {
    const proxy = await CuttableProxy.start(baseUrl);
    const tablet = new Connection({
      baseUrl: proxy.url, deviceId: 'tablet', auth: alice.session, webSocket, silenceLimitMs: 2_500, backoffBaseMs: 100,
    });
    const items = received(tablet);
    let opens = 0;
    tablet.on('open', () => (opens += 1));
    tablet.start();
    try {
      await connected(tablet);
      proxy.freeze();
      const sent = await bob.connection.send(conversationId, 'through the new connection');
      await until('a new connection delivered it', () => items.some((m) => m.messageId === sent.messageId));
      assert.equal(opens, 2);
    } finally {
      tablet.stop();
      await proxy.close();
    }
  });
});
