// Setup against the wrong storage on a real Mattermost: the service's
// installation lives in PostgreSQL; `oauth2-connect setup` run with only the
// Mattermost settings (so it opens the SQLite file of another APP_DATA_DIR)
// says which storage it opened, refuses to touch the bot token or the sign-in
// secret, and the live bot token keeps working. `--force` then takes over.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/index.js';
import type { Installation } from '../../src/hosts/standalone/ports.js';
import { BOT_USERNAME, INSTALLATION_ID_PROP } from '../../src/hosts/standalone/setup/names.js';
import { openSetupStore } from '../../src/hosts/standalone/setup/setup_store.js';
import { MemoryInstallationStore } from '../support/memory_installation_store.js';
import { createScratch, type Scratch } from '../support/standalone_db.js';
import { ensureBuilt } from './harness/build.js';
import { startStandaloneWorld, type StandaloneWorld } from './harness/standalone_world.js';
import { startCommandStub, type CommandStub } from './standalone_stub.js';

describe('standalone setup against another storage than the service’s (real Mattermost)', { timeout: 10 * 60_000 }, () => {
  let w: StandaloneWorld;
  let stub: CommandStub;
  let live: Scratch;
  let liveUrl: string;
  const otherDataDir = mkdtempSync(join(tmpdir(), 'setup-other-storage-'));
  const encryptionKey = randomBytes(32).toString('base64');
  const baseEnv = () => ({ APP_MATTERMOST_URL: w.server.url, APP_ROOT_URL: stub.url, APP_ENCRYPTION_KEY: encryptionKey, MM_ADMIN_TOKEN: w.admin.token });
  // The service's storage: PostgreSQL, its URL with a password (trust auth ignores it) that must never be printed.
  const liveEnv = () => ({ ...baseEnv(), DATABASE_URL: liveUrl });
  const otherEnv = () => ({ ...baseEnv(), APP_DATA_DIR: otherDataDir });

  function npmSetup(env: Record<string, string>, args: string[] = []): { status: number | null; output: string } {
    const run = spawnSync('npm', ['run', '--silent', 'setup', ...(args.length > 0 ? ['--', ...args] : [])], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  }

  async function installationIn(env: Record<string, string>): Promise<Installation | undefined> {
    const opened = await openSetupStore(loadConfig(env));
    return opened.store.getInstallation().finally(() => opened.close());
  }

  /** GET /api/v4/users/me with the bot token: its status. */
  const botTokenStatus = async (token: string) =>
    (await fetch(`${w.server.directUrl}/api/v4/users/me`, { headers: { Authorization: `Bearer ${token}` } })).status;

  const namedOnBot = async () =>
    (await w.admin.client.json<{ props?: Record<string, string> }>('GET', `/api/v4/users/username/${BOT_USERNAME}`)).props?.[INSTALLATION_ID_PROP];

  before(async () => {
    w = await startStandaloneWorld(await ensureBuilt());
    stub = await startCommandStub(new MemoryInstallationStore());
    live = await createScratch('postgres');
    const url = new URL((live.settings as { url: string }).url);
    url.password = 'pg-password-never-shown';
    liveUrl = url.toString();
  });
  after(async () => {
    rmSync(otherDataDir, { recursive: true, force: true });
    await live?.dispose();
    await stub?.close();
    await w?.stop();
  });

  it("when setup runs on the service's PostgreSQL, then it says so (password masked) and the installation and the bot name one id", async () => {
    const run = npmSetup(liveEnv());
    assert.equal(run.status, 0, run.output);
    assert.match(run.output, /^Storage: PostgreSQL postgres:\/\/postgres:\*\*\*\*@127\.0\.0\.1:5432\//m);
    assert.doesNotMatch(run.output, /pg-password-never-shown/);
    const installation = (await installationIn(liveEnv()))!;
    assert.ok(installation.installation_id);
    assert.equal(await namedOnBot(), installation.installation_id);
    assert.equal(await botTokenStatus(installation.bot_token), 200);
  });

  it('when setup runs with another storage (the SQLite file of another APP_DATA_DIR), then it refuses, changes nothing, and the live bot token still works', async () => {
    const installation = (await installationIn(liveEnv()))!;
    const run = npmSetup(otherEnv());
    assert.equal(run.status, 1, run.output);
    assert.match(run.output, new RegExp(`^Storage: SQLite file ${otherDataDir}/`, 'm'));
    assert.match(
      run.output,
      new RegExp(
        `Mattermost names installation ${installation.installation_id} \\(on @${BOT_USERNAME}\\), but the storage opened \\(SQLite file ${otherDataDir}/\\S+\\) holds no installation`,
      ),
    );
    assert.match(run.output, /point DATABASE_URL \(PostgreSQL\) or APP_DATA_DIR \(SQLite\) at the storage the running service uses/);
    assert.match(run.output, /nothing was changed/);
    assert.doesNotMatch(run.output, /done: /);
    assert.equal(await botTokenStatus(installation.bot_token), 200, 'the live bot token still works');
    assert.deepEqual(await installationIn(liveEnv()), installation);
    assert.equal(await installationIn(otherEnv()), undefined);
    assert.equal(await namedOnBot(), installation.installation_id);
  });

  it('when setup runs there with --force, then that storage takes the installation over: a new id and token, the old token refused', async () => {
    const old = (await installationIn(liveEnv()))!;
    const run = npmSetup(otherEnv(), ['--force']);
    assert.equal(run.status, 0, run.output);
    const taken = (await installationIn(otherEnv()))!;
    assert.notEqual(taken.installation_id, old.installation_id);
    assert.equal(await namedOnBot(), taken.installation_id);
    assert.equal(await botTokenStatus(taken.bot_token), 200);
    assert.equal(await botTokenStatus(old.bot_token), 401);
    const removed = npmSetup(otherEnv(), ['--remove']);
    assert.equal(removed.status, 0, removed.output);
    assert.equal(await namedOnBot(), undefined, '--remove clears the id from the bot');
  });
});
