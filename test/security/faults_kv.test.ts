import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ScenarioUser } from '../scenarios/backend.js';
import { isWrite, kvOnly, type Fault } from './support/kv_proxy.js';
import { command, connect, flowTo, register, say, summaryOf, textOf } from './support/flows.js';
import { startSecurityWorld, type SecurityWorld } from './support/world.js';

let world: SecurityWorld;
let kim: ScenarioUser;

const FAULTS: Array<[string, Omit<Fault, 'match'>, RegExp]> = [
  ['down', { kind: 'down' }, /could not reach Mattermost \(could not connect\)/],
  ['slower than the timeout', { kind: 'slow', delayMs: 2500 }, /could not reach Mattermost \(timed out\)/],
  ['answering 503', { kind: 'status', status: 503 }, /Mattermost could not complete the request \(HTTP 503\)/],
];

async function withFault<T>(fault: Fault, work: () => Promise<T>): Promise<T> {
  world.proxy.fault = fault;
  try {
    return await work();
  } finally {
    world.proxy.fault = undefined;
  }
}

/** Waits for writes a slow fault delayed past the App's timeout to land, so later checks see the final state. */
const settle = (fault: Omit<Fault, 'match'>) => new Promise((r) => setTimeout(r, fault.kind === 'slow' ? (fault.delayMs ?? 0) : 0));

describe('Mattermost KV down, slow, failing or refusing a value', () => {
  before(async () => {
    world = await startSecurityWorld({ env: { APP_HTTP_TIMEOUT_MS: '1500' } });
    kim = await world.backend.createUser('kim');
    await register(world);
    await register(world, 'idp2');
    await connect(world, kim, 'kim');
  });
  after(async () => {
    console.log(`[security] KV faults: ${world.proxy.faultsInjected} requests faulted; every stored token read back intact`);
    await world?.finish('KV faults');
  });

  for (const [name, fault, message] of FAULTS) {
    it(`when KV reads are ${name}, then whoami and status say so clearly and the token is intact`, async () => {
      const raw = world.storedRaw(kim, 'idp');
      const who = await withFault({ ...fault, match: kvOnly(false) }, () => command(world, kim, ['whoami'], { provider: 'idp' }));
      assert.equal(who.type, 'error');
      assert.match(textOf(who), message);
      const status = await withFault({ ...fault, match: kvOnly(false) }, () => command(world, kim, ['status']));
      assert.equal(status.type, 'error');
      assert.match(textOf(status), message, 'a Mattermost outage is not reported as a key problem');
      assert.equal(world.storedRaw(kim, 'idp'), raw);
      assert.match(await say(world, kim, ['whoami'], { provider: 'idp' }), /you are \*\*kim\*\*/);
    });

    it(`when KV writes are ${name} at a reconnect, then the browser says so and a valid token of the same account is stored`, async () => {
      const before = world.storedTokens(kim, 'idp')!;
      const flow = await flowTo(world, kim, 'kim');
      const answer = await withFault({ ...fault, match: kvOnly(true) }, () => flow.complete());
      assert.equal(answer.status, 500);
      assert.match(answer.text, message);
      await settle(fault);
      const after = world.storedTokens(kim, 'idp')!;
      assert.ok(after.refresh_token === before.refresh_token || fault.kind === 'slow', 'the old token, unless the slow write landed late');
      assert.equal(summaryOf(world, kim)?.connections?.idp?.sub, 'kim');
      assert.match(await say(world, kim, ['whoami'], { provider: 'idp' }), /you are \*\*kim\*\*/);
    });
  }

  it('when the plugin refuses a KV value as over 8 KiB, then the user is told so and the token is intact', async () => {
    const raw = world.storedRaw(kim, 'idp');
    const flow = await flowTo(world, kim, 'kim');
    const answer = await withFault({ kind: 'too_large', match: kvOnly(true) }, () => flow.complete());
    assert.equal(answer.status, 500);
    assert.match(answer.text, /over the 8 KiB limit/);
    assert.equal(world.storedRaw(kim, 'idp'), raw);
  });

  it('when oauth2/user cannot be written at a first connect, then the browser says so and connecting again works', async () => {
    const lee = await world.backend.createUser('lee');
    const flow = await flowTo(world, lee, 'lee');
    const summaryWrites = (method: string, path: string) => isWrite(method) && path.endsWith('/oauth2/user');
    const answer = await withFault({ kind: 'status', status: 503, match: summaryWrites }, () => flow.complete());
    assert.equal(answer.status, 500);
    assert.match(answer.text, /HTTP 503/);
    await connect(world, lee, 'lee');
    assert.match(await say(world, lee, ['whoami'], { provider: 'idp' }), /you are \*\*lee\*\*/);
  });

  it('when the KV fails once right after a refresh, then the rotated token is not lost', async () => {
    const before = world.storedTokens(kim, 'idp')!;
    world.clock.offsetMs = 2 * 3600_000;
    try {
      let failures = 1;
      const once = (method: string, path: string) => kvOnly(true)(method, path) && failures-- > 0;
      const who = await withFault({ kind: 'status', status: 503, match: once }, () => say(world, kim, ['whoami'], { provider: 'idp' }));
      assert.match(who, /you are \*\*kim\*\*/);
      const after = world.storedTokens(kim, 'idp')!;
      assert.notEqual(after.refresh_token, before.refresh_token, 'the rotated refresh token is stored');
      world.clock.offsetMs = 4 * 3600_000;
      assert.match(await say(world, kim, ['whoami'], { provider: 'idp' }), /you are \*\*kim\*\*/, 'and it refreshes again');
    } finally {
      world.clock.offsetMs = 0;
    }
  });
});
