/**
 * GET /metrics and its protection: absent unless configured (404), behind
 * APP_METRICS_TOKEN on the main listener (401 without it or with another),
 * alone on its own listener with APP_METRICS_ADDRESS; one registry per
 * service, so two services in one process count apart; the token never in a
 * log line. And the settings' own checks.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type express from 'express';
import { loadConfig } from '../../src/config/index.js';
import { createMemoryLogger } from '../../src/log/logger.js';
import { startService, type RunningService } from '../../src/service.js';
import { metricValue, parseMetrics } from '../support/metrics_text.js';

const TOKEN = randomBytes(32).toString('base64url');

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    APP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    APP_DATA_DIR: mkdtempSync(join(tmpdir(), 'metrics-')),
    APP_MATTERMOST_URL: 'http://127.0.0.1:9',
    ...extra,
  };
}

const running: Array<{ service: RunningService; servers: Server[] }> = [];

async function serve(app: express.Express): Promise<{ url: string; server: Server }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function start(extra: Record<string, string>) {
  const logger = createMemoryLogger();
  const service = await startService(loadConfig(env(extra)), { logger });
  const main = await serve(service.app);
  const metrics = service.metricsApp ? await serve(service.metricsApp) : undefined;
  running.push({ service, servers: [main.server, ...(metrics ? [metrics.server] : [])] });
  return { service, main: main.url, metrics: metrics?.url, logs: logger.lines };
}

const get = (url: string, token?: string) => fetch(`${url}/metrics`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

describe('GET /metrics', () => {
  after(async () => {
    for (const { service, servers } of running) {
      for (const server of servers) server.close();
      await service.close();
    }
  });

  it('when no metrics setting is set, then /metrics does not exist, whatever the request carries', async () => {
    const { main, service } = await start({});
    assert.equal((await get(main)).status, 404);
    assert.equal((await get(main, TOKEN)).status, 404);
    assert.equal(service.metricsApp, undefined);
  });

  it('when APP_METRICS_TOKEN is set, then /metrics answers only a request that carries that token', async () => {
    const { main, logs } = await start({ APP_METRICS_TOKEN: TOKEN });
    const none = await get(main);
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/);
    assert.equal((await get(main, TOKEN.slice(0, -1))).status, 401, 'a token one character short');
    assert.equal((await get(main, `${TOKEN}x`)).status, 401, 'a token one character longer');
    assert.equal((await get(main, randomBytes(32).toString('base64url'))).status, 401, 'another token');
    const res = await fetch(`${main}/metrics`, { headers: { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` } });
    assert.equal(res.status, 401, 'the token in another scheme');
    const ok = await get(main, TOKEN);
    assert.equal(ok.status, 200);
    assert.match(ok.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await ok.text();
    assert.match(text, /# TYPE oauth2_connect_requests_total counter/);
    assert.match(text, /oauth2_connect_process_resident_memory_bytes/);
    assert.ok(!text.includes(TOKEN));
    for (const line of logs) assert.ok(!line.includes(TOKEN), 'the token is in a log line');
  });

  it('when APP_METRICS_ADDRESS is set, then /metrics answers on that listener alone, and also asks for the token when one is set', async () => {
    const open = await start({ APP_METRICS_ADDRESS: '127.0.0.1:9464' });
    assert.equal((await get(open.main)).status, 404, 'not on the main listener without a token');
    assert.equal((await get(open.metrics!)).status, 200);
    assert.equal((await fetch(`${open.metrics}/healthz`)).status, 404, 'the metrics listener serves nothing else');
    assert.equal((await fetch(`${open.metrics}/standalone/command`, { method: 'POST' })).status, 404);
    const guarded = await start({ APP_METRICS_ADDRESS: '127.0.0.1:9465', APP_METRICS_TOKEN: TOKEN });
    assert.equal((await get(guarded.metrics!)).status, 401);
    assert.equal((await get(guarded.metrics!, TOKEN)).status, 200);
  });

  it('when two services run in one process, then each counts its own requests', async () => {
    const one = await start({ APP_METRICS_TOKEN: TOKEN });
    const two = await start({ APP_METRICS_TOKEN: TOKEN });
    for (let i = 0; i < 3; i++)
      await fetch(`${one.main}/standalone/command`, { method: 'POST', body: new URLSearchParams({ token: 'x', team_id: 't', text: 'help' }) });
    const count = async (url: string) =>
      metricValue(parseMetrics(await (await get(url, TOKEN)).text()), 'oauth2_connect_requests_total', { host: 'standalone', surface: 'command' });
    assert.equal(await count(one.main), 3);
    assert.equal(await count(two.main), 0);
  });

  it('when a metrics setting is malformed, then the service does not start and the message names it without echoing a token', () => {
    assert.throws(
      () => loadConfig(env({ APP_METRICS_TOKEN: 'short-token' })),
      (err: Error) => /APP_METRICS_TOKEN must be at least 32/.test(err.message) && !err.message.includes('short-token'),
    );
    assert.throws(() => loadConfig(env({ APP_METRICS_ADDRESS: 'example.com' })), /APP_METRICS_ADDRESS must be host:port/);
    assert.throws(() => loadConfig(env({ APP_METRICS_ADDRESS: '127.0.0.1:4000' })), /APP_METRICS_ADDRESS must use a port of its own/);
    assert.throws(() => loadConfig(env({ APP_AUDIT_RETENTION_DAYS: '0' })), /APP_AUDIT_RETENTION_DAYS must be between 1 and 3650/);
    assert.deepEqual(loadConfig(env({ APP_METRICS_ADDRESS: '9464' })).metricsListener, { host: '127.0.0.1', port: 9464 });
    assert.equal(loadConfig(env()).auditRetentionMs, 90 * 86_400_000);
  });
});
