import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ScenarioUser } from '../scenarios/backend.js';
import { startBadProvider, type BadProvider, type EndpointFault } from './support/bad_provider.js';
import { asOidcProvider, command, flowTo, register, say, summaryOf, textOf } from './support/flows.js';
import { startSecurityWorld, type SecurityWorld } from './support/world.js';

let world: SecurityWorld;
let bad: BadProvider;
let ivy: ScenarioUser;
let injected = 0;

const FAULTS: Array<[Exclude<EndpointFault, 'none' | 'huge'>, RegExp]> = [
  ['down', /did not answer/],
  ['slow', /did not answer/],
  ['5xx', /did not answer/],
  ['malformed', /cannot use|not configured correctly/],
];

/** Runs `work` with one endpoint of the provider faulty, then heals it. */
async function withFault<T>(endpoint: 'discovery' | 'token' | 'userinfo', fault: EndpointFault, work: () => Promise<T>): Promise<T> {
  bad.faults[endpoint] = fault;
  injected += 1;
  try {
    return await work();
  } finally {
    bad.faults[endpoint] = 'none';
  }
}

describe('a provider that is down, slow, failing or malformed', () => {
  before(async () => {
    world = await startSecurityWorld({ env: { APP_DISCOVERY_TTL_SECONDS: '0', APP_HTTP_TIMEOUT_MS: '1200' } });
    bad = await startBadProvider(2000);
    world.audit.add(bad.client.client_secret);
    ivy = await world.backend.createUser('ivy');
    await register(world);
    await register(world, 'bad', asOidcProvider(bad));
    const flow = await flowTo(world, ivy, 'ivy', 'bad', asOidcProvider(bad));
    assert.equal((await flow.complete()).status, 200);
  });
  after(async () => {
    console.log(`[security] provider faults: ${injected} injected (down, slower than the timeout, 5xx, malformed JSON, 9 KB tokens)`);
    await bad.close();
    await world?.finish('provider faults');
  });

  for (const [fault, message] of FAULTS) {
    it(`when discovery is ${fault} at connect, then the browser gets a clear error and no flow is recorded`, async () => {
      const user = await world.backend.createUser(`jo-${fault}`);
      const answer = await withFault('discovery', fault, async () => {
        const link = (await command(world, user, ['connect'], { provider: 'bad' })) as { data?: { connect_url?: string } };
        const res = await fetch(link.data!.connect_url!, { headers: { cookie: `MMAUTHTOKEN=${user.token}` }, redirect: 'manual' });
        return { status: res.status, text: await res.text() };
      });
      assert.equal(answer.status, 500);
      assert.match(answer.text, message);
      assert.deepEqual(summaryOf(world, user)?.flows ?? [], []);
    });
  }

  for (const [fault, message] of FAULTS) {
    it(`when the token endpoint is ${fault} at a reconnect, then the user is told and the stored token is kept`, async () => {
      const before = world.storedRaw(ivy, 'bad');
      const flow = await flowTo(world, ivy, 'ivy', 'bad', asOidcProvider(bad));
      const answer = await withFault('token', fault, () => flow.complete());
      assert.equal(answer.status, 500);
      assert.match(answer.text, message);
      assert.equal(world.storedRaw(ivy, 'bad'), before);
      assert.match(await say(world, ivy, ['status']), /\(`bad`\): connected as \*\*ivy\*\*/);
    });
  }

  for (const [fault, message] of FAULTS) {
    it(`when userinfo is ${fault}, then whoami says so and the token is kept`, async () => {
      const before = world.storedRaw(ivy, 'bad');
      const answer = await withFault('userinfo', fault, () => command(world, ivy, ['whoami'], { provider: 'bad' }));
      assert.equal(answer.type, 'error');
      assert.match(textOf(answer), message);
      assert.equal(world.storedRaw(ivy, 'bad'), before);
    });
  }

  // The App's clock only moves forward from here: each refresh needs an expired token.
  for (const [fault, message] of FAULTS) {
    it(`when the token endpoint is ${fault} at refresh, then whoami says so and the stored token is kept`, async () => {
      const before = world.storedTokens(ivy, 'bad')!;
      world.clock.offsetMs += 2 * 3600_000;
      const answer = await withFault('token', fault, () => command(world, ivy, ['whoami'], { provider: 'bad' }));
      assert.equal(answer.type, 'error');
      assert.match(textOf(answer), message);
      assert.equal(world.storedTokens(ivy, 'bad')!.refresh_token, before.refresh_token, 'the stored token is the one from before');
      if (fault === 'slow') await new Promise((r) => setTimeout(r, 1200)); // the provider answers the request the App gave up on
      const after = await say(world, ivy, ['whoami'], { provider: 'bad' });
      if (fault !== 'slow') {
        assert.match(after, /you are \*\*ivy\*\*/, 'it works once the provider is back');
        assert.notEqual(world.storedTokens(ivy, 'bad')!.refresh_token, before.refresh_token, 'then refreshed and saved');
        return;
      }
      // The provider rotated the refresh token in an answer that came after the App gave up: the stored one is spent.
      assert.match(after, /no longer works.*Reconnect/);
      const flow = await flowTo(world, ivy, 'ivy', 'bad', asOidcProvider(bad));
      assert.equal((await flow.complete()).status, 200);
    });
  }

  it('when the provider issues tokens too large for the 8 KiB KV value, then the user is told and the stored token is kept', async () => {
    const before = world.storedRaw(ivy, 'bad');
    const flow = await flowTo(world, ivy, 'ivy', 'bad', asOidcProvider(bad));
    const answer = await withFault('token', 'huge', () => flow.complete());
    assert.equal(answer.status, 500);
    assert.match(answer.text, /could not store the data: .*8192/);
    assert.equal(world.storedRaw(ivy, 'bad'), before);
    assert.match(await say(world, ivy, ['whoami'], { provider: 'bad' }), /you are \*\*ivy\*\*/);
  });
});
