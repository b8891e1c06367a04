/**
 * `oauth2-connect rotate-key` on a running service: the replicas (two on
 * PostgreSQL, one process on SQLite) are restarted with a new current key and
 * the old one as a previous key, users' whoami keeps refreshing their tokens
 * (the provider rotates refresh tokens and revokes the grant on any reuse, so a
 * stale token written back by the rotation would break that user), the
 * rotation runs beside them, and then the replicas start without the previous
 * key and every user's whoami still works. No key and no token in any output.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { startCluster, PROVIDER_ID, type Cluster, type CommandAnswer } from '../support/replicas/cluster.js';
import { runCommandLine, type CommandLineResult } from '../support/replicas/command_line.js';
import type { FakeUser } from '../support/standalone/fake_mattermost.js';

const USERS = 30;
/** Below the service's 60 s refresh margin: every whoami refreshes. */
const EXPIRING_TTL_S = 30;
const WORKERS = 3;

const started = Date.now();
const progress = (line: string) => process.stderr.write(`[rotate-key +${((Date.now() - started) / 1000).toFixed(1)}s] ${line}\n`);
const login = (user: FakeUser) => `${user.username}-op`;
const whoamiOk = (answer: CommandAnswer, user: FakeUser) => answer.status === 200 && answer.text.includes(`you are **${login(user)}**`);

/** whoami for `users` in turn on `workers` parallel loops until stopped; the answers that were not right. */
function whoamiLoad(cluster: Cluster, users: FakeUser[]) {
  let running = true;
  let done = 0;
  const failures: string[] = [];
  const loops = Array.from({ length: WORKERS }, async (_, w) => {
    for (let i = w; running; i += WORKERS) {
      const user = users[i % users.length]!;
      const answer = await cluster.command(user, `whoami ${PROVIDER_ID}`);
      if (!whoamiOk(answer, user)) failures.push(`${user.username}: ${answer.status} ${answer.text.slice(0, 200)}`);
      done += 1;
    }
  });
  return {
    get done() {
      return done;
    },
    async stop() {
      running = false;
      await Promise.all(loops);
      return failures;
    },
  };
}

/** Every table's rows, as the database holds them, that carry a value sealed with `keyId` anywhere (in any column, JSON included). */
async function sealedAnywhereWith(cluster: Cluster, keyId: string): Promise<string[]> {
  const db = cluster.database.db;
  const tables =
    cluster.database.kind === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)
      : await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(db);
  const found: string[] = [];
  for (const { name } of tables.rows) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db);
    for (const row of rows.rows) if (new RegExp(`v[12]\\.${keyId}\\.`).test(JSON.stringify(row))) found.push(name);
  }
  return found;
}

async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

