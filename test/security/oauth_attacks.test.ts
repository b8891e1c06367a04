import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CallPath } from '../../src/hosts/apps/protocol/paths.js';
import type { ScenarioUser } from '../scenarios/backend.js';
import { startOidcProvider, type StartedOidcProvider } from '../support/oidc_provider.js';
import { callAppAs, flowTo, register, say, summaryOf } from './support/flows.js';
import { providerRedirects } from '../support/redirects.js';
import { startConnect } from '../scenarios/steps.js';
import { startSecurityWorld, type SecurityWorld } from './support/world.js';

let world: SecurityWorld;
let second: StartedOidcProvider;
let alice: ScenarioUser;
let bob: ScenarioUser;

const paramsOf = (url: string) => Object.fromEntries(new URL(url).searchParams);
const withParams = (url: string, params: Record<string, string>) => `${url.split('?')[0]}?${new URLSearchParams(params)}`;
const codes = () => world.provider.counters.code + second.counters.code;
const cookieOf = (user: ScenarioUser) =>
  world.backend
    .browserCookies(user)
    .map((c) => `${c.name}=${c.value}`)
    .join('; ');

/** The provider's authorize URL of a new connect flow of `user`, before anyone signs in. */
async function authorizeUrlOf(user: ScenarioUser): Promise<URL> {
  const connectUrl = await startConnect(world.scenario, user);
  const res = await fetch(connectUrl, { headers: { cookie: cookieOf(user) }, redirect: 'manual' });
  return new URL(res.headers.get('location') ?? assert.fail(`connect_url did not redirect (HTTP ${res.status})`));
}

/** The provider's redirect back to complete_url with `params`, followed as `user`'s browser would. */
async function completeAs(user: ScenarioUser, params: Record<string, string>) {
  const answer = await fetch(`${world.completeUrl}?${new URLSearchParams(params)}`, { headers: { cookie: cookieOf(user) }, redirect: 'manual' });
  return { status: answer.status, text: await answer.text() };
}

