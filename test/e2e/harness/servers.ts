// Starts real Mattermost servers on 127.0.0.1, each with its own fresh
// PostgreSQL database and temp dir, configured only through MM_* variables.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Built } from './build.js';
import { environment, freshEnvironment } from './mm_env.js';
import { log, runQuiet, tail } from './run.js';

export interface MattermostServer {
  name: string;
  /** SiteURL, for browsers. */
  url: string;
  /** http://127.0.0.1:port, for Node clients (localhost may resolve to ::1 first). */
  directUrl: string;
  port: number;
  database: string;
  dir: string;
  logFile: string;
  pid: number;
  stop(): Promise<void>;
}

const PG = ['-h', '127.0.0.1', '-U', 'postgres', '-v', 'ON_ERROR_STOP=1', '-q', '-d', 'postgres'];
const runSuffix = `${process.pid}_${Date.now().toString(36)}`;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function recreateDatabase(db: string): void {
  runQuiet('psql', [...PG, '-c', `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`, '-c', `CREATE DATABASE ${db}`]);
}

function dropDatabase(db: string): void {
  try {
    runQuiet('psql', [...PG, '-c', `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`]);
  } catch (err) {
    log(`could not drop database ${db}: ${(err as Error).message}`);
  }
}

async function waitForPing(url: string, child: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  const started = Date.now();
  let lastTick = started;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before answering ping`);
    }
    try {
      const res = await fetch(`${url}/api/v4/system/ping`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() - started > timeoutMs) throw new Error(`no ping answer after ${timeoutMs / 1000}s`);
    if (Date.now() - lastTick > 10_000) {
      lastTick = Date.now();
      log(`still waiting for ${url} … ${Math.round((Date.now() - started) / 1000)}s (log: ${logFile})`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Starts one server; `provider` turns on Dynamic Client Registration. `host`
 * goes into SiteURL only (it always listens on 127.0.0.1): browsers share
 * cookies across ports, so two servers need two host names to keep two logins.
 */
export async function startMattermost(
  built: Built,
  name: string,
  opts: {
    provider?: boolean;
    host?: string;
    standalone?: boolean;
    /** A server with Mattermost's defaults for what an admin sets, plus these MM_* settings (given the server's URL). */
    fresh?: (url: string) => Record<string, string>;
  } = {},
): Promise<MattermostServer> {
  const port = await freePort();
  const url = `http://${opts.host ?? '127.0.0.1'}:${port}`;
  const database = `mm_e2e_${name}_${runSuffix}`.toLowerCase();
  const dir = mkdtempSync(join(tmpdir(), `oauth2-connect-e2e-${name}-`));
  const logFile = join(dir, 'mattermost.log'); // written by the server itself
  const outFile = join(dir, 'stdout.log');
  let step = 'creating the database';
  let child: ChildProcess | undefined;
  try {
    recreateDatabase(database);
    for (const sub of ['data', 'plugins', 'client/plugins']) mkdirSync(join(dir, sub), { recursive: true });
    writeFileSync(join(dir, 'config.json'), '{}\n'); // the server fills in and rewrites defaults
    step = 'starting the server';
    const started = Date.now();
    const out = openSync(outFile, 'a');
    child = spawn(built.serverBinary, ['server'], {
      cwd: dir,
      env: opts.fresh ? freshEnvironment(url, port, database, dir, opts.fresh(url)) : environment(url, port, database, dir, !!opts.provider, !!opts.standalone),
      stdio: ['ignore', out, out],
    });
    log(`${name}: mattermost pid ${child.pid} on ${url}, db ${database}, dir ${dir}`);
    step = 'waiting for /api/v4/system/ping';
    await waitForPing(`http://127.0.0.1:${port}`, child, logFile, 240_000);
    log(`${name}: ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  } catch (err) {
    child?.kill('SIGKILL');
    dropDatabase(database);
    throw new Error(`[${name}] ${step} failed: ${(err as Error).message}\n--- ${outFile}:\n${tail(outFile, 20)}\n--- ${logFile}:\n${tail(logFile, 30)}`);
  }
  const proc = child;
  return {
    name,
    url,
    directUrl: `http://127.0.0.1:${port}`,
    port,
    database,
    dir,
    logFile,
    pid: proc.pid!,
    async stop() {
      const t = Date.now();
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        process.kill(proc.pid!, 'SIGTERM');
        const timer = setTimeout(() => proc.exitCode === null && process.kill(proc.pid!, 'SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      dropDatabase(database);
      if (!process.env.E2E_KEEP_TMP) rmSync(dir, { recursive: true, force: true });
      log(`${name}: stopped in ${((Date.now() - t) / 1000).toFixed(1)}s, database ${database} dropped`);
    },
  };
}

/** The two instances the suite uses: one hosting the Apps plugin, one as OAuth2 provider. */
export async function startServers(built: Built): Promise<{ apps: MattermostServer; provider: MattermostServer; stop(): Promise<void> }> {
  const apps = await startMattermost(built, 'apps');
  let provider: MattermostServer;
  try {
    provider = await startMattermost(built, 'provider', { provider: true, host: 'localhost' });
  } catch (err) {
    await apps.stop();
    throw err;
  }
  return {
    apps,
    provider,
    stop: async () => {
      await Promise.allSettled([apps.stop(), provider.stop()]);
    },
  };
}
