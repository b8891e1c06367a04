/**
 * The keep-alive loop (startKeepAlive) on a clock the test moves, with a real
 * SQLite database and a real OpenID provider: replicas started together ask
 * first at random within 10 s and then each minute, and one pass runs per
 * interval across them; a pass keeps to the set number of refreshes a minute,
 * each wait the spacing plus a random share of half of it; stop() during a
 * wait ends the pass there, logs no failure, gives the lease back and leaves
 * no ask behind.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { SqlLeaseStore, StandaloneDatabase } from '../../../src/hosts/standalone/db/index.js';
import type { KeepAliveCounts, KeepAliveSettings } from '../../../src/hosts/standalone/keep_alive/pass.js';
import { ASK_EVERY_MS, FIRST_ASK_WITHIN_MS, startKeepAlive } from '../../../src/hosts/standalone/keep_alive/loop.js';
import { addProvider, connect, DAY, rowOf, serviceOn, type Service } from '../../support/keep_alive_service.js';
import { ManualTime } from '../../support/manual_time.js';
import { startOidcProvider, type StartedOidcProvider } from '../../support/oidc_provider.js';
import { createScratch, type Scratch } from '../../support/standalone_db.js';

const MINUTE = 60_000;

/** The loops of several replicas on one database and one clock, with every lease claim and pass recorded. */
function replicas(service: Service, time: ManualTime, settings: KeepAliveSettings, count: number) {
  const claims: Array<{ holder: string; at: number; won: boolean }> = [];
  const passes: KeepAliveCounts[] = [];
  let claiming = 0;
  let passing = 0;
  const real = service.repositories.leases;
  const leases = {
    async claim(claim: Parameters<SqlLeaseStore['claim']>[0]) {
      claiming += 1;
      try {
        const heldUntil = await real.claim(claim);
        claims.push({ holder: claim.holder, at: claim.now, won: heldUntil !== undefined });
        if (heldUntil !== undefined) passing += 1;
        return heldUntil;
      } finally {
        claiming -= 1;
      }
    },
    release: (name: string, holder: string, now: number) => real.release(name, holder, now),
  } as unknown as SqlLeaseStore;
  const stops = Array.from({ length: count }, () =>
    startKeepAlive({
      deps: service.deps,
      repositories: { connections: service.repositories.connections, leases },
      settings,
      timing: time,
      onPass: (counts) => {
        passing -= 1;
        passes.push(counts);
      },
    }),
  );
  /** Until every claim has answered and every pass that won one waits or has ended (real I/O: the database and the provider). */
  const settle = async () => {
    const deadline = Date.now() + 10_000;
    while (claiming > 0 || passing !== time.sleeping) {
      if (Date.now() > deadline)
        throw new Error(`the loops did not settle: ${claiming} claims, ${passing} passes, ${time.sleeping} waits\n${service.logger.lines.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  };
  return { claims, passes, settle, stopAll: () => Promise.all(stops.map((stop) => stop())), stops };
}

describe('the keep-alive loop', () => {
  let op: StartedOidcProvider;
  let scratch: Scratch;
  let service: Service;
  let database: StandaloneDatabase;
  let clock: { now: number };
  before(async () => {
    op = await startOidcProvider();
  });
  after(() => op.close());
  beforeEach(async () => {
    scratch = await createScratch('sqlite');
    clock = { now: Date.now() };
    database = await scratch.open();
    service = serviceOn(database, clock, op);
  });
  afterEach(() => scratch.dispose());

  /** `users` connected at the provider, idle for 31 days as the clock says. */
  async function idleUsers(users: string[]): Promise<void> {
    const stored = await addProvider(service);
    for (const user of users) {
      clock.now += 1000;
      await connect(service, stored, user);
    }
    clock.now += 31 * DAY;
  }

  it('when three replicas start together, then each asks first at random within 10 s and then each minute, and one pass runs per interval', async () => {
    const settings: KeepAliveSettings = { idleMs: 30 * DAY, intervalMs: 60 * MINUTE, perMinute: 600 };
    const time = new ManualTime(clock, [0.2, 0.5, 0.9]);
    const t0 = clock.now;
    const r = replicas(service, time, settings, 3);
    try {
      await time.advanceTo(t0 + FIRST_ASK_WITHIN_MS, r.settle);
      assert.deepEqual(
        r.claims.map((c) => c.at - t0),
        [2000, 5000, 9000],
        'first asks at the random share of 10 s',
      );
      assert.deepEqual(r.passes.length, 1);
      assert.equal(r.claims.filter((c) => c.won).length, 1);
      await time.advanceTo(t0 + 59 * MINUTE, r.settle);
      const firstHolder = r.claims[0]!.holder;
      const asks = r.claims.filter((c) => c.holder === firstHolder).map((c) => c.at - t0);
      assert.deepEqual(asks.slice(0, 3), [2000, 2000 + ASK_EVERY_MS, 2000 + 2 * ASK_EVERY_MS], 'then each minute');
      assert.equal(r.claims.length, 3 * 59, 'every replica asked every minute');
      assert.equal(r.passes.length, 1, 'no second pass within the interval');
      await time.advanceTo(t0 + 60 * MINUTE + FIRST_ASK_WITHIN_MS, r.settle);
      assert.equal(r.passes.length, 2, 'the next interval has its pass');
      assert.equal(r.claims.filter((c) => c.won).length, 2);
    } finally {
      await r.stopAll();
    }
  });

  it('when a pass has many idle connections, then it refreshes at most the set number a minute, each wait the spacing plus a random share of half of it', async () => {
    const users = ['u1', 'u2', 'u3', 'u4', 'u5'];
    await idleUsers(users);
    const settings: KeepAliveSettings = { idleMs: 30 * DAY, intervalMs: 60 * MINUTE, perMinute: 2 };
    // The first ask's share, then one per wait.
    const time = new ManualTime(clock, [0, 0, 1, 0.5, 0.25]);
    const r = replicas(service, time, settings, 1);
    try {
      await time.advanceTo(clock.now + 10 * MINUTE, r.settle);
      assert.deepEqual(r.passes, [{ refreshed: 5, failedForGood: 0, failedForNow: 0, skipped: 0 }]);
      assert.deepEqual(time.waits, [30_000, 45_000, 37_500, 33_750], 'the spacing (30 s) plus random shares of 15 s');
      const used = (await Promise.all(users.map((u) => rowOf(service, u)))).map((row) => row!.used_at!).sort((a, b) => a - b);
      for (let i = 0; i + 2 < used.length; i += 1) assert.ok(used[i + 2]! - used[i]! >= MINUTE, `three refreshes within a minute: ${used.join(', ')}`);
    } finally {
      await r.stopAll();
    }
  });

  it('when the loop is stopped while its pass waits, then the pass ends there, no failure is logged, the lease is given back and no ask follows', async () => {
    await idleUsers(['s1', 's2', 's3']);
    const settings: KeepAliveSettings = { idleMs: 30 * DAY, intervalMs: 60 * MINUTE, perMinute: 1 };
    const time = new ManualTime(clock, [0]);
    const r = replicas(service, time, settings, 1);
    await time.advanceTo(clock.now + 1000, r.settle);
    assert.equal(time.sleeping, 1, 'the pass waits after its first refresh');
    await r.stopAll();
    assert.equal(time.sleeping, 0);
    assert.equal(time.scheduled, 0, 'no ask is left scheduled');
    assert.ok(!service.logger.lines.some((l) => l.includes('keep-alive pass failed')), service.logger.lines.join('\n'));
    const lease = await database.db.selectFrom('leases').select('held_until').where('name', '=', 'keep_alive').executeTakeFirstOrThrow();
    assert.ok(Number(lease.held_until) <= clock.now, 'the lease ends when the pass stops, not at the end of its interval');
    const claims = r.claims.length;
    await time.advanceTo(clock.now + 10 * MINUTE, r.settle);
    assert.equal(r.claims.length, claims, 'no ask after stop');
    assert.equal((await rowOf(service, 's2'))!.used_at! < clock.now - 30 * DAY, true, 'the pass went no further');
  });
});
