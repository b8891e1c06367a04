/**
 * The standalone host inside the real service (src/service.ts startService,
 * src/main.ts): /healthz, the command token check through the whole app, the
 * "not set up" answers without APP_MATTERMOST_URL, and storage on SQLite and
 * on the machine's PostgreSQL (a database of its own, dropped after).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/index.js';
import { createMemoryLogger } from '../../src/log/logger.js';
import { startService, type RunningService } from '../../src/service.js';
import { hashCommandToken } from '../../src/hosts/standalone/commands/command_token.js';
import { createScratch, type Scratch } from '../support/standalone_db.js';
import { TcpProxy } from '../support/tcp_proxy.js';
import { startFakeMattermost } from '../support/standalone/fake_mattermost.js';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
/** The repository's tsconfig: its paths lead the packages' names to their sources when the service runs elsewhere. */
const TSCONFIG = fileURLToPath(new URL('../../tsconfig.json', import.meta.url));

/** Runs src/main.ts as `npm start` does, in an empty folder with no configuration but the port. */
async function startBare(port: number) {
  const cwd = mkdtempSync(join(tmpdir(), 'bare-start-'));
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: cwd, PORT: String(port), TSX_TSCONFIG_PATH: TSCONFIG };
  const child = spawn(process.execPath, ['--import', TSX, MAIN], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  for (let i = 0; i < 300 && !output.includes('"listening"') && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
  return { cwd, child, exited, output: () => output };
}

async function listen(service: RunningService): Promise<{ url: string; server: Server }> {
  const server = await new Promise<Server>((resolve) => {
    const s = service.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function command(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(`${url}/standalone/command`, { method: 'POST', body: new URLSearchParams(fields) });
}

describe('npm start with no configuration at all', () => {
  it('serves both hosts on an embedded SQLite file created 0600, says the standalone host is not set up, and stops on SIGTERM', async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const { cwd, child, exited, output } = await startBare(port);
    try {
      assert.match(output(), /"listening"/, output());
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      assert.equal(health.status, 200);
      const body = (await health.json()) as { hosts: string[]; storage: string };
      assert.deepEqual(body, { status: 'ok', hosts: ['apps', 'standalone'], storage: 'sqlite' });
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      assert.equal(ready.status, 503);
      assert.deepEqual(((await ready.json()) as { failing: string[] }).failing, ['installation', 'mattermost'], 'not set up');
      assert.equal(statSync(join(cwd, '.data', 'oauth2-connect.sqlite')).mode & 0o777, 0o600);
      assert.match(output(), /WARNING: the standalone host is not set up: set APP_MATTERMOST_URL/);
      const refused = await command(`http://127.0.0.1:${port}`, { token: 'x', team_id: 't', user_id: 'u', text: 'help' });
      assert.equal(refused.status, 503);
      assert.match(((await refused.json()) as { text: string }).text, /set APP_MATTERMOST_URL .* run oauth2-connect setup/);
      const page = await fetch(`http://127.0.0.1:${port}/standalone/connect?l=abc`);
      assert.match(await page.text(), /not set up/);
      assert.equal((await fetch(`http://127.0.0.1:${port}/manifest.json`)).status, 200, 'the Apps host still serves its manifest');
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

for (const backend of ['sqlite', 'postgres'] as const) {
  describe(`the standalone host in the service [${backend}]`, () => {
    const scratchReady: Promise<Scratch> = createScratch(backend);
    const mmReady = startFakeMattermost('http://127.0.0.1:9/standalone/signin/callback');
    after(async () => {
      await (await scratchReady).dispose();
      await (await mmReady).close();
    });

    async function start(extraEnv: Record<string, string> = {}) {
      const scratch = await scratchReady;
      const env: Record<string, string> = {
        APP_MATTERMOST_URL: (await mmReady).url,
        APP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        APP_DATA_DIR: mkdtempSync(join(tmpdir(), 'svc-')),
        ...(scratch.settings.kind === 'postgres' ? { DATABASE_URL: scratch.settings.url } : {}),
        ...extraEnv,
      };
      if (scratch.settings.kind === 'sqlite') env.APP_DATA_DIR = dirname(scratch.settings.file);
      const service = await startService(loadConfig(env), { logger: createMemoryLogger() });
      const http = await listen(service);
      return { service, ...http, close: async () => (http.server.close(), await service.close()) };
    }

    it('when a command comes without a token or with a wrong one, then it answers 401 and nothing runs', async () => {
      const { service, url, close } = await start();
      try {
        const teamId = 'a'.repeat(26);
        await service.standalone!.repositories.installation.saveCommand({
          team_id: teamId,
          command_id: 'c1',
          token_hash: hashCommandToken('right-token'),
          updated_at: 0,
        });
        const mm = await mmReady;
        const user = 'b'.repeat(26);
        const base = { team_id: teamId, user_id: user, user_name: 'alice', command: '/oauth2', text: 'providers', channel_id: 'c'.repeat(26) };
        const signed = (fields: Record<string, string>) => ({ ...fields, trigger_id: mm.signer.sign(user) });
        assert.equal((await command(url, signed(base))).status, 401);
        assert.equal((await command(url, signed({ ...base, token: 'wrong-token' }))).status, 401);
        const unplaced = await command(url, signed({ ...base, team_id: 'd'.repeat(26), token: 'right-token' }));
        assert.equal(unplaced.status, 200, 'a genuine request for a team without a command');
        assert.match(((await unplaced.json()) as { text: string }).text, /not set up for this team/);
        assert.equal((await command(url, { ...base, token: 'right-token' })).status, 401, 'the right token without a signed trigger');
        const ok = await command(url, signed({ ...base, token: 'right-token' }));
        assert.equal(ok.status, 200);
        assert.doesNotMatch(((await ok.json()) as { text: string }).text, /Unauthorized|went wrong/);
        const health = (await (await fetch(`${url}/healthz`)).json()) as { storage: string };
        assert.equal(health.storage, backend);
      } finally {
        await close();
      }
    });

    it('when only the standalone host runs, then the Apps paths are gone and /healthz names one host', async () => {
      const { url, close } = await start({ APP_HOSTS: 'standalone' });
      try {
        assert.deepEqual(((await (await fetch(`${url}/healthz`)).json()) as { hosts: string[] }).hosts, ['standalone']);
        assert.equal((await fetch(`${url}/manifest.json`)).status, 404);
      } finally {
        await close();
      }
    });
  });
}

describe('/healthz and /readyz of the service when PostgreSQL goes away', () => {
  const scratchReady = createScratch('postgres');
  after(async () => (await scratchReady).dispose());

  it('/readyz names the database while it is unreachable and not once it is back; /healthz stays 200', async () => {
    const scratch = await scratchReady;
    const target = new URL(scratch.settings.kind === 'postgres' ? scratch.settings.url : '');
    const proxy = new TcpProxy({ host: '127.0.0.1', port: Number(target.port) });
    await proxy.start();
    const env = {
      APP_HOSTS: 'standalone',
      APP_MATTERMOST_URL: 'http://127.0.0.1:9',
      APP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      DATABASE_URL: `postgres://postgres@127.0.0.1:${proxy.port}${target.pathname}`,
    };
    const service = await startService(loadConfig(env), { logger: createMemoryLogger() });
    const { url, server } = await listen(service);
    try {
      const failing = async () => ((await (await fetch(`${url}/readyz`)).json()) as { failing: string[] }).failing;
      assert.ok(!(await failing()).includes('database'));
      await proxy.stop();
      assert.ok((await failing()).includes('database'));
      assert.equal((await fetch(`${url}/healthz`)).status, 200, 'the process answers');
      await proxy.start();
      let down = true;
      for (let attempt = 0; attempt < 10 && down; attempt++) down = (await failing()).includes('database');
      assert.equal(down, false);
    } finally {
      server.close();
      await service.close();
      await proxy.stop();
    }
  });
});
