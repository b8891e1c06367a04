/**
 * The core's user operations as standalone subcommands, through the command
 * route (token check, dispatch, ephemeral answer): status, whoami, disconnect,
 * help (admin part read from Mattermost), and another user cannot remove
 * alice's connection.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createServiceTables } from '../../../src/hosts/standalone/http/router.js';
import { startStandaloneWorld, type StandaloneWorld } from '../../support/standalone/world.js';

describe('standalone user subcommands', () => {
  let world: StandaloneWorld;
  const text = async (res: Response) => ((await res.json()) as { text?: string }).text ?? '';

  before(async () => {
    world = await startStandaloneWorld({ tables: createServiceTables() });
    const now = Date.now();
    await world.stores.providers.save({
      id: 'idp',
      display_name: 'Test IdP',
      preset: 'oidc',
      issuer: 'https://idp.example.com',
      client_id: 'client',
      auth: 'none',
      scopes: ['openid'],
      created_at: now - 10_000,
      updated_at: now - 10_000,
    });
  });
  after(() => world.close());

  it('when alice is connected, then status and whoami answer; bob cannot disconnect her; her disconnect deletes the row', async () => {
    const alice = world.mm.addUser('alice');
    const bob = world.mm.addUser('bob');
    const now = Date.now();
    await world.stores.connections.save({
      user_id: alice.id,
      provider_id: 'idp',
      connection: { label: 'alice-op', sub: 'alice-sub', since: now - 5000 },
      tokens: { access_token: 'at', token_type: 'Bearer', obtained_at: now - 5000, expires_at: now + 3_600_000 },
      // Issued where the provider was before it moved: disconnect must not send the token to the new address.
      origin: 'https://old-idp.example.com',
    });
    assert.match(await text(await world.command(alice, 'status')), /\(`idp`\): connected as \*\*alice-op\*\*/);
    assert.match(await text(await world.command(bob, 'status')), /\(`idp`\): not connected/);
    assert.match(await text(await world.command(bob, 'whoami idp')), /You are not connected to Test IdP/);
    assert.match(await text(await world.command(bob, 'disconnect idp')), /You are not connected to Test IdP\./);
    assert.ok(await world.stores.connections.get(alice.id, 'idp'), "bob's disconnect left alice's row");
    assert.match(await text(await world.command(alice, 'disconnect')), /Disconnected your Test IdP account\. .*was not sent there; it was deleted here/);
    assert.equal(await world.stores.connections.get(alice.id, 'idp'), undefined);
  });

  it('when help is asked, then the admin part shows only to a system admin as Mattermost says', async () => {
    const carol = world.mm.addUser('carol');
    const root = world.mm.addUser('root', 'system_user system_admin');
    assert.doesNotMatch(await text(await world.command(carol, 'help')), /System admins/);
    assert.match(await text(await world.command(root, 'help')), /System admins:/);
    assert.match(await text(await world.command(carol, 'providers')), /\*\*Test IdP\*\*: `\/oauth2 connect idp`/);
  });

  it('when the command token is wrong, then nothing runs', async () => {
    const dave = world.mm.addUser('dave');
    const res = await world.command(dave, 'status', { token: 'wrong-token' });
    assert.equal(res.status, 401);
  });
});