describe('OAuth attacks through the real flow', () => {
  before(async () => {
    world = await startSecurityWorld();
    second = await startOidcProvider({ redirectUris: providerRedirects(world.completeUrl) });
    world.audit.add(...Object.values(second.clients).map((c) => c.client_secret));
    alice = await world.backend.createUser('alice');
    bob = await world.backend.createUser('bob');
    await register(world);
    await register(world, 'idp2', second);
  });
  after(async () => {
    await second.close();
    await world?.finish('oauth attacks');
  });

  it('when a completed redirect is replayed straight to the App (state and code again), then the used flow is refused and no second exchange is made', async () => {
    const flow = await flowTo(world, alice, 'alice');
    assert.equal((await flow.complete()).status, 200);
    const [raw, exchanges] = [world.storedRaw(alice, 'idp'), codes()];
    const replay = await callAppAs(world, alice, CallPath.oauth2Complete, paramsOf(flow.completeUrl));
    assert.equal(replay.json.type, 'error');
    assert.match(replay.json.text, /expired or was already used/);
    assert.equal(codes(), exchanges, 'no token request');
    assert.equal(world.storedRaw(alice, 'idp'), raw, 'the token is unchanged');
  });

  it("when bob opens complete_url with alice's state, then the plugin refuses, and the App refuses alice's state in bob's calls too", async () => {
    const flow = await flowTo(world, alice, 'alice');
    const asBob = await fetch(flow.completeUrl, { headers: { cookie: `MMAUTHTOKEN=${bob.token}` }, redirect: 'manual' });
    assert.equal(asBob.status, 403);
    const params = paramsOf(flow.completeUrl);
    const complete = await callAppAs(world, bob, CallPath.oauth2Complete, params);
    assert.match(complete.json.text, /belongs to another session|expired or was already used/);
    const connectAsBob = await callAppAs(world, bob, CallPath.oauth2Connect, { state: params.state! });
    assert.match(connectAsBob.json.text, /belongs to another session/);
    assert.equal(world.storedRaw(bob, 'idp'), undefined);
    assert.equal(summaryOf(world, bob)?.connections?.idp, undefined);
  });

  it('when an already used code is presented in a new flow, then the provider refuses it and nothing changes', async () => {
    const used = await flowTo(world, bob, 'bob');
    assert.equal((await used.complete()).status, 200);
    const raw = world.storedRaw(bob, 'idp');
    const next = await flowTo(world, bob, 'bob');
    const answer = await next.complete(withParams(next.completeUrl, { ...paramsOf(next.completeUrl), code: paramsOf(used.completeUrl).code! }));
    assert.equal(answer.status, 500);
    assert.match(answer.text, /sign-in|expired|again/i);
    assert.equal(world.storedRaw(bob, 'idp'), raw);
  });

  it("when a live code bound to another flow's PKCE challenge comes back with this flow's state and nonce, then the provider refuses the verifier and nothing is stored", async () => {
    const carol = await world.backend.createUser('carol');
    // A user has one live flow per provider: the later one is the victim.
    const injected = await authorizeUrlOf(carol);
    const victim = await authorizeUrlOf(carol);
    // The injected flow asks for the victim flow's nonce, so only the PKCE challenge tells the two apart.
    injected.searchParams.set('nonce', victim.searchParams.get('nonce')!);
    const redirect = await world.provider.authorize(injected.href, { login: 'carol' });
    const refusals = world.provider.tokenRefusals.length;
    const answer = await completeAs(carol, { ...redirect, state: victim.searchParams.get('state')! });
    assert.equal(answer.status, 500, answer.text);
    assert.match(answer.text, /expired or was revoked at the provider/);
    assert.deepEqual(world.provider.tokenRefusals.slice(refusals), ['invalid_grant: code_verifier does not match code_challenge']);
    assert.equal(world.storedRaw(carol, 'idp'), undefined);
    assert.match(await say(world, carol, ['status']), /\(`idp`\): not connected/);
  });

  it('when a tampered code comes back, then the provider does not know it and nothing is stored', async () => {
    const erin = await world.backend.createUser('erin');
    const flow = await flowTo(world, erin, 'erin');
    const refusals = world.provider.tokenRefusals.length;
    const tampered = await flow.complete(withParams(flow.completeUrl, { ...paramsOf(flow.completeUrl), code: `${paramsOf(flow.completeUrl).code}x` }));
    assert.equal(tampered.status, 500);
    assert.deepEqual(world.provider.tokenRefusals.slice(refusals), ['invalid_grant: authorization code not found']);
    assert.equal(world.storedRaw(erin, 'idp'), undefined);
  });

  it("when one registered provider's redirect is presented as the other's (iss mix-up), then it is refused before any token request", async () => {
    const dave = await world.backend.createUser('dave');
    const honest = await flowTo(world, dave, 'dave', 'idp');
    const other = await flowTo(world, dave, 'dave', 'idp2', second);
    assert.ok(paramsOf(other.completeUrl).code && paramsOf(honest.completeUrl).code);
    const exchanges = codes();
    for (const [code, iss, flow] of [
      [honest, honest, other],
      [other, other, honest],
    ] as const) {
      // The flow's own redirect URI (provider=<id>), so that the iss check is what refuses.
      const mixed = {
        code: paramsOf(code.completeUrl).code!,
        iss: paramsOf(iss.completeUrl).iss!,
        state: paramsOf(flow.completeUrl).state!,
        provider: paramsOf(flow.completeUrl).provider!,
      };
      const answer = await flow.complete(withParams(flow.completeUrl, mixed));
      assert.equal(answer.status, 500, `${JSON.stringify(mixed)} ${answer.text}`);
      assert.match(answer.text, /security check|issuer/i);
    }
    assert.equal(codes(), exchanges, 'neither token endpoint saw the code');
    assert.equal(world.storedRaw(dave, 'idp'), undefined);
    assert.equal(world.storedRaw(dave, 'idp2'), undefined);
  });

  it('when a connected user signs in as another account at the provider, then nothing stored changes', async () => {
    const before = { raw: world.storedRaw(alice, 'idp'), connection: summaryOf(world, alice)?.connections?.idp };
    const flow = await flowTo(world, alice, 'mallory');
    const answer = await flow.complete();
    assert.equal(answer.status, 500);
    assert.match(answer.text, /connected as \*\*alice\*\*.*Nothing was changed/);
    assert.equal(world.storedRaw(alice, 'idp'), before.raw, 'the stored token is byte for byte the same');
    assert.deepEqual(summaryOf(world, alice)?.connections?.idp, before.connection);
  });
});
