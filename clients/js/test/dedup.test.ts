// De-duplication across reconnects, on a scripted socket instead of the server: today's server
// cannot be made to number a connection's entries the way the coming one will (from the device's
// stored cursor + 1, so an entry sent again, or a new one, may come with a cursor at or below one
// already handled). These need no MESSENGER_URL.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { item, scripted } from './scripted.js';

describe('de-duplication across reconnects', () => {
  test('after a reconnect an unseen entry at or below the highest handled cursor is handed over, and a seen one is not at any cursor', async () => {
    const { connection, handed, next } = scripted();
    connection.start();
    try {
      const first = await next();
      first.open();
      first.deliver([item(1, 'm1', 'd-a', 1), item(2, 'm2', 'd-a', 2), item(3, 'm3', 'd-b', 1)]);
      assert.deepEqual(handed.map((m) => m.messageId), ['m1', 'm2', 'm3']);
      first.drop();

      // The server kept cursor 1 (the ack of 2 and 3 was lost) and numbers this connection from 2,
      // reading conversation d-b first: m4 is new at cursor 3, m3 and m2 come again, m2 at cursor 4.
      const second = await next();
      second.open();
      second.deliver([item(2, 'm3', 'd-b', 1), item(3, 'm4', 'd-b', 2), item(4, 'm2', 'd-a', 2), item(5, 'm5', 'd-a', 3)]);

      assert.deepEqual(handed.map((m) => m.messageId), ['m1', 'm2', 'm3', 'm4', 'm5'], 'each entry once');
      assert.deepEqual(second.acks(), [{ type: 'ack', cursor: 5, positions: { 'd-b': 2, 'd-a': 3 } }], 'the repeats acked too');
      assert.equal(connection.cursor, 5, 'the cursor of the last ack, not the highest ever seen');
      assert.deepEqual(connection.positions, { 'd-a': 3, 'd-b': 2 });
    } finally {
      connection.stop();
    }
  });

  test('an unseen entry is handed over even below a seq handled on an earlier connection', async () => {
    // Not what a server that keeps seq order sends; if one ever did, a drop would lose a message
    // for good, while handing it over costs the app a sort.
    const { connection, handed, next } = scripted();
    connection.start();
    try {
      const first = await next();
      first.open();
      first.deliver([item(1, 'm1', 'd-a', 1), item(2, 'm3', 'd-a', 3)]);
      first.drop();
      const second = await next();
      second.open();
      second.deliver([item(2, 'm2', 'd-a', 2), item(3, 'm3', 'd-a', 3)]);
      assert.deepEqual(handed.map((m) => m.messageId), ['m1', 'm3', 'm2']);
    } finally {
      connection.stop();
    }
  });

  test('entries at or below the positions the app said it holds are dropped, the rest handed over', async () => {
    const { connection, handed, next } = scripted({ positions: { 'd-a': 2 } });
    connection.start();
    try {
      const socket = await next();
      socket.open();
      socket.deliver([item(1, 'm1', 'd-a', 1), item(2, 'm2', 'd-a', 2), item(3, 'm3', 'd-a', 3), item(4, 'm4', 'd-b', 1)]);
      assert.deepEqual(handed.map((m) => m.messageId), ['m3', 'm4']);
      assert.deepEqual(socket.acks(), [{ type: 'ack', cursor: 4, positions: { 'd-a': 3, 'd-b': 1 } }]);
    } finally {
      connection.stop();
    }
  });
});
