/**
 * The hosts the real service serves on its own storage: with APP_HOSTS unset,
 * what setup recorded about the Apps plugin decides. No Apps plugin recorded:
 * no Apps routes (/ping, /manifest.json) and no warning about APP_JWT_SECRET,
 * even on a public address without it; the standalone host answers as ever.
 * An explicit APP_HOSTS always wins. The start-up line (npm start) says which
 * hosts and why.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { createMemoryLogger } from '../../src/log/logger.js';
import { startService, type RunningService } from '../../src/service.js';

const MATTERMOST = 'http://127.0.0.1:9';
const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A storage of its own (SQLite in a temp APP_DATA_DIR) with the same key each start. */
function storage(): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'served-hosts-'));
  dirs.push(dir);
  return { APP_ENCRYPTION_KEY: randomBytes(32).toString('base64'), APP_DATA_DIR: dir, APP_MATTERMOST_URL: MATTERMOST };
}

/** Starts the service, lets `use` ask it over HTTP, and closes it. */
async function withService(env: Record<string, string>, use: (url: string, service: RunningService) => Promise<void>): Promise<void> {
  const service = await startService(loadConfig(env), { logger: createMemoryLogger() });
  // The listener npm start serves (its first decisions before express), not the app alone.
  const server = createServer(service.listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, service);
  } finally {
    server.close();
    await service.close();
  }
}

/** What setup stores, with its record of the Apps plugin. */
async function recordSetup(env: Record<string, string>, appsPlugin: boolean | undefined): Promise<void> {
  await withService({ ...env, APP_HOSTS: 'standalone' }, async (_url, service) => {
    await service.standalone!.repositories.installation.saveInstallation({
      mattermost_url: MATTERMOST,
      bot_user_id: 'bot',
      bot_username: 'oauth2-connect',
      bot_token: 'bot-token',
      oauth_client_id: 'client',
      oauth_client_secret: 'secret',
      bot_role: 'regular',
      installation_id: 'inst-1',
      ...(appsPlugin !== undefined && { apps_plugin: appsPlugin }),
      updated_at: 1,
    });
  });
}

const ping = (url: string) => fetch(`${url}/ping`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
const command = (url: string) => fetch(`${url}/standalone/command`, { method: 'POST', body: new URLSearchParams({ token: 'x', team_id: 't', text: 'help' }) });

describe('the hosts the service serves, from what setup recorded', () => {
  it('when setup recorded no Apps plugin and APP_HOSTS is unset, then /ping and the manifest are 404, no APP_JWT_SECRET warning, and the standalone host answers', async () => {
    const env = storage();
    await recordSetup(env, false);
    await withService(env, async (url, service) => {
      assert.deepEqual(service.config.hosts, ['standalone']);
      assert.match(service.hostsWhy, /setup found no active Apps plugin/);
      assert.equal((await ping(url)).status, 404);
      assert.equal((await fetch(`${url}/manifest.json`)).status, 404);
      assert.equal((await fetch(`${url}/static/icon.png`)).status, 404);
      assert.doesNotMatch(service.config.warnings.join('\n'), /APP_JWT_SECRET/);
      assert.deepEqual(((await (await fetch(`${url}/healthz`)).json()) as { hosts: string[] }).hosts, ['standalone']);
      assert.equal((await command(url)).status, 401, 'the standalone host checks the command token');
    });
  });

  it('when the service is public without APP_JWT_SECRET, then it starts with no Apps plugin recorded and refuses, naming APP_JWT_SECRET, once the Apps plugin is recorded', async () => {
    const env = { ...storage(), APP_ROOT_URL: 'https://connect.example.com' };
    await recordSetup(env, false);
    await withService(env, async (_url, service) => assert.deepEqual(service.config.hosts, ['standalone']));
    await recordSetup(env, true);
    await assert.rejects(
      startService(loadConfig(env), { logger: createMemoryLogger() }),
      (err: unknown) => err instanceof ConfigError && err.variable === 'APP_JWT_SECRET',
    );
  });

  it('when setup recorded the Apps plugin, or could not tell, or has not run, then both hosts are served with the APP_JWT_SECRET warning', async () => {
    for (const record of ['none', true, undefined] as const) {
      const env = storage();
      if (record !== 'none') await recordSetup(env, record);
      await withService(env, async (url, service) => {
        assert.deepEqual(service.config.hosts, ['apps', 'standalone'], String(record));
        assert.equal((await ping(url)).status, 200);
        assert.match(service.config.warnings.join('\n'), /APP_JWT_SECRET is not set/);
      });
    }
  });

  it('when APP_HOSTS names both hosts, then the Apps host is served though setup recorded no Apps plugin', async () => {
    const env = storage();
    await recordSetup(env, false);
    await withService({ ...env, APP_HOSTS: 'apps,standalone' }, async (url, service) => {
      assert.deepEqual(service.config.hosts, ['apps', 'standalone']);
      assert.equal(service.hostsWhy, 'APP_HOSTS names them');
      assert.equal((await ping(url)).status, 200);
    });
  });

  it('when both hosts are served, then each path on the main listener reaches its host: health, metrics, the standalone host in any case of its path, the Apps host for the rest', async () => {
    await withService({ ...storage(), APP_HOSTS: 'apps,standalone', APP_METRICS_TOKEN: 'metrics-token-0123456789abcdef0123456789' }, async (url) => {
      assert.deepEqual(((await (await fetch(`${url}/healthz`)).json()) as { hosts: string[] }).hosts, ['apps', 'standalone']);
      assert.equal((await fetch(`${url}/readyz?x=1`)).status, 503, 'not set up: the readiness route answers, not the Apps host');
      const metrics = await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer metrics-token-0123456789abcdef0123456789' } });
      assert.match(await metrics.text(), /oauth2_connect_requests_total/);
      assert.equal((await command(url)).status, 401, 'the standalone host checks the command token');
      const upper = await fetch(`${url}/STANDALONE/command`, { method: 'POST', body: new URLSearchParams({ token: 'x', team_id: 't', text: 'help' }) });
      assert.equal(upper.status, 401);
      assert.doesNotMatch(await upper.text(), /Apps plugin/, 'express serves the other spelling, not the Apps host');
      const token = await fetch(`${url}/api/v1/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(((await token.json()) as { error: string }).error, 'invalid_client');
      assert.equal((await ping(url)).status, 200);
      assert.equal((await fetch(`${url}/manifest.json`)).status, 200);
      const unsigned = await fetch(`${url}/bindings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(typeof ((await unsigned.json()) as { type?: string }).type, 'string', 'the Apps host answers its calls with a call response');
      const unknown = await fetch(`${url}/no-such-place`);
      assert.equal(unknown.status, 404);
    });
  });

  it('when npm start runs on a storage where setup recorded no Apps plugin, then its listening line names the standalone host and why, and no warning mentions APP_JWT_SECRET', async () => {
    const env = storage();
    await recordSetup(env, false);
    const port = 20000 + Math.floor(Math.random() * 20000);
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../../src/main.ts', import.meta.url))], {
      env: { ...process.env, ...env, PORT: String(port), APP_HOSTS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    try {
      for (let i = 0; i < 300 && !output.includes('"listening"') && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
      const line = output.split('\n').find((l) => l.includes('"listening"'));
      assert.ok(line, output);
      const listening = JSON.parse(line) as { hosts: string[]; hosts_why: string; manifest?: string };
      assert.deepEqual(listening.hosts, ['standalone']);
      assert.match(listening.hosts_why, /setup found no active Apps plugin/);
      assert.doesNotMatch(output, /APP_JWT_SECRET/);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
