// Account self-service over the real server: the display name, a password change that logs the
// other devices out, the device list with client labels, logging one device out, the export and
// deleting the account.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { ApiError, Connection, Rest, StaticToken, type MessengerClient } from '../src/index.js';
import { baseUrl, connected, login, newUser, until, webSocket } from './helpers.js';

const refused = (code: string) => (e: unknown) => e instanceof ApiError && e.code === code;

describe('the account', () => {
  const started: MessengerClient[] = [];
  const live = async (client: MessengerClient): Promise<MessengerClient> => {
    started.push(client);
    client.connection.start();
    await connected(client.connection);
    return client;
  };

  const stoppers: (() => void)[] = [];
  after(() => {
    started.forEach((c) => c.connection.stop());
    stoppers.forEach((stop) => stop());
  });

  test('the display name changes, and others see the new one', async () => {
    const a = await newUser('alice');
    const alice = await login(a, 'laptop');
    const bob = await login(await newUser('bob'), 'phone');
    await alice.rest.openDirect(bob.userId);
    assert.deepEqual(await alice.rest.account(), { userId: a.userId, username: a.username, displayName: a.username });

    const changed = await alice.rest.setDisplayName('Alice A.');
    assert.equal(changed.displayName, 'Alice A.');
    assert.equal((await bob.rest.user(a.userId)).displayName, 'Alice A.');
    await assert.rejects(alice.rest.setDisplayName('   '), refused('bad_request'));
  });

  test('a password change logs the other devices out and keeps this one', async () => {
    const a = await newUser('alice');
    const laptop = await live(await login(a, 'laptop', { client: 'SDK test on laptop' }));
    const phone = await live(await login(a, 'phone'));

    await assert.rejects(laptop.rest.changePassword('not the password', 'a new password'), refused('wrong_password'));
    await laptop.rest.changePassword(a.password, 'a new password');

    // The phone's session logs in again with the old password, which is refused: signed out.
    await until('the phone is signed out', () => phone.connection.state === 'signed-out');
    assert.equal(laptop.connection.state, 'connected');
    assert.equal((await laptop.rest.account()).userId, a.userId);
    await assert.rejects(new Rest({ baseUrl }).login(a.username, a.password), refused('unauthorized'));
    assert.equal((await new Rest({ baseUrl }).login(a.username, 'a new password')).userId, a.userId);
  });

  test('the device list names each device by its client label, and one device can log another out', async () => {
    const a = await newUser('alice');
    const laptop = await live(await login(a, 'laptop', { client: 'Firefox on Linux' }));
    // A token of its own and no password to log in again with, as a browser tab holds it.
    const token = (await new Rest({ baseUrl }).login(a.username, a.password)).token;
    const phone = new Connection({ baseUrl, deviceId: 'phone', client: 'Chrome on Android', auth: new StaticToken(token), webSocket });
    phone.start();
    stoppers.push(() => phone.stop());
    await connected(phone);

    const devices = await laptop.rest.devices();
    const byId = Object.fromEntries(devices.map((d) => [d.deviceId, d]));
    assert.equal(byId.laptop.client, 'Firefox on Linux');
    assert.equal(byId.phone.client, 'Chrome on Android');
    assert.equal(byId.phone.online, true);
    assert.equal(byId.phone.lastSeen, null, 'a connected device has no lastSeen');

    await laptop.rest.logoutDevice('phone');
    await until('the phone is signed out', () => phone.state === 'signed-out');
    await assert.rejects(new Rest({ baseUrl, auth: new StaticToken(token) }).account(), refused('unauthorized'));
    assert.deepEqual((await laptop.rest.devices()).map((d) => d.deviceId), ['laptop']);
    await assert.rejects(laptop.rest.logoutDevice('phone'), refused('not_found'));
    assert.equal(laptop.connection.state, 'connected');
  });

  test('the export is a JSON document of my account and my own messages', async () => {
    const a = await newUser('alice');
    const alice = await live(await login(a, 'laptop'));
    const bob = await login(await newUser('bob'), 'phone');
    const { conversationId } = await alice.rest.openDirect(bob.userId);
    await alice.connection.send(conversationId, 'mine to export');

    const document = JSON.parse(await (await alice.rest.exportAccount()).text());
    assert.equal(document.account.userId, a.userId);
    const conversation = document.conversations.find(
      (c: { conversation: { conversationId: string } }) => c.conversation.conversationId === conversationId,
    );
    assert.deepEqual(conversation.messages.map((m: { body: string }) => m.body), ['mine to export']);
  });

  test('a deleted account cannot log in, its tokens end, and others see "Deleted user"', async () => {
    const a = await newUser('alice');
    const alice = await live(await login(a, 'laptop'));
    const bob = await login(await newUser('bob'), 'phone');
    await alice.rest.openDirect(bob.userId); // a contact may see who a user is, nobody else
    const token = alice.session.latest!.token;

    await assert.rejects(alice.rest.closeAccount('not the password'), refused('wrong_password'));
    await alice.rest.closeAccount(a.password);

    await until('alice is signed out', () => alice.connection.state === 'signed-out');
    await assert.rejects(new Rest({ baseUrl }).login(a.username, a.password), refused('unauthorized'));
    await assert.rejects(new Rest({ baseUrl, auth: new StaticToken(token) }).account(), refused('unauthorized'));
    const seen = await bob.rest.user(a.userId);
    assert.equal(seen.displayName, 'Deleted user');
    assert.equal(seen.deleted, true);
  });
});