for (const [storage, replicas] of [
  ['postgres', 2],
  ['sqlite', 1],
] as const) {
  describe(`rotate-key while ${replicas} replica(s) serve refreshes [${storage}]`, () => {
    let cluster: Cluster;
    const users: FakeUser[] = [];
    const outputs: CommandLineResult[] = [];
    /** APP_ENCRYPTION_KEY before and after. */
    const keys: string[] = [];

    before(async () => {
      cluster = await startCluster({ storage, replicas, provider: { accessTokenTtlSeconds: EXPIRING_TTL_S } });
    });
    after(async () => {
      await cluster?.close();
    });

    it('when the key is rotated under load, then no refresh is lost, the check says the previous key can go, and without it every user’s whoami works', async () => {
      for (let i = 0; i < USERS; i += 1) users.push(cluster.mm.addUser(`user${i}`));
      const pages = await Promise.all(users.map((user) => cluster.connect(user, login(user))));
      assert.deepEqual(
        pages.filter((p) => !/Connected to Test OIDC/.test(p.text)).map((p) => p.status),
        [],
      );
      progress(`${USERS} users connected under k1`);

      const oldKey = cluster.env.APP_ENCRYPTION_KEY!;
      const newKey = randomBytes(32).toString('base64');
      keys.push(oldKey, newKey);
      const rotating = { APP_ENCRYPTION_KEY: newKey, APP_ENCRYPTION_KEY_ID: 'k2', APP_PREVIOUS_ENCRYPTION_KEYS: `k1:${oldKey}` };
      for (const replica of cluster.replicas) {
        await replica.stop();
        replica.setEnv(rotating);
        await replica.start();
      }
      const env = { ...cluster.env, ...rotating };
      progress('replicas restarted with k2 current and k1 previous');

      assert.ok((await sealedAnywhereWith(cluster, 'k1')).length > USERS, 'the database holds values sealed with k1');
      const before = await runCommandLine(['rotate-key', '--check'], env);
      outputs.push(before);
      assert.equal(before.code, 1, before.output);
      assert.match(before.output, new RegExp(`user tokens: 0 under k2, ${USERS} under previous keys \\(k1: ${USERS}\\)`));
      assert.match(before.output, /provider client secrets: 0 under k2, 1 under previous keys \(k1: 1\)/);
      // The service re-seals the installation's settings itself when it reads them under a previous key (at start).

      // Half the users keep refreshing through the run; the rotation re-seals the others' rows, and races theirs.
      const load = whoamiLoad(cluster, users.slice(0, USERS / 2));
      await until('the load is under way', () => load.done >= 5);
      const rotation = await runCommandLine(['rotate-key', '--batch-size', '4'], env);
      outputs.push(rotation);
      const doneDuring = load.done;
      await until('the load went on after the rotation', () => load.done >= doneDuring + 5);
      const failures = await load.stop();
      progress(`rotation exit ${rotation.code}, ${load.done} whoami meanwhile:\n${rotation.output}`);
      assert.deepEqual(failures, [], 'every whoami during the rotation answered with the account');
      assert.equal(rotation.code, 0, rotation.output);
      const resealed = Number(/user tokens: (\d+) re-sealed under k2/.exec(rotation.output)?.[1]);
      assert.ok(resealed >= USERS / 2, `the rotation re-sealed the idle users' tokens at least (${resealed})`);
      assert.match(rotation.output, /provider client secrets: 1 re-sealed under k2/);
      assert.match(rotation.output, /bot token: (1 re-sealed under k2, 0|0 re-sealed under k2, 1) already under it/);
      assert.match(rotation.output, /sign-in app secret: (1 re-sealed under k2, 0|0 re-sealed under k2, 1) already under it/);
      assert.match(rotation.output, /APP_PREVIOUS_ENCRYPTION_KEYS can be emptied/);

      const check = await runCommandLine(['rotate-key', '--check'], env);
      outputs.push(check);
      assert.equal(check.code, 0, check.output);
      assert.match(check.output, new RegExp(`user tokens: ${USERS} under k2, 0 under previous keys`));
      assert.match(check.output, /bot token: 1 under k2, 0 under previous keys/);
      assert.match(check.output, /sign-in app secret: 1 under k2, 0 under previous keys/);
      assert.match(check.output, /Nothing is sealed under a previous key: APP_PREVIOUS_ENCRYPTION_KEYS can be emptied/);
      assert.deepEqual(await sealedAnywhereWith(cluster, 'k1'), [], 'no value sealed with k1 is left anywhere in the database');

      for (const replica of cluster.replicas) {
        await replica.stop();
        replica.setEnv({ APP_PREVIOUS_ENCRYPTION_KEYS: undefined });
        await replica.start();
      }
      progress('replicas restarted with k2 only');
      const answers = await Promise.all(users.map((user) => cluster.command(user, `whoami ${PROVIDER_ID}`)));
      assert.deepEqual(
        users.filter((user, i) => !whoamiOk(answers[i]!, user)).map((u) => u.username),
        [],
        'every user’s whoami works without the previous key',
      );
      // A new connect signs in with Mattermost: the installation's sealed settings open with k2 alone too.
      const fresh = cluster.mm.addUser('newcomer');
      assert.match((await cluster.connect(fresh, login(fresh))).text, /Connected to Test OIDC/);
    });

    it('then no command output and no log line holds a key, a token or the client secret', () => {
      const tokens = cluster.op.issued.flatMap((t) => [t.access_token, t.refresh_token ?? '']).filter(Boolean);
      assert.ok(tokens.length > USERS, 'the scan has the issued tokens to look for');
      const keyForms = keys.flatMap((key) => [key, Buffer.from(key, 'base64').toString('base64url'), Buffer.from(key, 'base64').toString('hex')]);
      const secrets = [...keyForms, ...tokens, cluster.op.clients.post.client_secret!];
      const texts = [...outputs.map((o) => o.output), ...cluster.replicas.map((r) => r.output())];
      for (const text of texts) assert.deepEqual(secrets.filter((secret) => text.includes(secret)).length, 0, 'a secret appears in an output or a log');
    });
  });
}
