import type { Server } from 'node:http';
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { healthRouter, type HealthOptions } from '../../../src/hosts/standalone/db/health.js';
import { openDatabase, type StandaloneDatabase } from '../../../src/hosts/standalone/db/open_database.js';
import { unreadiness } from '../../../src/hosts/standalone/service/readiness.js';
import { createMemoryLogger } from '../../../src/log/logger.js';
import { createScratch, onEachBackend } from '../../support/standalone_db.js';
import { TcpProxy } from '../../support/tcp_proxy.js';
import { seedInstallation } from '../../support/standalone/seed_installation.js';

async function serve(
  options: Omit<HealthOptions, 'logger'> & { logger?: HealthOptions['logger'] },
): Promise<{ get: (path?: string) => Promise<{ status: number; body: any }>; close: () => Promise<void> }> {
  const app = express().use(healthRouter({ logger: createMemoryLogger(), ...options }));
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    get: async (path = '/readyz') => {
      const res = await fetch(`${url}${path}`);
      return { status: res.status, body: await res.json() };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Readiness of the storage alone: Mattermost answers. */
const storageOnly = (database: StandaloneDatabase, timeoutMs = 2000) => ({
  storage: database,
  unready: () => unreadiness(database, async () => undefined, timeoutMs),
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

onEachBackend('healthz', ({ backend, database }) => {
  it('when the process answers, then GET /healthz is 200 with the hosts and the storage kind', async () => {
    await seedInstallation(database());
    const http = await serve({ hosts: ['apps', 'standalone'], ...storageOnly(database()) });
    try {
      const { status, body } = await http.get('/healthz');
      assert.equal(status, 200);
      assert.deepEqual(body, { status: 'ok', hosts: ['apps', 'standalone'], storage: backend });
    } finally {
      await http.close();
    }
  });
});

describe('healthz when PostgreSQL is down', () => {
  it('when only the Apps host runs, then /healthz is 200 with no storage', async () => {
    const http = await serve({ hosts: ['apps'] });
    assert.deepEqual((await http.get('/healthz')).body, { status: 'ok', hosts: ['apps'], storage: 'none' });
    assert.deepEqual((await http.get('/readyz')).body, { status: 'ready', hosts: ['apps'], storage: 'none' });
    await http.close();
  });

  it('when the database port is closed, then /readyz answers 503 quickly naming the database, /healthz stays 200, and the reason goes only to the log', async () => {
    const port = await closedPort();
    const database = await openDatabase(
      { kind: 'postgres', url: `postgres://postgres:pw-very-secret@127.0.0.1:${port}/x`, poolMax: 2 },
      { migrate: false, connectionTimeoutMs: 1000 },
    );
    const logger = createMemoryLogger();
    const http = await serve({ hosts: ['standalone'], ...storageOnly(database), logger });
    try {
      const started = Date.now();
      const { status, body } = await http.get();
      assert.equal(status, 503);
      assert.deepEqual(body, { status: 'unavailable', hosts: ['standalone'], storage: 'postgres', failing: ['database'] });
      assert.equal((await http.get('/healthz')).status, 200, 'the process itself answers');
      assert.ok(
        logger.lines.some((line) => /readiness check: cannot serve/.test(line) && /unreachable: .*ECONNREFUSED/.test(line)),
        'the reason is logged',
      );
      assert.doesNotMatch(logger.lines.join('\n'), /pw-very-secret/);
      assert.ok(Date.now() - started < 2500, 'answered in bounded time');
      assert.doesNotMatch(database.description, /pw-very-secret/);
    } finally {
      await http.close();
      await database.close();
    }
  });

  it('when the start-up cannot reach PostgreSQL, then opening fails with a clear error that shows no password', async () => {
    const port = await closedPort();
    await assert.rejects(
      openDatabase({ kind: 'postgres', url: `postgres://postgres:pw-very-secret@127.0.0.1:${port}/x`, poolMax: 2 }, { connectionTimeoutMs: 1000 }),
      (error: Error) => /could not be brought up to date/.test(error.message) && !/pw-very-secret/.test(error.message),
    );
  });

  describe('through a proxy that goes down and comes back', () => {
    const scratchReady = createScratch('postgres');
    after(async () => (await scratchReady).dispose());

    it('when the database goes down, then /readyz is 503, queries fail with errors (no crash), and everything recovers when it returns', async () => {
      const scratch = await scratchReady;
      const target = new URL(scratch.settings.kind === 'postgres' ? scratch.settings.url : '');
      const proxy = new TcpProxy({ host: '127.0.0.1', port: Number(target.port) });
      await proxy.start();
      const logger = createMemoryLogger();
      const database = await openDatabase(
        { kind: 'postgres', url: `postgres://postgres@127.0.0.1:${proxy.port}${target.pathname}`, poolMax: 3 },
        { logger, connectionTimeoutMs: 1000 },
      );
      await seedInstallation(database);
      const http = await serve({ hosts: ['standalone'], ...storageOnly(database, 1500) });
      try {
        assert.equal((await http.get()).status, 200);
        await proxy.stop(); // idle pooled connections are cut: the pool must not crash the process
        assert.equal((await http.get()).status, 503);
        await assert.rejects(database.db.selectFrom('sessions').selectAll().execute());
        proxy.stalled = true;
        await proxy.start(); // accepts, never answers: the check must still end in bounded time
        const started = Date.now();
        assert.equal((await http.get()).status, 503);
        assert.ok(Date.now() - started < 2500);
        await proxy.stop();
        proxy.stalled = false;
        await proxy.start();
        let status = 0;
        for (let attempt = 0; attempt < 10 && status !== 200; attempt++) status = (await http.get()).status;
        assert.equal(status, 200);
        assert.deepEqual(await database.db.selectFrom('sessions').selectAll().execute(), []);
        assert.ok(
          logger.lines.some((line) => /database connection lost/.test(line)),
          'the lost connection was logged',
        );
      } finally {
        await http.close();
        await proxy.stop();
        await database.close();
      }
    });
  });
});
