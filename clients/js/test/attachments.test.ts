// Files in messages over the real server and its object store: upload, send, receive, download.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ApiError, type MessengerClient } from '../src/index.js';
import { connected, login, newUser, received, until } from './helpers.js';

describe('attachments', () => {
  let alice: MessengerClient;
  let bob: MessengerClient;
  let conversationId: string;

  before(async () => {
    const [a, b] = await Promise.all([newUser('alice'), newUser('bob')]);
    alice = await login(a, 'laptop');
    bob = await login(b, 'phone');
    conversationId = (await alice.rest.openDirect(bob.userId)).conversationId;
    alice.connection.start();
    bob.connection.start();
    await Promise.all([connected(alice.connection), connected(bob.connection)]);
  });

  after(() => {
    alice?.connection.stop();
    bob?.connection.stop();
  });

  test('an uploaded file sent without text reaches the other user, who downloads the same bytes', async () => {
    const bytes = new Uint8Array(randomBytes(4096));
    const atBob = received(bob.connection);

    const file = await alice.rest.uploadFile(conversationId, bytes, 'application/pdf', 'menu.pdf');
    const sent = await alice.connection.send(conversationId, '', { attachments: [file] });

    await until('bob has the file', () => atBob.some((m) => m.messageId === sent.messageId));
    const item = atBob.find((m) => m.messageId === sent.messageId)!;
    assert.deepEqual(item.attachments, [{ id: file.id, mime: 'application/pdf', size: 4096, name: 'menu.pdf', width: null, height: null, preview: null }]);

    const signed = await bob.rest.download(conversationId, item.seq, file.id);
    const response = await fetch(signed.url);
    assert.equal(response.status, 200);
    assert.deepEqual(new Uint8Array(await response.arrayBuffer()), bytes);
  });

  test('a file type the server does not take is refused before anything is uploaded', async () => {
    await assert.rejects(
      alice.rest.uploadFile(conversationId, new Uint8Array(10), 'text/html', 'page.html'),
      (e: unknown) => e instanceof ApiError && e.code === 'type_not_allowed',
    );
  });
});
