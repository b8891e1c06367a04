/**
 * The keep-alive pass across three replicas of the built service on one
 * PostgreSQL database: connections made through the real connect flow, most
 * of them last used 40 days ago and one just now; the replicas restart
 * together with the pass on, each asks for it within seconds of starting, and
 * the provider sees exactly one refresh per idle connection and none for the
 * recent one; one replica logs the one pass, and every user's whoami still
 * works with the rotated tokens.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, PROVIDER_ID, type Cluster } from '../support/replicas/cluster.js';
import type { FakeUser } from '../support/standalone/fake_mattermost.js';

const IDLE_USERS = 6;
const DAY = 86_400_000;
/** Each replica asks for the pass within 10 s of starting: this covers all three asks and the pass. */
const ASKS_WITHIN_MS = 15_000;

const login = (user: FakeUser) => `${user.username}-op`;
const refreshesOf = (cluster: Cluster, user: FakeUser) => cluster.op.issued.filter((t) => t.grant === 'refresh_token' && t.account === login(user)).length;
const passLines = (cluster: Cluster, offsets: number[]) =>
  cluster.replicas.flatMap((replica, i) =>
    replica
      .output()
      .slice(offsets[i])
      .split('\n')
      .filter((line) => line.includes('"keep-alive pass"')),
  );

describe('keep-alive pass across 3 replicas [postgres]', () => {
  let cluster: Cluster;

  before(async () => {
    cluster = await startCluster({ replicas: 3, env: { APP_KEEP_ALIVE_IDLE_DAYS: '0' } });
  });
  after(async () => {
    await cluster?.close();
  });

  it('when the replicas start together with idle connections, then each idle one is refreshed exactly once and the recent one not at all', async () => {
    const idle = Array.from({ length: IDLE_USERS }, (_, i) => cluster.mm.addUser(`idle${i}`));
    const recent = cluster.mm.addUser('recent');
    for (const user of [...idle, recent]) assert.match((await cluster.connect(user, login(user))).text, /Connected to Test OIDC/);
    await cluster.database.db
      .updateTable('connections')
      .set({ used_at: Date.now() - 40 * DAY })
      .where(
        'user_id',
        'in',
        idle.map((u) => u.id),
      )
      .execute();
    const before = new Map([...idle, recent].map((user) => [user, refreshesOf(cluster, user)]));
    assert.deepEqual(passLines(cluster, [0, 0, 0]), [], 'with 0 idle days no replica runs a pass');

    await Promise.all(cluster.replicas.map((replica) => replica.stop()));
    const offsets = cluster.replicas.map((replica) => replica.output().length);
    for (const replica of cluster.replicas) replica.setEnv({ APP_KEEP_ALIVE_IDLE_DAYS: '30', APP_KEEP_ALIVE_PER_MINUTE: '600' });
    await Promise.all(cluster.replicas.map((replica) => replica.start()));
    const started = Date.now();
    while (Date.now() - started < ASKS_WITHIN_MS || passLines(cluster, offsets).length === 0) {
      if (Date.now() - started > 60_000) throw new Error('no replica ran the pass within a minute');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    assert.deepEqual(
      idle.map((user) => refreshesOf(cluster, user) - before.get(user)!),
      idle.map(() => 1),
      'one refresh per idle connection at the provider',
    );
    assert.equal(refreshesOf(cluster, recent), before.get(recent), 'the recently used connection was not refreshed');
    const lines = passLines(cluster, offsets);
    assert.equal(lines.length, 1, `one pass across the replicas:\n${lines.join('\n')}`);
    assert.match(lines[0]!, /"refreshed":6,"failedForGood":0,"failedForNow":0,"skipped":0/);
    const rows = await cluster.database.db.selectFrom('connections').select(['user_id', 'used_at', 'broken']).execute();
    for (const row of rows) assert.ok(Number(row.used_at) >= Date.now() - DAY && row.broken === null, `${row.user_id} is fresh and unbroken`);
    for (const user of [...idle, recent])
      assert.match((await cluster.command(user, `whoami ${PROVIDER_ID}`)).text, new RegExp(`you are \\*\\*${login(user)}\\*\\*`));
  });
});
