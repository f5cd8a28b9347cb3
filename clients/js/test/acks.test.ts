// When the SDK acknowledges: entries handed over within `ackDelayMs` share one ack, an ack never
// outlives its connection (cursors number one connection's entries), and stop sends what is
// pending. On scripted sockets: these need no MESSENGER_URL.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { item, scripted } from './scripted.js';

/** Polls with a deadline: the ack timer is real. */
async function until(what: string, condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('acks', () => {
  test('the frames that come within ackDelayMs are acknowledged together, in one ack naming them all', async () => {
    const { connection, handed, next } = scripted({ ackDelayMs: 40 });
    connection.start();
    try {
      const socket = await next();
      socket.open();
      socket.deliver([item(1, 'm1', 'd-a', 1)]);
      socket.deliver([item(2, 'm2', 'd-b', 1), item(3, 'm3', 'd-a', 2)]);
      socket.deliver([item(4, 'm4', 'd-b', 2)]);
      assert.equal(handed.length, 4, 'handed over at once');
      assert.deepEqual(socket.acks(), [], 'not acknowledged yet');

      await until('the ack', () => socket.acks().length > 0);
      assert.deepEqual(socket.acks(), [{ type: 'ack', cursor: 4, positions: { 'd-a': 2, 'd-b': 2 } }]);

      socket.deliver([item(5, 'm5', 'd-a', 3)]);
      await until('the next ack', () => socket.acks().length > 1);
      assert.deepEqual(socket.acks()[1], { type: 'ack', cursor: 5, positions: { 'd-a': 3 } }, 'only what came since');
    } finally {
      connection.stop();
    }
  });

  test('an ack pending when the connection drops is not sent on the next one', async () => {
    const { connection, next } = scripted({ ackDelayMs: 40 });
    connection.start();
    try {
      const first = await next();
      first.open();
      first.deliver([item(1, 'm1', 'd-a', 1), item(2, 'm2', 'd-a', 2)]);
      first.drop();
      const second = await next();
      second.open();
      second.deliver([item(2, 'm3', 'd-b', 1)]);
      await until('the ack on the new connection', () => second.acks().length > 0);
      assert.deepEqual(second.acks(), [{ type: 'ack', cursor: 2, positions: { 'd-b': 1 } }]);
      assert.deepEqual(first.acks(), [], 'the first connection was gone before its ack was due');
    } finally {
      connection.stop();
    }
  });

  test('stop sends the pending ack before it closes', async () => {
    const { connection, next } = scripted({ ackDelayMs: 60_000 });
    connection.start();
    const socket = await next();
    socket.open();
    socket.deliver([item(1, 'm1', 'd-a', 1)]);
    assert.deepEqual(socket.acks(), []);
    connection.stop();
    assert.deepEqual(socket.acks(), [{ type: 'ack', cursor: 1, positions: { 'd-a': 1 } }]);
  });

  test('with ackDelayMs 0 every frame is acknowledged as it is handed over', async () => {
    const { connection, next } = scripted({ ackDelayMs: 0 });
    connection.start();
    try {
      const socket = await next();
      socket.open();
      socket.deliver([item(1, 'm1', 'd-a', 1)]);
      socket.deliver([item(2, 'm2', 'd-a', 2)]);
      assert.deepEqual(socket.acks(), [
        { type: 'ack', cursor: 1, positions: { 'd-a': 1 } },
        { type: 'ack', cursor: 2, positions: { 'd-a': 2 } },
      ]);
    } finally {
      connection.stop();
    }
  });
});
