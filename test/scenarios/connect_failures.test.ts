import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ScenarioUser } from './backend.js';
import { runCommand, textOf } from './commands.js';
import { connectUntilRedirect, registerTestProvider } from './steps.js';
import { startWorld, type World } from './world.js';

let world: World;
let carol: ScenarioUser;

const status = async () => textOf(await runCommand(world.backend, carol, ['status']));

describe(`connect failures (${process.env.SCENARIO_BACKEND ?? 'fake'} backend)`, () => {
  before(async () => {
    world = await startWorld();
    carol = await world.backend.createUser(`carol${Date.now() % 100000}`);
    {
      const r = await registerTestProvider(world);
      assert.equal(r.type, 'ok', textOf(r));
    }
    {
      const r = await registerTestProvider(world, 'pub', world.provider.clients.public);
      assert.equal(r.type, 'ok', textOf(r));
    }
    {
      const r = await registerTestProvider(world, 'post', world.provider.clients.post);
      assert.equal(r.type, 'ok', textOf(r));
    }
    {
      const r = await registerTestProvider(world, 'wrong', { ...world.provider.clients.basic, client_secret: 'not-the-secret-at-all' });
      assert.equal(r.type, 'ok', textOf(r));
    }
  });
  after(() => world?.close());

  it('when the user refuses at the provider, then the browser and a DM say so and nothing is stored', async () => {
    const flow = await connectUntilRedirect(world, carol, 'carol', 'idp', true);
    const answer = await flow.complete();
    assert.equal(answer.status, 500);
    assert.match(answer.text, /refused|denied|declined/i);
    assert.match((await world.backend.directMessages(carol)).at(-1) ?? '', /failed: .*(refused|denied|declined)/i);
    assert.match(await status(), /\*\*Test IdP\*\* \(`idp`\): not connected/);
  });

  it('when the redirect comes back after 15 minutes, then the flow has expired and nothing is stored', async () => {
    const flow = await connectUntilRedirect(world, carol, 'carol');
    world.clock.offsetMs = 16 * 60 * 1000;
    try {
      const answer = await flow.complete();
      assert.equal(answer.status, 500);
      assert.match(answer.text, /expired or was already used/);
    } finally {
      world.clock.offsetMs = 0;
    }
    assert.match(await status(), /\(`idp`\): not connected/);
  });

  it('when the iss parameter names another issuer (mix-up), then it is refused and nothing is stored', async () => {
    const flow = await connectUntilRedirect(world, carol, 'carol');
    const tampered = new URL(flow.completeUrl);
    assert.ok(tampered.searchParams.get('iss'), 'the provider sends RFC 9207 iss');
    tampered.searchParams.set('iss', 'https://evil.example.com');
    const answer = await flow.complete(tampered.href);
    assert.equal(answer.status, 500);
    assert.match(answer.text, /security check.*"iss"/i);
    assert.match(await status(), /\(`idp`\): not connected/);
  });

  it("when the redirect comes back through another provider's redirect URI (mix-up without iss), then it is refused before any token request", async () => {
    const flow = await connectUntilRedirect(world, carol, 'carol', 'post');
    const swapped = new URL(flow.completeUrl);
    assert.equal(swapped.searchParams.get('provider'), 'post', 'the redirect URI names its provider');
    swapped.searchParams.delete('iss');
    swapped.searchParams.set('provider', 'idp');
    const tokenRequests = world.provider.counters.token;
    const answer = await flow.complete(swapped.href);
    assert.equal(answer.status, 500);
    assert.match(answer.text, /mix-up/);
    assert.equal(world.provider.counters.token, tokenRequests, 'the code was sent to no token endpoint');
    assert.match(await status(), /\(`post`\): not connected/);
  });

  it('when the same redirect is replayed, then the plugin refuses the used state', async () => {
    const flow = await connectUntilRedirect(world, carol, 'carol');
    assert.equal((await flow.complete()).status, 200);
    const replay = await flow.complete();
    assert.notEqual(replay.status, 200);
    assert.match(await status(), /\(`idp`\): connected as \*\*carol\*\*/);
  });

  it('when the provider is a public client, then PKCE alone completes the flow', async () => {
    const flow = await connectUntilRedirect(world, carol, 'carol-public', 'pub');
    assert.equal((await flow.complete()).status, 200);
    assert.match(await status(), /\(`pub`\): connected as \*\*carol-public\*\*/);
  });

  it('when the provider uses client_secret_post, then the flow completes', async () => {
    const flow = await connectUntilRedirect(world, carol, 'carol-post', 'post');
    assert.equal((await flow.complete()).status, 200);
    assert.match(await status(), /\(`post`\): connected as \*\*carol-post\*\*/);
  });

  it('when the client secret is wrong, then the user is told the provider refused the App and nothing is stored', async () => {
    const flow = await connectUntilRedirect(world, carol, 'carol', 'wrong');
    const answer = await flow.complete();
    assert.equal(answer.status, 500);
    assert.match(answer.text, /client|credentials|admin/i);
    assert.doesNotMatch(answer.text, /not-the-secret-at-all/);
    assert.match(await status(), /\(`wrong`\): not connected/);
  });

  it('when a connected user reconnects as another account at the provider, then it is refused', async () => {
    const flow = await connectUntilRedirect(world, carol, 'mallory', 'idp');
    const answer = await flow.complete();
    assert.equal(answer.status, 500);
    assert.match(answer.text, /connected as \*\*carol\*\*/);
    assert.match(await status(), /\(`idp`\): connected as \*\*carol\*\*/);
  });

  it('when an admin asks for the report, then it counts the connections per provider', async () => {
    const report = textOf(await runCommand(world.backend, world.backend.admin, ['report']));
    assert.match(report, new RegExp(`\\| Test IdP \\| 1 \\| 0 \\| @${carol.username} \\|  \\|`));
    assert.match(report, /\| IdP pub \| 1 \| 0 \|/);
    assert.match(report, /\| IdP wrong \| 0 \| 0 \|/);
  });
});
