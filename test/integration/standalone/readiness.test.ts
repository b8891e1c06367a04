/**
 * GET /readyz of the whole service (startService, PostgreSQL): 200 when the
 * database answers, its schema has every migration, the installation is
 * stored and Mattermost answers its ping; otherwise 503 naming each failing
 * check (never why: that goes to the log). /healthz stays 200 meanwhile: the
 * process answers. A command meanwhile says which of these is wrong.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { loadConfig } from '../../../src/config/index.js';
import { createMemoryLogger } from '../../../src/log/logger.js';
import { startService, type RunningService } from '../../../src/service.js';
import { hashCommandToken } from '../../../src/hosts/standalone/commands/command_token.js';
import { mattermostPing, PING_CACHE_MS, unreadiness } from '../../../src/hosts/standalone/service/readiness.js';
import { createScratch, type Scratch } from '../../support/standalone_db.js';
import { startFakeMattermost, type FakeMattermost } from '../../support/standalone/fake_mattermost.js';
import { seedInstallation } from '../../support/standalone/seed_installation.js';

const TEAM = 'a'.repeat(26);
const TOKEN = 'the-command-token';

describe('/readyz of the standalone service', () => {
  let scratch: Scratch;
  let service: RunningService;
  let server: Server;
  let url: string;
  let mm: FakeMattermost;
  const logger = createMemoryLogger();

  before(async () => {
    mm = await startFakeMattermost('http://127.0.0.1:9/standalone/signin/callback');
    scratch = await createScratch('postgres');
    const env = {
      APP_HOSTS: 'standalone',
      APP_MATTERMOST_URL: mm.url,
      APP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      DATABASE_URL: scratch.settings.kind === 'postgres' ? scratch.settings.url : '',
    };
    service = await startService(loadConfig(env), { logger });
    server = await new Promise<Server>((resolve) => {
      const s = service.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server?.close();
    await service?.close();
    await scratch?.dispose();
    await mm?.close();
  });

  const readyz = async () => {
    const res = await fetch(`${url}/readyz`);
    return { status: res.status, body: (await res.json()) as { status: string; failing?: string[] } };
  };
  const healthz = async () => (await fetch(`${url}/healthz`)).status;

  async function command(): Promise<string> {
    const user = 'b'.repeat(26);
    const form = new URLSearchParams({ token: TOKEN, team_id: TEAM, user_id: user, user_name: 'alice', command: '/oauth2', text: 'providers' });
    form.set('trigger_id', mm.signer.sign(user));
    const res = await fetch(`${url}/standalone/command`, { method: 'POST', body: form });
    return ((await res.json()) as { text: string }).text;
  }

  it('when setup has not stored the installation, then /readyz is 503 naming the installation, /healthz is 200', async () => {
    assert.deepEqual((await readyz()).body.failing, ['installation']);
    assert.equal((await readyz()).status, 503);
    assert.equal(await healthz(), 200);
  });

  it('when everything is in place, then /readyz is 200 ready', async () => {
    await seedInstallation(service.standalone!.database);
    assert.deepEqual(await readyz(), { status: 200, body: { status: 'ready', hosts: ['standalone'], storage: 'postgres' } });
  });

  it('when Mattermost stops answering its ping, then /readyz is 503 naming mattermost alone, and 200 again once it answers', async () => {
    const settle = () => new Promise((resolve) => setTimeout(resolve, PING_CACHE_MS + 200));
    mm.down = true;
    await settle();
    assert.deepEqual(await readyz(), { status: 503, body: { status: 'unavailable', hosts: ['standalone'], storage: 'postgres', failing: ['mattermost'] } });
    mm.down = false;
    await settle();
    assert.equal((await readyz()).status, 200);
  });

  it('when the database is emptied (no tables), then /readyz is 503 naming the schema, and a command says the database has no tables', async () => {
    await service.standalone!.repositories.installation.saveCommand({ team_id: TEAM, command_id: 'c1', token_hash: hashCommandToken(TOKEN), updated_at: 0 });
    await sql`drop schema public cascade`.execute(service.standalone!.database.db);
    await sql`create schema public`.execute(service.standalone!.database.db);
    const { status, body } = await readyz();
    assert.equal(status, 503);
    assert.deepEqual(body.failing, ['schema']);
    assert.match(await command(), /its database has no tables\. Ask an admin to run setup or start the service against the right database/);
    assert.equal(await healthz(), 200);
    assert.doesNotMatch(JSON.stringify(body), /kysely|migration|relation/, 'the answer holds no reason');
  });

  it('when the process is shutting down, then /healthz and /readyz are 503', async () => {
    service.stopping();
    assert.equal(await healthz(), 503);
    assert.deepEqual((await readyz()).body.failing, ['shutting_down']);
  });
});

describe('the Mattermost check of /readyz', () => {
  it('when Mattermost does not answer its ping, then the check fails; the answer is reused for a few seconds however often it is asked', async () => {
    const mm = await startFakeMattermost('http://127.0.0.1:9/cb');
    const clock = { now: 1_000_000 };
    try {
      const ping = mattermostPing({ mattermostUrl: mm.url, fetch, timeoutMs: 1000, now: () => clock.now });
      assert.equal(await ping(), undefined);
      mm.down = true;
      for (let i = 0; i < 20; i++) assert.equal(await ping(), undefined, 'the cached answer');
      assert.equal(mm.pings, 1, 'Mattermost was asked once');
      clock.now += PING_CACHE_MS;
      assert.match((await ping()) ?? '', /answered its ping with 503/);
      assert.equal(mm.pings, 2);
      await mm.close();
      clock.now += PING_CACHE_MS;
      assert.match((await ping()) ?? '', /did not answer its ping/);
    } finally {
      await mm.close();
    }
  });

  it('when Mattermost is down and all else is in place, then only the Mattermost check fails', async () => {
    const mm = await startFakeMattermost('http://127.0.0.1:9/cb');
    const scratch = await createScratch('sqlite');
    try {
      const database = await scratch.open();
      await seedInstallation(database);
      mm.down = true;
      const ping = mattermostPing({ mattermostUrl: mm.url, fetch, timeoutMs: 1000, now: Date.now });
      assert.deepEqual(
        (await unreadiness(database, ping, 1000)).map(({ check }) => check),
        ['mattermost'],
      );
    } finally {
      await scratch.dispose();
      await mm.close();
    }
  });
});
