/**
 * The Apps host's own protocol in a user's journey (the host-neutral journey
 * is connect_flow.test.ts): what the bindings offer before and after a
 * connection, the webapp panel's call, and calls a client sends itself, bypassing the bindings, for
 * admin paths and for another user's connection.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CALL_EXPAND } from '../../src/hosts/apps/protocol/expand.js';
import type { PanelData } from '../../src/hosts/apps/protocol/panel_types.js';
import type { ScenarioUser } from './backend.js';
import { findCommand, runCommand, textOf } from './commands.js';
import { connectUser, PROVIDER_ID, registerTestProvider } from './steps.js';
import { startWorld, type World } from './world.js';
import { onAppsHost } from './hosts/index.js';

const EXPAND = { acting_user: 'summary', acting_user_access_token: 'all', oauth2_app: 'all', oauth2_user: 'all' };

onAppsHost(() =>
  describe(`Apps calls around a connection (${process.env.SCENARIO_BACKEND ?? 'fake'} backend)`, () => {
    let world: World;
    let alice: ScenarioUser;
    let bob: ScenarioUser;

    before(async () => {
      world = await startWorld();
      alice = await world.backend.createUser(`alice${Date.now() % 100000}`);
      bob = await world.backend.createUser(`bob${Date.now() % 100000}`);
    });
    after(() => world?.close());

    it('when a non-admin sends the provider add call itself, then it is refused', async () => {
      const direct = await world.backend.call(alice, {
        path: '/provider/add',
        expand: EXPAND,
        values: { preset: { label: 'OIDC', value: 'oidc' }, id: 'evil' },
      });
      assert.equal(direct.type, 'error');
      assert.match(textOf(direct), /Only system admins/);
    });

    it('when a user connects, then the bindings switch from connect to disconnect', async () => {
      const r = await registerTestProvider(world);
      assert.equal(r.type, 'ok', textOf(r));
      assert.ok(findCommand(await world.backend.bindings(alice), ['connect']));
      assert.ok(!findCommand(await world.backend.bindings(alice), ['disconnect']));
      assert.match((await connectUser(world, alice, 'alice-at-idp')).text, /Completed connecting/);
      assert.ok(findCommand(await world.backend.bindings(alice), ['disconnect']));
    });

    it('when a second user sends whoami, disconnect and complete calls naming the first user, then they are told they are not connected', async () => {
      const who = await world.backend.call(bob, {
        path: '/whoami',
        expand: EXPAND,
        values: { provider: { label: 'x', value: PROVIDER_ID }, user_id: alice.id },
      });
      assert.match(textOf(who), /not connected/);
      const off = await world.backend.call(bob, { path: '/disconnect', expand: EXPAND, values: { provider: { label: 'x', value: PROVIDER_ID } } });
      assert.match(textOf(off), /not connected/);
      const complete = await world.backend.call(bob, { path: '/oauth2/complete', values: { state: 'x', code: 'y' } });
      assert.equal(complete.type, 'error');
      assert.match(textOf(await runCommand(world.backend, alice, ['whoami'], { provider: PROVIDER_ID })), /alice-at-idp/);
    });

    it("when the webapp asks for the panel, then it gets each provider with the user's state", async () => {
      const answer = await world.backend.call(alice, { path: '/panel', expand: { ...CALL_EXPAND } });
      const data = (answer as { data: PanelData }).data;
      assert.equal(data.is_admin, false);
      const idp = data.providers.find((p) => p.id === PROVIDER_ID)!;
      assert.equal(idp.connected, true);
      assert.equal(idp.account_label, 'alice-at-idp');
      assert.ok(idp.expires_at! > Date.now());
    });

    it('when a connection is broken, then connect is offered again', async () => {
      assert.ok(world.provider.revokeAccount('alice-at-idp') > 0);
      assert.match(textOf(await runCommand(world.backend, alice, ['whoami'], { provider: PROVIDER_ID })), /no longer works/);
      assert.ok(findCommand(await world.backend.bindings(alice), ['connect']), 'connect is offered again');
    });
  }),
);
