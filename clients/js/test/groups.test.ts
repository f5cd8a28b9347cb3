// Group administration, invite links and profile pictures over the real server: roles and
// permissions as log entries, a link that lets a newcomer in until it is revoked, and a picture
// that contacts fetch.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { ApiError, type MessengerClient } from '../src/index.js';
import { login, newUser } from './helpers.js';

const refused = (code: string) => (e: unknown) => e instanceof ApiError && e.code === code;

describe('group administration, invites and pictures', () => {
  let alice: MessengerClient;
  let bob: MessengerClient;
  let carol: MessengerClient;

  before(async () => {
    const [a, b, c] = await Promise.all([newUser('alice'), newUser('bob'), newUser('carol')]);
    alice = await login(a, 'laptop');
    bob = await login(b, 'phone');
    carol = await login(c, 'tablet');
  });

  test('an admin promotes a member, sets admin-only adding, and the changes are entries', async () => {
    const group = (await alice.rest.createGroup('admins', [bob.userId])).conversationId;
    await assert.rejects(alice.rest.setRole(group, alice.userId, 'member'), refused('last_admin'));
    await assert.rejects(bob.rest.setPermissions(group, { addMembers: 'admins', rename: 'admins' }), refused('not_admin'));

    await alice.rest.setRole(group, bob.userId, 'admin');
    await alice.rest.setPermissions(group, { addMembers: 'admins', rename: 'everyone' });

    const details = await bob.rest.conversation(group);
    assert.equal(details.members.find((m) => m.userId === bob.userId)!.role, 'admin');
    assert.deepEqual(details.permissions, { addMembers: 'admins', rename: 'everyone' });
    const kinds = (await bob.rest.history(group)).messages.map((m) => m.system?.kind);
    assert.ok(kinds.includes('role_changed') && kinds.includes('permissions_changed'), String(kinds));
  });

  test('an invite link lets a newcomer join until it is revoked', async () => {
    const group = (await alice.rest.createGroup('open door', [bob.userId])).conversationId;
    const invite = await alice.rest.createInvite(group, 3600);
    assert.equal((await alice.rest.invites(group))[0].token, invite.token);

    const joined = await carol.rest.joinWithInvite(invite.token);
    assert.equal(joined.conversationId, group);
    assert.ok((await carol.rest.conversation(group)).members.some((m) => m.userId === carol.userId));

    await alice.rest.revokeInvite(group, invite.inviteId);
    const [d] = await Promise.all([newUser('dave')]);
    const dave = await login(d, 'phone');
    await assert.rejects(dave.rest.joinWithInvite(invite.token), refused('not_found'));
  });

  test('a profile picture is fetched by a contact and removed', async () => {
    await alice.rest.openDirect(bob.userId);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 7, 7, 7]);
    const avatar = await alice.rest.setAvatar(png, 'image/png');
    assert.equal(avatar.mime, 'image/png');

    const where = await bob.rest.avatarOf(alice.userId);
    const bytes = new Uint8Array(await (await fetch(where.url)).arrayBuffer());
    assert.deepEqual(bytes, png);
    await alice.rest.clearAvatar();
    await assert.rejects(bob.rest.avatarOf(alice.userId), refused('not_found'));
  });
});
