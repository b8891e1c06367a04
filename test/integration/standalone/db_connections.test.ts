import { it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { ConnectionRow } from '../../../src/core/ports.js';
import { advisoryKey } from '../../../src/hosts/standalone/db/connection_lock.js';
import { SqlConnectionRepository } from '../../../src/hosts/standalone/db/connection_repository.js';
import { StoredSecretError } from '../../../src/hosts/standalone/db/bound_sealer.js';
import type { StandaloneDatabase } from '../../../src/hosts/standalone/db/open_database.js';
import { onEachBackend, testSealer } from '../../support/standalone_db.js';

const NOW = 1_780_000_000_000;
const sealer = testSealer();
const repoOn = (database: StandaloneDatabase) =>
  new SqlConnectionRepository(database.db, sealer, { ...(database.lockDb && { lockDb: database.lockDb }), now: () => NOW });

function row(user: string, provider: string, extra: Partial<ConnectionRow> = {}): ConnectionRow {
  return {
    user_id: user,
    provider_id: provider,
    origin: `https://${provider}.example`,
    connection: { label: `${user}@${provider}`, sub: `sub-${user}`, since: NOW, expires_at: NOW + 3_600_000 },
    tokens: { access_token: `at-${user}-${provider}`, token_type: 'Bearer', refresh_token: `rt-${user}`, expires_at: NOW + 3_600_000, obtained_at: NOW },
    // What a save records as the last use.
    used_at: NOW,
    ...extra,
  };
}

onEachBackend('connections', ({ backend, scratch, database }) => {
  it('when a connection is saved, then get returns it with its tokens and summaries list it without them; tokens are sealed at rest', async () => {
    const repo = repoOn(database());
    await repo.save(row('u1', 'gitlab'));
    await repo.save(row('u1', 'acme', { connection: { label: 'x', sub: 's', since: NOW } }));
    assert.deepEqual(await repo.get('u1', 'gitlab'), row('u1', 'gitlab'));
    assert.deepEqual(await repo.summaries('u1'), { acme: { label: 'x', sub: 's', since: NOW }, gitlab: row('u1', 'gitlab').connection });
    assert.deepEqual(await repo.summaries('nobody'), {});
    assert.equal(await repo.get('u1', 'nope'), undefined);
    const raw = await database().db.selectFrom('connections').select('tokens').execute();
    assert.doesNotMatch(JSON.stringify(raw), /at-u1|rt-u1/);
  });

  it('when the same user connects again, then the row is replaced (upsert), not duplicated', async () => {
    const repo = repoOn(database());
    const again = row('u1', 'gitlab', { connection: { label: 'new label', sub: 'sub-u1', since: NOW + 10 } });
    again.tokens.access_token = 'at-second';
    await repo.save(again);
    assert.deepEqual(await repo.get('u1', 'gitlab'), again);
    const count = await database()
      .db.selectFrom('connections')
      .where('user_id', '=', 'u1')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 2);
  });

  it('when tokens are refreshed, then saveTokens updates the row and clears broken; for a gone row it returns false and creates nothing', async () => {
    const repo = repoOn(database());
    await repo.markBroken('u1', 'gitlab', 'the provider refused the token');
    assert.equal((await repo.summaries('u1')).gitlab?.broken, 'the provider refused the token');
    const fresh = { access_token: 'at-refreshed', token_type: 'Bearer', refresh_token: 'rt-rotated', expires_at: NOW + 7_200_000, obtained_at: NOW + 1 };
    assert.equal(await repo.saveTokens('u1', 'gitlab', fresh), true);
    const read = await repo.get('u1', 'gitlab');
    assert.deepEqual(read?.tokens, fresh);
    assert.equal(read?.connection.broken, undefined);
    assert.equal(read?.connection.expires_at, NOW + 7_200_000);
    assert.equal(await repo.saveTokens('ghost', 'gitlab', fresh), false);
    assert.equal(await repo.get('ghost', 'gitlab'), undefined);
  });

  it("when one user's sealed tokens are copied into another user's row, then reading fails with a clear error, not the other's tokens", async () => {
    const repo = repoOn(database());
    await repo.save(row('alice', 'gitlab'));
    await repo.save(row('mallory', 'gitlab'));
    const alice = await database().db.selectFrom('connections').select('tokens').where('user_id', '=', 'alice').executeTakeFirstOrThrow();
    await database().db.updateTable('connections').set({ tokens: alice.tokens }).where('user_id', '=', 'mallory').execute();
    await assert.rejects(
      repo.get('mallory', 'gitlab'),
      (error: Error) => error instanceof StoredSecretError && /mallory to gitlab/.test(error.message) && !/at-alice/.test(error.message),
    );
    await database().db.updateTable('connections').set({ origin: 'https://evil.example' }).where('user_id', '=', 'alice').execute();
    await assert.rejects(repo.get('alice', 'gitlab'), StoredSecretError);
  });

  it('when connections are deleted, then delete says whether one was there', async () => {
    const repo = repoOn(database());
    assert.equal((await repo.delete('alice', 'gitlab')).deleted, true);
    assert.equal((await repo.delete('alice', 'gitlab')).deleted, false);
    assert.equal((await repo.delete('mallory', 'gitlab')).deleted, true);
  });

  it('when the report is read, then it lists connected and broken users per provider from the database, and counts agree', async () => {
    const repo = repoOn(database());
    for (let i = 0; i < 30; i++) await repo.save(row(`r${String(i).padStart(2, '0')}`, i % 3 === 0 ? 'acme' : 'github'));
    await repo.markBroken('r01', 'github', 'expired');
    const report = await repoOn(database()).report();
    assert.equal(report.acme?.connected.length, 11); // r00..r27 step 3, plus u1's acme
    assert.equal(report.github?.connected.length, 19);
    assert.deepEqual(report.github?.broken, ['r01']);
    assert.deepEqual(report.gitlab, { connected: ['u1'], broken: [] });
    assert.deepEqual(await repo.counts(), { acme: { connected: 11, broken: 0 }, github: { connected: 19, broken: 1 }, gitlab: { connected: 1, broken: 0 } });
  });

  it(`when two ${backend === 'postgres' ? 'replicas (separate pools)' : 'repository instances'} refresh one token under withLock, then their critical sections never overlap and one refresh happens`, async () => {
    const replicas = backend === 'postgres' ? [await scratch().open({ migrate: false }), await scratch().open({ migrate: false })] : [database(), database()]; // SQLite: two repository instances in one process share the mutex
    const repos = replicas.map(repoOn);
    await repos[0]!.save(row('lock', 'gitlab', { tokens: { access_token: 'old', token_type: 'Bearer', expires_at: NOW - 1, obtained_at: NOW } }));
    let inside = 0;
    let maxInside = 0;
    let refreshes = 0;
    const call = (repo: SqlConnectionRepository) =>
      repo.withLock('lock', 'gitlab', async () => {
        inside++;
        maxInside = Math.max(maxInside, inside);
        const current = await repo.get('lock', 'gitlab'); // re-read inside the lock
        if (current!.tokens.expires_at! < NOW) {
          await sleep(20);
          refreshes++;
          await repo.saveTokens('lock', 'gitlab', { ...current!.tokens, access_token: 'new', expires_at: NOW + 60_000 });
        }
        inside--;
        return (await repo.get('lock', 'gitlab'))!.tokens.access_token;
      });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => call(repos[i % repos.length]!)));
    assert.equal(maxInside, 1);
    assert.equal(refreshes, 1);
    assert.deepEqual(new Set(results), new Set(['new']));
  });

  it('when withLock is held for one pair, then another pair is not blocked, and an error in fn releases the lock', async () => {
    const repo = repoOn(database());
    let release: (() => void) | undefined;
    const held = repo.withLock('a', 'p', () => new Promise<void>((resolve) => (release = resolve)));
    const other = await Promise.race([repo.withLock('b', 'p', async () => 'ran'), sleep(3000).then(() => 'blocked')]);
    assert.equal(other, 'ran');
    // On PostgreSQL fn starts once the lock transaction has begun, which may come after the other pair's whole turn.
    while (!release) await sleep(5);
    release();
    await held;
    await assert.rejects(
      repo.withLock('a', 'p', async () => Promise.reject(new Error('boom'))),
      /boom/,
    );
    assert.equal(await repo.withLock('a', 'p', async () => 'again'), 'again');
  });

  if (backend === 'postgres')
    it('when a lock holder waits on the provider longer than twice the statement timeout, then its lock transaction is not ended (lockHoldMs)', async () => {
      const short = await scratch().open({ migrate: false, statementTimeoutMs: 500, lockHoldMs: 3000 });
      const repo = repoOn(short);
      await repo.save(row('slow', 'gitlab'));
      // 1.5 s between statements is past 2 x 500 ms: without lockHoldMs the server would end the lock's session.
      const answer = await repo.withLock('slow', 'gitlab', async () => {
        await sleep(1500);
        await repo.saveTokens('slow', 'gitlab', { ...row('slow', 'gitlab').tokens, access_token: 'after-a-slow-provider' });
        return 'committed';
      });
      assert.equal(answer, 'committed');
      assert.equal((await repo.get('slow', 'gitlab'))?.tokens.access_token, 'after-a-slow-provider');
    });

  it('when the encryption key rotates, then get opens tokens sealed with the old key and re-seals them with the new one', async () => {
    const oldKey = { id: 'old', key: randomBytes(32) };
    const before = new SqlConnectionRepository(database().db, testSealer([oldKey]));
    await before.save(row('rot', 'gitlab'));
    const rotated = new SqlConnectionRepository(database().db, testSealer([{ id: 'new', key: randomBytes(32) }, oldKey]));
    const sealedBefore = await database().db.selectFrom('connections').select('tokens').where('user_id', '=', 'rot').executeTakeFirstOrThrow();
    assert.match(sealedBefore.tokens, /^v2\.old\./);
    assert.deepEqual((await rotated.get('rot', 'gitlab'))?.tokens, row('rot', 'gitlab').tokens);
    const sealedAfter = await database().db.selectFrom('connections').select('tokens').where('user_id', '=', 'rot').executeTakeFirstOrThrow();
    assert.match(sealedAfter.tokens, /^v2\.new\./);
    assert.deepEqual(
      await new SqlConnectionRepository(database().db, testSealer([{ id: 'other', key: randomBytes(32) }])).get('rot', 'gitlab').catch((e: Error) => e.name),
      'StoredSecretError',
    );
  });

  if (backend === 'postgres') {
    it('when the replica holding a lock dies (its connection is cut), then the server releases the lock and another replica proceeds', async () => {
      const settings = scratch().settings as { url: string };
      const dying = new pg.Client({ connectionString: settings.url });
      await dying.connect();
      dying.on('error', () => undefined);
      await dying.query('begin');
      await dying.query('select pg_advisory_xact_lock($1::bigint)', [advisoryKey('kill', 'gitlab')]);
      const repo = repoOn(database());
      let ran = false;
      const waiting = repo.withLock('kill', 'gitlab', async () => void (ran = true));
      await sleep(300);
      assert.equal(ran, false, 'the lock is respected while its holder lives');
      const pid = (dying as unknown as { processID: number }).processID;
      await sql`select pg_terminate_backend(${pid})`.execute(database().db);
      await waiting;
      assert.equal(ran, true);
    });
  }

  it('when uses are recorded, then the time only moves on; idle lists the unbroken connections not used since, oldest first, page by page', async () => {
    const db = database().db;
    await db.deleteFrom('token_grants').execute();
    await db.deleteFrom('connections').execute();
    let at = NOW;
    const repo = new SqlConnectionRepository(db, sealer, { ...(database().lockDb && { lockDb: database().lockDb! }), now: () => at });
    for (const [user, provider] of [
      ['a', 'p1'],
      ['a', 'p2'],
      ['b', 'p1'],
      ['c', 'p1'],
      ['d', 'p1'],
    ] as const)
      await repo.save(row(user, provider));
    await repo.recordUse('b', 'p1', NOW + 50);
    await repo.recordUse('b', 'p1', NOW + 20);
    assert.equal((await repo.get('b', 'p1'))!.used_at, NOW + 50, 'an older record does not undo a newer one');
    await repo.markBroken('c', 'p1', 'refused');
    at = NOW + 10;
    await repo.saveTokens('d', 'p1', row('d', 'p1').tokens);
    assert.equal((await repo.get('d', 'p1'))!.used_at, NOW + 10, 'a refresh is a use');
    const key = (c: { user_id: string; provider_id: string }) => `${c.user_id}/${c.provider_id}`;
    const first = await repo.idle(NOW + 100, 2);
    const second = await repo.idle(NOW + 100, 2, first[1]);
    const third = await repo.idle(NOW + 100, 2, second[1]);
    assert.deepEqual(
      [first, second, third].map((page) => page.map(key)),
      [['a/p1', 'a/p2'], ['d/p1', 'b/p1'], []],
    );
    assert.deepEqual((await repo.idle(NOW + 20, 10)).map(key), ['a/p1', 'a/p2', 'd/p1']);
  });
});
