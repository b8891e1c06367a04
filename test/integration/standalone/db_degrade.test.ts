/**
 * The whole service (startService) on PostgreSQL behind a TCP
 * proxy, with short database timeouts (APP_DB_CONNECT_TIMEOUT_MS,
 * APP_DB_STATEMENT_TIMEOUT_MS). When the database is slow (a table locked by
 * another session), down (port closed) or stalled (accepts, never answers),
 * a command gets a clear "cannot reach its database" answer instead of
 * "something went wrong", a hang or a crash; a connect link gets the same on
 * a 503 page; /readyz names the database while it is unreachable; and everything works
 * again once it is back.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { loadConfig } from '../../../src/config/index.js';
import { createMemoryLogger } from '../../../src/log/logger.js';
import { startService, type RunningService } from '../../../src/service.js';
import { hashCommandToken } from '../../../src/hosts/standalone/commands/command_token.js';
import { DATABASE_UNAVAILABLE } from '../../../src/hosts/standalone/database_unavailable.js';
import { randomValue } from '../../../src/hosts/standalone/secrets.js';
import { createScratch, type Scratch } from '../../support/standalone_db.js';
import { TcpProxy } from '../../support/tcp_proxy.js';
import { startFakeMattermost, type FakeMattermost } from '../../support/standalone/fake_mattermost.js';

/** Not a timing assertion: a guard so that a hang fails the test with a message instead of blocking the suite. */
const HANG_GUARD_MS = 20_000;
const TEAM = 'a'.repeat(26);
const TOKEN = 'the-command-token';

describe('the standalone service when PostgreSQL is slow, down or stalled', () => {
  let scratch: Scratch;
  let proxy: TcpProxy;
  let service: RunningService;
  let server: Server;
  let url: string;
  let logger: ReturnType<typeof createMemoryLogger>;
  let mm: FakeMattermost;

  before(async () => {
    mm = await startFakeMattermost('http://127.0.0.1:9/standalone/signin/callback');
    scratch = await createScratch('postgres');
    const target = new URL(scratch.settings.kind === 'postgres' ? scratch.settings.url : '');
    proxy = new TcpProxy({ host: '127.0.0.1', port: Number(target.port) });
    await proxy.start();
    logger = createMemoryLogger();
    const env = {
      APP_HOSTS: 'standalone',
      APP_MATTERMOST_URL: mm.url,
      APP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      DATABASE_URL: `postgres://postgres@127.0.0.1:${proxy.port}${target.pathname}`,
      APP_DB_POOL_MAX: '3',
      APP_DB_CONNECT_TIMEOUT_MS: '500',
      APP_DB_STATEMENT_TIMEOUT_MS: '1000',
    };
    service = await startService(loadConfig(env), { logger });
    await service.standalone!.repositories.installation.saveCommand({ team_id: TEAM, command_id: 'c1', token_hash: hashCommandToken(TOKEN), updated_at: 0 });
    server = await new Promise<Server>((resolve) => {
      const s = service.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server?.close();
    await service?.close();
    await proxy?.stop();
    await scratch?.dispose();
    await mm?.close();
  });

  async function command(text = 'providers'): Promise<{ status: number; text: string; props?: Record<string, unknown> }> {
    const user = 'b'.repeat(26);
    const form = new URLSearchParams({ token: TOKEN, team_id: TEAM, user_id: user, user_name: 'alice', command: '/oauth2', text });
    form.set('trigger_id', mm.signer.sign(user));
    const res = await fetch(`${url}/standalone/command`, { method: 'POST', body: form, signal: AbortSignal.timeout(HANG_GUARD_MS) });
    const answer = (await res.json()) as { text: string; props?: Record<string, unknown> };
    return { status: res.status, ...answer };
  }
  /** 200 when the database check of /readyz passes, else 503 (the installation is not stored here: only the database counts). */
  const health = async () => {
    const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(HANG_GUARD_MS) });
    return ((await res.json()) as { failing?: string[] }).failing?.includes('database') ? 503 : 200;
  };

  async function assertUnavailable(why: string): Promise<void> {
    const answer = await command();
    assert.equal(answer.status, 200, `${why}: Mattermost shows a 200 answer's text`);
    assert.equal(answer.text, DATABASE_UNAVAILABLE, why);
  }

  async function assertServing(why: string): Promise<void> {
    // The pool drops its broken connections on first use: give it a few tries to come back.
    let answer = await command();
    for (let attempt = 0; attempt < 10 && answer.text === DATABASE_UNAVAILABLE; attempt++) answer = await command();
    assert.equal(answer.status, 200, why);
    assert.doesNotMatch(answer.text, /cannot reach its database|went wrong/, why);
    let status = await health();
    for (let attempt = 0; attempt < 10 && status !== 200; attempt++) status = await health();
    assert.equal(status, 200, `${why}: /healthz`);
  }

  it('when the database answers, then the command runs and /healthz is 200', () => assertServing('healthy'));

  it('when a statement waits past APP_DB_STATEMENT_TIMEOUT_MS (a table locked elsewhere), then the command says the database is unavailable, and works once the lock goes', async () => {
    const blocker = new pg.Client({ connectionString: scratch.settings.kind === 'postgres' ? scratch.settings.url : '' });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE team_commands IN ACCESS EXCLUSIVE MODE');
      await assertUnavailable('statement timeout');
      assert.equal(await health(), 200, 'the database itself answers');
      await blocker.query('ROLLBACK');
      await assertServing('after the lock');
    } finally {
      await blocker.end();
    }
    assert.ok(logger.lines.some((line) => /database unavailable/.test(line) && /statement timeout/.test(line)));
  });

  it('when the database is down, then commands and connect links say so (no crash, no hang), /healthz is 503, and all recovers when it returns', async () => {
    await proxy.stop();
    await assertUnavailable('down');
    assert.equal(await health(), 503);
    const page = await fetch(`${url}/standalone/connect?l=${randomValue()}`, { signal: AbortSignal.timeout(HANG_GUARD_MS) });
    assert.equal(page.status, 503);
    assert.match(await page.text(), /cannot reach its database right now/);
    // The webapp panel reads its answer in the props: there too, not an answer it would take for another command's.
    assert.deepEqual((await command('__panel')).props, { oauth2_connect: { type: 'error', text: DATABASE_UNAVAILABLE } });

    proxy.stalled = true; // accepts connections, never answers: APP_DB_CONNECT_TIMEOUT_MS ends the wait
    await proxy.start();
    await assertUnavailable('stalled');
    assert.equal(await health(), 503);
    await proxy.stop();
    proxy.stalled = false;

    await proxy.start();
    await assertServing('back');
    const warnings = logger.lines.filter((line) => /database unavailable/.test(line));
    assert.ok(warnings.length >= 3, 'each refusal is logged as a warning');
    assert.ok(
      logger.lines.every((line) => !/"level":"error"/.test(line)),
      'no error (stack trace) logged for an unavailable database',
    );
  });
});
