// Logging in and getting new tokens: before the old one expires, and when the server refuses it.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError, Connection, MessengerClient, PasswordSession, Rest, StaticToken, type ErrorFrame } from '../src/index.js';
import { baseUrl, connected, login, newUser, received, until, webSocket } from './helpers.js';

async function revoke(token: string): Promise<void> {
  const response = await fetch(`${baseUrl}/api/v1/tokens/current`, {
    method: 'DELETE',
    headers: { Authorization: `Bearer ${token}` },
  });
  assert.equal(response.status, 204);
}

describe('login and tokens', () => {
  test('login gives a token for the user; a wrong password is unauthorized', async () => {
    const user = await newUser('dana');
    const client = await login(user, 'desk');
    assert.equal(client.userId, user.userId);
    assert.ok(Date.parse(client.session.latest!.expiresAt) > Date.now());
    assert.equal((await client.rest.user(user.userId)).username, user.username);
    await assert.rejects(
      MessengerClient.login({ baseUrl, username: user.username, password: 'not the password', deviceId: 'x' }),
      (e: unknown) => e instanceof ApiError && e.code === 'unauthorized' && e.status === 401,
    );
  });

  test('a token close to its expiry is replaced by a new login before it is used', async () => {
    const user = await newUser('erin');
    let clock = Date.now();
    const anonymous = new Rest({ baseUrl });
    const session = new PasswordSession((u, p) => anonymous.login(u, p), user.username, user.password, {
      refreshMarginMs: 5 * 60_000,
      now: () => clock,
    });
    const rest = new Rest({ baseUrl, auth: session });
    await rest.devices();
    const first = session.latest!;
    assert.equal(await session.current(), first.token, 'far from expiry: the same token');

    clock = Date.parse(first.expiresAt) - 60_000;
    await rest.devices();
    assert.notEqual(session.latest!.token, first.token);
    assert.equal(session.latest!.userId, user.userId);
  });

  test('a revoked token is renewed for HTTP calls, and the connection comes back with a new one', async () => {
    const [u, v] = await Promise.all([newUser('frank'), newUser('gina')]);
    const frank = await login(u, 'phone');
    const gina = await login(v, 'laptop');
    const conversationId = (await gina.rest.openDirect(frank.userId)).conversationId;
    const items = received(frank.connection);
    const errors: ErrorFrame[] = [];
    frank.connection.on('error', (e) => errors.push(e));
    frank.connection.start();
    try {
      await connected(frank.connection);
      const revoked = frank.session.latest!.token;
      // Logged out with this token elsewhere: the server tells the socket and closes it.
      await revoke(revoked);
      await until('the server closed the socket with unauthorized', () => errors.some((e) => e.code === 'unauthorized'));
      const sent = await gina.rest.postMessage(conversationId, 'c-after-revoke', 'still reachable?');
      await until('the message arrives on the new connection', () => items.some((m) => m.messageId === sent.messageId));
      await connected(frank.connection);
      assert.notEqual(frank.session.latest!.token, revoked);

      const renewed = frank.session.latest!.token;
      await revoke(renewed);
      const list = await frank.rest.conversations();
      assert.deepEqual(list.map((c) => c.conversationId), [conversationId]);
      assert.notEqual(frank.session.latest!.token, renewed);
    } finally {
      frank.connection.stop();
    }
  });

  test('a connection with a token that cannot be renewed ends signed out', async () => {
    const user = await newUser('hank');
    const client = await login(user, 'phone');
    const token = client.session.latest!.token;
    const connection = new Connection({
      baseUrl, deviceId: 'phone', auth: new StaticToken(token), webSocket,
    });
    connection.start();
    try {
      await connected(connection);
      await revoke(token);
      await until('signed out', () => connection.state === 'signed-out');
    } finally {
      connection.stop();
    }
  });
});
