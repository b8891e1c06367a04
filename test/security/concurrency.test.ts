import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import type { ScenarioUser } from '../scenarios/backend.js';
import { command, connect, inParallel, register, say, textOf } from './support/flows.js';
import { startSecurityWorld, type SecurityWorld } from './support/world.js';

let world: SecurityWorld;
const USERS = 200;
const READS = 100;

describe('concurrency', () => {
  before(async () => {
    world = await startSecurityWorld();
    await register(world);
  });
  after(() => world?.finish('concurrency'));

  it(`when ${USERS} users connect at once, then each gets their own token and account, and the report counts them all`, async () => {
    const users = await Promise.all(Array.from({ length: USERS }, (_, i) => world.backend.createUser(`u${i}`)));
    const codes = world.provider.counters.code;
    const started = performance.now();
    await inParallel(users, 40, (u) => connect(world, u, `login-${u.username}`));
    const seconds = (performance.now() - started) / 1000;
    assert.equal(world.provider.counters.code - codes, USERS, 'one code exchange per user');
    const accessTokens = new Set(users.map((u) => world.storedTokens(u, 'idp')?.access_token));
    assert.equal(accessTokens.size, USERS, 'every user has a distinct stored token');
    assert.ok(!accessTokens.has(undefined));
    const statuses = await inParallel(users, 40, (u) => say(world, u, ['status']));
    statuses.forEach((s, i) => assert.match(s, new RegExp(`connected as \\*\\*login-u${i}\\*\\*`)));
    const report = await say(world, world.backend.admin, ['report']);
    assert.match(report, new RegExp(`\\| Test IdP \\| ${USERS} \\| 0 \\|`));
    console.log(`[security] concurrency: ${USERS} users connected in ${seconds.toFixed(1)} s (40 at a time), ${USERS} distinct tokens, report ${USERS}/0`);
  });

  it(`when ${READS} calls read one expiring token at once, then exactly one refresh reaches the provider and none fails`, async () => {
    const ana: ScenarioUser = await world.backend.createUser('ana');
    await connect(world, ana, 'ana');
    const before = world.storedTokens(ana, 'idp')!;
    const refreshes = world.provider.counters.refresh;
    world.clock.offsetMs = 3600_000 - 30_000; // inside the 60 s refresh margin
    try {
      const answers = await Promise.all(Array.from({ length: READS }, () => command(world, ana, ['whoami'], { provider: 'idp' })));
      const failed = answers.filter((a) => a.type !== 'ok').map(textOf);
      assert.deepEqual(failed, [], 'every read succeeds');
      assert.equal(world.provider.counters.refresh - refreshes, 1, 'exactly one refresh');
      const after = world.storedTokens(ana, 'idp')!;
      assert.notEqual(after.refresh_token, before.refresh_token, 'the rotated refresh token is stored');
      assert.ok(!world.app.logs.some((l) => l.includes('invalid_grant')), 'no invalid_grant anywhere');
      world.clock.offsetMs = 2 * 3600_000;
      assert.match(await say(world, ana, ['whoami'], { provider: 'idp' }), /you are \*\*ana\*\*/, 'the stored token refreshes again: nothing was lost');
      assert.equal(world.provider.counters.refresh - refreshes, 2);
      console.log(`[security] concurrency: ${READS} concurrent reads of an expiring token -> 1 refresh, 0 failures, rotated token kept`);
    } finally {
      world.clock.offsetMs = 0;
    }
  });
});
