import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ScenarioUser } from './backend.js';
import { CommandNotOffered, findCommand, runCommand, textOf } from './commands.js';
import { connectUser, PROVIDER_ID, registerTestProvider } from './steps.js';
import { startWorld, type World } from './world.js';

let world: World;
let alice: ScenarioUser;
let bob: ScenarioUser;

describe(`users' journey (${process.env.SCENARIO_BACKEND ?? 'fake'} backend)`, () => {
  before(async () => {
    world = await startWorld();
    alice = await world.backend.createUser(`alice${Date.now() % 100000}`);
    bob = await world.backend.createUser(`bob${Date.now() % 100000}`);
  });
  after(() => world?.close());

  it('when a non-admin tries to manage providers, then no binding is offered and a direct call is refused', async () => {
    await assert.rejects(runCommand(world.backend, alice, ['provider', 'add'], {}), CommandNotOffered);
    const direct = await world.backend.call(alice, {
      path: '/provider/add',
      expand: { acting_user: 'summary', acting_user_access_token: 'all', oauth2_app: 'all' },
      values: { preset: { label: 'OIDC', value: 'oidc' }, id: 'evil' },
    });
    assert.equal(direct.type, 'error');
    assert.match(textOf(direct), /Only system admins/);
  });

  it('when an admin registers a provider, then discovery is checked and users see it', async () => {
    const answer = await registerTestProvider(world);
    assert.equal(answer.type, 'ok', textOf(answer));
    assert.ok(world.provider.counters.discovery >= 1);
    const listed = await runCommand(world.backend, alice, ['providers']);
    assert.match(textOf(listed), /Test IdP/);
  });

  it('when an admin registers a provider whose issuer does not answer, then the form says so and nothing is saved', async () => {
    const answer = await runCommand(world.backend, world.backend.admin, ['provider', 'add'], {
      preset: 'oidc',
      id: 'broken',
      display_name: 'Nope',
      issuer: 'http://127.0.0.1:9/nope',
      client_id: 'x',
      client_secret: 'y',
      auth: 'client_secret_basic',
    });
    assert.equal(answer.type, 'error');
    const listed = await runCommand(world.backend, alice, ['providers']);
    assert.doesNotMatch(textOf(listed), /Nope/);
  });

  it('when a user connects in the browser, then the plugin completes, the bot DMs the account, and bindings switch to disconnect', async () => {
    const result = await connectUser(world, alice, 'alice-at-idp');
    assert.match(result.text, /Completed connecting your account/);
    const dms = await world.backend.directMessages(alice);
    assert.match(dms.at(-1) ?? '', /You connected your Test IdP account \*\*alice-at-idp\*\*/);
    const bindings = await world.backend.bindings(alice);
    assert.ok(findCommand(bindings, ['disconnect']));
  });

  it('when the user asks for status and whoami, then the account is shown', async () => {
    assert.match(textOf(await runCommand(world.backend, alice, ['status'])), /connected as \*\*alice-at-idp\*\*.*token expires in/);
    const who = textOf(await runCommand(world.backend, alice, ['whoami'], { provider: PROVIDER_ID }));
    assert.match(who, /you are \*\*alice-at-idp\*\*/);
    assert.match(who, /email: alice-at-idp@example\.test/);
  });

  it('when the token has expired, then it is refreshed once on use and the rotated token keeps working', async () => {
    const before = world.provider.counters.refresh;
    world.clock.offsetMs = 2 * 3600 * 1000;
    try {
      assert.match(textOf(await runCommand(world.backend, alice, ['whoami'], { provider: PROVIDER_ID })), /alice-at-idp/);
      assert.equal(world.provider.counters.refresh, before + 1);
      assert.match(textOf(await runCommand(world.backend, alice, ['whoami'], { provider: PROVIDER_ID })), /alice-at-idp/);
      assert.equal(world.provider.counters.refresh, before + 1);
    } finally {
      world.clock.offsetMs = 0;
    }
  });

  it("when a second user tries to use or remove the first user's connection, then they are told they are not connected", async () => {
    assert.match(textOf(await runCommand(world.backend, bob, ['status'])), /not connected/);
    const who = await world.backend.call(bob, {
      path: '/whoami',
      expand: { acting_user: 'summary', acting_user_access_token: 'all', oauth2_app: 'all', oauth2_user: 'all' },
      values: { provider: { label: 'x', value: PROVIDER_ID }, user_id: alice.id },
    });
    assert.match(textOf(who), /not connected/);
    const off = await world.backend.call(bob, {
      path: '/disconnect',
      expand: { acting_user: 'summary', acting_user_access_token: 'all', oauth2_app: 'all', oauth2_user: 'all' },
      values: { provider: { label: 'x', value: PROVIDER_ID } },
    });
    assert.match(textOf(off), /not connected/);
    const complete = await world.backend.call(bob, { path: '/oauth2/complete', values: { state: 'x', code: 'y' } });
    assert.equal(complete.type, 'error');
    assert.match(textOf(await runCommand(world.backend, alice, ['whoami'], { provider: PROVIDER_ID })), /alice-at-idp/);
  });

  it('when the user disconnects, then the token is revoked at the provider and the connection is gone', async () => {
    const before = world.provider.counters.revocation;
    const answer = await runCommand(world.backend, alice, ['disconnect'], { provider: PROVIDER_ID });
    assert.match(textOf(answer), /Disconnected your Test IdP account\. The token was revoked at Test IdP/);
    assert.ok(world.provider.counters.revocation > before);
    assert.match(textOf(await runCommand(world.backend, alice, ['status'])), /not connected/);
  });

  it('then no log line contains a secret', () => {
    const secrets = [...world.app.secrets, world.provider.clients.basic.client_secret!];
    for (const line of world.app.logs) for (const s of secrets) assert.ok(!line.includes(s), `a log line contains a secret: ${line.slice(0, 120)}`);
  });
});

describe(`a token revoked at the provider (${process.env.SCENARIO_BACKEND ?? 'fake'} backend)`, () => {
  let w: World;
  let dave: ScenarioUser;
  before(async () => {
    w = await startWorld();
    dave = await w.backend.createUser(`dave${Date.now() % 100000}`);
    {
      const r = await registerTestProvider(w);
      assert.equal(r.type, 'ok', textOf(r));
    }
    assert.match((await connectUser(w, dave, 'dave-at-idp')).text, /Completed connecting/);
  });
  after(() => w?.close());

  it('when the user revoked the App at the provider, then whoami marks the connection broken and prompts to reconnect', async () => {
    assert.ok(w.provider.revokeAccount('dave-at-idp') > 0);
    const who = textOf(await runCommand(w.backend, dave, ['whoami'], { provider: PROVIDER_ID }));
    assert.match(who, /connection no longer works.*\[Reconnect your Test IdP account\]\(http/);
    assert.match(textOf(await runCommand(w.backend, dave, ['status'])), /needs reconnecting/);
    assert.ok(findCommand(await w.backend.bindings(dave), ['connect']), 'connect is offered again');
  });

  it('when the user follows the reconnect link, then the connection works again', async () => {
    const result = await connectUser(w, dave, 'dave-at-idp');
    assert.match(result.text, /Completed connecting/);
    assert.match(textOf(await runCommand(w.backend, dave, ['status'])), /connected as \*\*dave-at-idp\*\*/);
    assert.match(textOf(await runCommand(w.backend, dave, ['whoami'], { provider: PROVIDER_ID })), /dave-at-idp/);
  });
});
