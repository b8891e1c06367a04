/**
 * `oauth2-connect backup` and `restore` around the running service on its
 * SQLite file: a backup taken while users connect and refresh, a restore that
 * refuses while the service has the database open, then one into a fresh
 * APP_DATA_DIR, the service started there, and every user connected before the
 * backup still served with their token. No key and no token in any output.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, PROVIDER_ID, type Cluster, type CommandAnswer } from '../support/replicas/cluster.js';
import { runCommandLine, type CommandLineResult } from '../support/replicas/command_line.js';
import type { FakeUser } from '../support/standalone/fake_mattermost.js';

const BEFORE = 20;
const DURING = 10;
/** Below the service's 60 s refresh margin: every whoami refreshes. */
const EXPIRING_TTL_S = 30;

const started = Date.now();
const progress = (line: string) => process.stderr.write(`[backup +${((Date.now() - started) / 1000).toFixed(1)}s] ${line}\n`);
const login = (user: FakeUser) => `${user.username}-op`;
const whoamiOk = (answer: CommandAnswer, user: FakeUser) => answer.status === 200 && answer.text.includes(`you are **${login(user)}**`);
const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('backup under load and restore into a fresh data folder [sqlite]', () => {
  let cluster: Cluster;
  let folder: string;
  const outputs: CommandLineResult[] = [];
  const earlier: FakeUser[] = [];
  const run = async (args: string[], env: Record<string, string> = cluster.env) => {
    const result = await runCommandLine(args, env);
    outputs.push(result);
    return result;
  };

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'backup-'));
    // A rotated refresh token stays usable for a while (Okta's grace period, Auth0's reuse interval): a
    // restored connection whose token was refreshed after the backup refreshes again with the token it holds.
    cluster = await startCluster({ storage: 'sqlite', replicas: 1, provider: { accessTokenTtlSeconds: EXPIRING_TTL_S, refreshReuseGraceSeconds: 600 } });
  });
  after(async () => {
    await cluster?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('when a backup is taken while users connect and refresh, then it completes with what it copied and the key reminder, and every request meanwhile is served', async () => {
    for (let i = 0; i < BEFORE; i += 1) earlier.push(cluster.mm.addUser(`early${i}`));
    const pages = await Promise.all(earlier.map((user) => cluster.connect(user, login(user))));
    assert.equal(pages.filter((p) => /Connected to Test OIDC/.test(p.text)).length, BEFORE);

    const later = Array.from({ length: DURING }, (_, i) => cluster.mm.addUser(`late${i}`));
    const connects = Promise.all(later.map((user) => cluster.connect(user, login(user))));
    const refreshes = Promise.all(earlier.map((user) => cluster.command(user, `whoami ${PROVIDER_ID}`)));
    const backup = await run(['backup', join(folder, 'connect.sqlite')]);
    const [connected, answers] = await Promise.all([connects, refreshes]);
    progress(`backup exit ${backup.code}:\n${backup.output}`);
    assert.equal(backup.code, 0, backup.output);
    assert.deepEqual(
      earlier.filter((user, i) => !whoamiOk(answers[i]!, user)).map((u) => u.username),
      [],
      'every whoami during the backup worked',
    );
    assert.equal(connected.filter((p) => /Connected to Test OIDC/.test(p.text)).length, DURING, 'every connect during the backup worked');
    const copied = Number(/(\d+) connection\(s\)/.exec(backup.output)?.[1]);
    assert.ok(copied >= BEFORE && copied <= BEFORE + DURING, `the backup holds the connections made before it, at least (${copied})`);
    assert.match(backup.output, /1 provider\(s\)/);
    assert.match(backup.output, /the installation \(bot token and sign-in secret\)/);
    assert.match(backup.output, /sealed values under key k1 \(\d+\)/);
    assert.match(backup.output, /Keep the encryption key with the backup/);
    assert.equal(statSync(join(folder, 'connect.sqlite')).mode & 0o777, 0o600, 'the backup is readable by its owner only');
  });

  it('when the backup file exists, then backup refuses without --force and leaves it as it was', async () => {
    const file = join(folder, 'connect.sqlite');
    const was = digest(file);
    const again = await run(['backup', file]);
    assert.equal(again.code, 1);
    assert.match(again.output, /exists; nothing was written\. Give --force to replace it\./);
    assert.equal(digest(file), was);
  });

  it('when restore is run while the service has the database open, then it refuses and the service goes on', async () => {
    const refused = await run(['restore', join(folder, 'connect.sqlite')]);
    assert.equal(refused.code, 1);
    assert.match(refused.output, /is open in another process \(the service is running\).*Nothing was changed\./);
    assert.ok(whoamiOk(await cluster.command(earlier[0]!, `whoami ${PROVIDER_ID}`), earlier[0]!));
  });

  it('when the backup is restored into a fresh data folder and the service starts there, then every user connected before the backup is served with their token', async () => {
    const fresh = join(folder, 'fresh');
    const restored = await run(['restore', join(folder, 'connect.sqlite')], { ...cluster.env, APP_DATA_DIR: fresh });
    progress(`restore exit ${restored.code}:\n${restored.output}`);
    assert.equal(restored.code, 0, restored.output);
    assert.match(restored.output, /Restored .* as .*fresh\/oauth2-connect\.sqlite: 1 provider\(s\)/);
    assert.doesNotMatch(restored.output, /replaced/, 'a fresh folder had no database to keep');

    const [replica] = cluster.replicas;
    await replica!.stop();
    replica!.setEnv({ APP_DATA_DIR: fresh });
    await replica!.start();
    const answers = await Promise.all(earlier.map((user) => cluster.command(user, `whoami ${PROVIDER_ID}`)));
    assert.deepEqual(
      earlier.filter((user, i) => !whoamiOk(answers[i]!, user)).map((u) => `${u.username}: ${answers[earlier.indexOf(u)]!.text.slice(0, 120)}`),
      [],
      'every user connected before the backup is served from the restored database',
    );
  });

  it('then no command output and no log line holds the key, a token or the client secret', () => {
    const key = cluster.env.APP_ENCRYPTION_KEY!;
    const tokens = cluster.op.issued.flatMap((t) => [t.access_token, t.refresh_token ?? '']).filter(Boolean);
    assert.ok(tokens.length > BEFORE);
    const secrets = [key, Buffer.from(key, 'base64').toString('base64url'), ...tokens, cluster.op.clients.post.client_secret!];
    for (const text of [...outputs.map((o) => o.output), ...cluster.replicas.map((r) => r.output())]) {
      assert.equal(secrets.filter((secret) => text.includes(secret)).length, 0, 'a secret appears in an output or a log');
    }
  });
});
