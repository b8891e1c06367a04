/**
 * The keep-alive pass on SQLite and PostgreSQL against a real OpenID provider
 * (rotating refresh tokens), with the service's clock moved by the test: an
 * idle connection is refreshed once, a recently used one is not (a use
 * records itself at most hourly), a connection the provider no longer accepts
 * is marked broken and its user gets the reconnect prompt by direct message,
 * one without a refresh token is left alone, the pass runs once per interval,
 * a use at the same moment makes no second refresh, and the refreshes keep to
 * the rate (the pass stops when its lease ends and the next one goes on).
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { openProvider } from '../../../src/core/providers.js';
import { usableTokens } from '../../../src/core/token_use.js';
import type { createRepositories } from '../../../src/hosts/standalone/db/index.js';
import type { KeepAliveSettings } from '../../../src/hosts/standalone/keep_alive/pass.js';
import { backgroundRequest } from '../../../src/hosts/standalone/signin/core_request.js';
import { addProvider, connect, DAY, PROVIDER, refreshesAt, rowOf, serviceOn as serviceWith, SETTINGS } from '../../support/keep_alive_service.js';
import { startOidcProvider, type StartedOidcProvider } from '../../support/oidc_provider.js';
import { onEachBackend } from '../../support/standalone_db.js';

let op: StartedOidcProvider;
before(async () => {
  op = await startOidcProvider();
});
after(() => op.close());

const serviceOn = (database: Parameters<typeof createRepositories>[0], clock: { now: number }) => serviceWith(database, clock, op);
const refreshesOf = (user: string) => refreshesAt(op, user);

onEachBackend('keep-alive pass', ({ database }) => {
  // One clock for the suite: it only moves on, as the lease in the database expects.
  const clock = { now: Date.now() };
  it('when connections sit idle, then each is refreshed once, a used one is not, a refused one is marked and its user told, none without a refresh token', async () => {
    const service = serviceOn(database(), clock);
    const stored = await addProvider(service);
    const t0 = service.clock.now;
    const idle = await connect(service, stored, 'alice');
    await connect(service, stored, 'bob', { longLived: true });
    await connect(service, stored, 'carol');
    await connect(service, stored, 'dave', { noRefresh: true });

    // Bob uses his connection after 30 days: his token is still good, so only the use is recorded; again ten minutes later, nothing is written.
    service.clock.now = t0 + 30 * DAY;
    const bobRequest = backgroundRequest(service.deps, 'bob');
    await usableTokens(bobRequest, service.deps, stored, openProvider(stored, service.deps), { row: (await rowOf(service, 'bob'))! });
    assert.equal((await rowOf(service, 'bob'))!.used_at, t0 + 30 * DAY);
    service.clock.now += 10 * 60_000;
    await usableTokens(bobRequest, service.deps, stored, openProvider(stored, service.deps), { row: (await rowOf(service, 'bob'))! });
    assert.equal((await rowOf(service, 'bob'))!.used_at, t0 + 30 * DAY, 'a use within the hour writes nothing');

    // Carol revoked the app at the provider in the meantime.
    op.revokeAccount('carol-op');
    service.clock.now = t0 + 31 * DAY;
    const before = { alice: refreshesOf('alice'), bob: refreshesOf('bob'), carol: op.tokenRefusals.length, dave: refreshesOf('dave') };
    const passStart = service.clock.now;
    const counts = await service.pass();

    assert.deepEqual(counts, { refreshed: 1, failedForGood: 1, failedForNow: 0, skipped: 1 });
    assert.equal(refreshesOf('alice') - before.alice, 1, 'alice was refreshed once at the provider');
    const alice = (await rowOf(service, 'alice'))!;
    assert.notEqual(alice.tokens.refresh_token, idle.tokens.refresh_token, 'the rotated refresh token was saved');
    assert.equal(alice.used_at, passStart, 'the first refresh is not waited for');
    assert.equal(refreshesOf('bob'), before.bob, 'bob used his connection a day ago: not refreshed');
    assert.equal(refreshesOf('dave'), before.dave);
    assert.equal((await rowOf(service, 'dave'))!.connection.broken, undefined);
    assert.match(op.tokenRefusals.slice(before.carol).join('\n'), /invalid_grant/);

    const carol = (await rowOf(service, 'carol'))!;
    assert.match(carol.connection.broken ?? '', /no longer accepts the stored token/);
    assert.deepEqual(service.dms, [
      {
        to: 'carol',
        message:
          'Your Test OIDC connection no longer works: the provider no longer accepts the stored token (it was revoked or expired). `/oauth2 connect test-oidc`.',
      },
    ]);
    const line = service.logger.lines.find((l) => l.includes('keep-alive pass'));
    assert.ok(line, 'one log line per pass');
    assert.match(line, /"refreshed":1.*"failedForGood":1.*"failedForNow":0.*"skipped":1/);
    const secrets = [alice.tokens.access_token, alice.tokens.refresh_token!, idle.tokens.refresh_token!];
    for (const secret of secrets) assert.ok(!service.logger.lines.join('\n').includes(secret), 'no token in the log');

    // The next pass is not due for an interval; when it is, nothing is idle any more (carol is broken: she is not even looked at).
    const refreshes = op.issued.length;
    assert.equal(await service.pass(), undefined);
    assert.equal(await service.pass(SETTINGS, 'replica-b'), undefined, 'another replica does not run it either');
    service.clock.now += SETTINGS.intervalMs;
    assert.deepEqual(await service.pass(SETTINGS, 'replica-b'), { refreshed: 0, failedForGood: 0, failedForNow: 0, skipped: 1 });
    assert.equal(op.issued.length, refreshes);
    assert.equal(service.dms.length, 1, 'carol is told once');
    await service.repositories.connections.delete('alice', PROVIDER);
    await service.repositories.connections.delete('bob', PROVIDER);
    await service.repositories.connections.delete('carol', PROVIDER);
    await service.repositories.connections.delete('dave', PROVIDER);
  });

  it('when a use needs a refresh while the pass refreshes the same connection, then the provider sees one refresh', async () => {
    const service = serviceOn(database(), clock);
    const stored = await addProvider(service);
    service.clock.now += SETTINGS.intervalMs;
    await connect(service, stored, 'erin');
    service.clock.now += 31 * DAY;
    const before = refreshesOf('erin');
    const use = usableTokens(backgroundRequest(service.deps, 'erin'), service.deps, stored, openProvider(stored, service.deps), {
      row: (await rowOf(service, 'erin'))!,
    });
    const [counts, tokens] = await Promise.all([service.pass(), use]);
    assert.ok(counts, 'the pass ran');
    assert.equal(refreshesOf('erin') - before, 1, JSON.stringify(op.issued.filter((t) => t.account === 'erin-op').map((t) => t.grant)));
    assert.equal((counts?.refreshed ?? 0) + (counts?.skipped ?? 0), 1);
    assert.equal((await rowOf(service, 'erin'))!.tokens.access_token, tokens.access_token);
    await service.repositories.connections.delete('erin', PROVIDER);
  });

  it('when many connections are idle, then at most the set number a minute is refreshed, and what a pass did not reach comes first in the next', async () => {
    const service = serviceOn(database(), clock);
    const stored = await addProvider(service);
    service.clock.now += 2 * SETTINGS.intervalMs;
    const users = ['u1', 'u2', 'u3', 'u4', 'u5'];
    for (const user of users) {
      await connect(service, stored, user);
      service.clock.now += 1000;
    }
    service.clock.now += 31 * DAY;
    // Two a minute, and a pass may run a minute: its lease ends before a third.
    const slow: KeepAliveSettings = { idleMs: 30 * DAY, intervalMs: 60_000, perMinute: 2 };
    const at: number[] = [];
    const counted = users.map(refreshesOf);
    const first = await service.pass(slow);
    assert.deepEqual(first, { refreshed: 2, failedForGood: 0, failedForNow: 0, skipped: 0 });
    for (const ms of service.sleeps) assert.ok(ms >= 30_000 && ms <= 45_000, `waits 30 s plus jitter, not ${ms} ms`);
    assert.deepEqual(
      users.map((u, i) => refreshesOf(u) - counted[i]!),
      [1, 1, 0, 0, 0],
      'the oldest first',
    );
    for (const user of users.slice(0, 2)) at.push((await rowOf(service, user))!.used_at!);
    assert.ok(at[1]! - at[0]! >= 30_000);

    service.clock.now += 60_000;
    assert.deepEqual(await service.pass(slow), { refreshed: 2, failedForGood: 0, failedForNow: 0, skipped: 0 });
    service.clock.now += 60_000;
    assert.deepEqual(await service.pass(slow), { refreshed: 1, failedForGood: 0, failedForNow: 0, skipped: 0 });
    assert.deepEqual(
      users.map((u, i) => refreshesOf(u) - counted[i]!),
      [1, 1, 1, 1, 1],
    );
    // In any minute of the clock, at most two refreshes.
    const times = (await Promise.all(users.map((u) => rowOf(service, u)))).map((r) => r!.used_at!).sort((a, b) => a - b);
    for (let i = 0; i + 2 < times.length; i += 1) assert.ok(times[i + 2]! - times[i]! >= 60_000, `three refreshes within a minute: ${times.join(', ')}`);
  });
});
