/**
 * The Apps host on a listener of its own (APP_APPS_PORT): the Apps calls and
 * manifest answer only there, the standalone host's command and pages only on
 * the main listener, so one can stay private while the other is public.
 * Without the option both share one listener, as before. Also `npm start`
 * (src/main.ts) listening on both and stopping both on SIGTERM.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/index.js';
import { createMemoryLogger } from '../../src/log/logger.js';
import { startService, type RunningService } from '../../src/service.js';

const APPS_ROOT_URL = 'http://127.0.0.1:4999';

async function serve(app: RequestListener): Promise<{ url: string; server: Server }> {
  const server = await new Promise<Server>((resolve) => {
    const s = createServer(app).listen(0, '127.0.0.1', () => resolve(s));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    APP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    APP_DATA_DIR: mkdtempSync(join(tmpdir(), 'apps-listener-')),
    APP_MATTERMOST_URL: 'http://127.0.0.1:9',
    ...extra,
  };
}

const ping = (url: string) => fetch(`${url}/ping`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
const command = (url: string) => fetch(`${url}/standalone/command`, { method: 'POST', body: new URLSearchParams({ token: 'x', team_id: 't', text: 'help' }) });

describe('the Apps host on a listener of its own', () => {
  let service: RunningService;
  let main: { url: string; server: Server };
  let apps: { url: string; server: Server };

  before(async () => {
    service = await startService(loadConfig(env({ APP_APPS_PORT: '4999', APP_APPS_ROOT_URL: APPS_ROOT_URL })), { logger: createMemoryLogger() });
    assert.ok(service.appsApp, 'the service builds an app for the Apps listener');
    main = await serve(service.app);
    apps = await serve(service.appsApp);
  });
  after(async () => {
    main.server.close();
    apps.server.close();
    await service.close();
  });

  it('when APP_APPS_PORT is set, then the Apps manifest and calls answer on the Apps listener, with its URL as root_url', async () => {
    const manifest = await fetch(`${apps.url}/manifest.json`);
    assert.equal(manifest.status, 200);
    assert.equal(((await manifest.json()) as { http: { root_url: string } }).http.root_url, APPS_ROOT_URL);
    const answer = await ping(apps.url);
    assert.equal(answer.status, 200);
    assert.equal(((await answer.json()) as { type: string }).type, 'ok');
  });

  it('when APP_APPS_PORT is set, then the main listener answers 404 to the Apps manifest and calls (no handler, no JWT check)', async () => {
    assert.equal((await fetch(`${main.url}/manifest.json`)).status, 404);
    assert.equal((await ping(main.url)).status, 404);
    assert.equal((await fetch(`${main.url}/static/icon.png`)).status, 404);
  });

  it('when APP_APPS_PORT is set, then the standalone command and pages answer only on the main listener', async () => {
    const refused = await command(main.url);
    assert.equal(refused.status, 401, 'the standalone host checks the command token on the main listener');
    assert.match(((await refused.json()) as { text: string }).text, /Unauthorized/);
    assert.equal((await fetch(`${main.url}/standalone/connect?l=abc`)).status, 400);
    // On the Apps listener every POST is an Apps call: the answer is the Apps host's (a call response), not a command's.
    const elsewhere = (await (await command(apps.url)).json()) as Record<string, unknown>;
    assert.equal(elsewhere.type, 'error');
    assert.equal(elsewhere.response_type, undefined);
    assert.equal((await fetch(`${apps.url}/standalone/connect?l=abc`)).status, 404);
  });

  it('when APP_APPS_PORT is set, then each listener answers /healthz', async () => {
    assert.equal((await fetch(`${main.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${apps.url}/healthz`)).status, 200);
  });
});

describe('the Apps host without a listener of its own', () => {
  it('when APP_APPS_PORT is unset, then one listener serves both hosts', async () => {
    const service = await startService(loadConfig(env()), { logger: createMemoryLogger() });
    const main = await serve(service.app);
    try {
      assert.equal(service.appsApp, undefined);
      assert.equal((await fetch(`${main.url}/manifest.json`)).status, 200);
      assert.equal((await ping(main.url)).status, 200);
      assert.equal((await command(main.url)).status, 401);
    } finally {
      main.server.close();
      await service.close();
    }
  });
});

describe('npm start with APP_APPS_PORT', () => {
  it('when APP_APPS_PORT is set, then it listens on both ports and SIGTERM stops both', async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const appsPort = port + 1;
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../../src/main.ts', import.meta.url))], {
      env: { ...process.env, ...env({ PORT: String(port), APP_APPS_PORT: String(appsPort) }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      for (let i = 0; i < 300 && (output.match(/"listening"/g) ?? []).length < 2 && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal((output.match(/"listening"/g) ?? []).length, 2, output);
      assert.equal((await fetch(`http://127.0.0.1:${appsPort}/manifest.json`)).status, 200);
      assert.equal((await fetch(`http://127.0.0.1:${port}/manifest.json`)).status, 404);
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      await assert.rejects(fetch(`http://127.0.0.1:${appsPort}/healthz`));
    } finally {
      child.kill('SIGKILL');
    }
  });
});
