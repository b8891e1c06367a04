/**
 * Issue 13's row: a status command through the whole standalone service
 * (POST /standalone/command: token check, database reads, answer), single
 * process, on SQLite and on PostgreSQL (a database of its own, dropped after),
 * against the bare express floor answering the same JSON in the same run.
 * As bench/http_bench.ts: each server in its own process, the two taking
 * turns each round, medians over the rounds; CPU is the server's own.
 */
import { dirname } from 'node:path';
import { createScratch, type BackendName, type Scratch } from '../test/support/standalone_db.js';
import { CONCURRENCY, warmupFor } from './http_bench.js';
import { median, runLoad, type LoadResult } from './load.js';
import { startServer, type ServerProcess, type StandaloneSeed } from './servers.js';

const PATH = '/standalone/command';
const SEED: StandaloneSeed = { teamId: 't'.repeat(26), commandToken: 'k'.repeat(26), userId: 'u7k3mfq9zbdn8xw1ceyr4tjahs' };
const HEADERS = { 'content-type': 'application/x-www-form-urlencoded' };

/** The form Mattermost posts for `/oauth2 status` (model/command_args.go's fields). */
export const STATUS_FORM = new URLSearchParams({
  channel_id: 'c'.repeat(26),
  channel_name: 'town-square',
  command: '/oauth2',
  response_url: 'http://127.0.0.1:9/hooks/commands/abc',
  team_domain: 'team',
  team_id: SEED.teamId,
  text: 'status',
  token: SEED.commandToken,
  trigger_id: 'trigger-id',
  user_id: SEED.userId,
  user_name: 'jane',
}).toString();

type Side = 'standalone' | 'express';
type Measured = LoadResult & { cpuUs: number };

export interface StandaloneRow {
  backend: BackendName;
  connections: number;
  variant: Side;
  rps: number;
  p50: number;
  p99: number;
  cpuUs: number;
  rounds: Measured[];
}

export interface StandaloneReport {
  rows: StandaloneRow[];
  /** Backends that could not run, and why (e.g. no PostgreSQL on 127.0.0.1:5432). */
  skipped: Record<string, string>;
  answerBytes: number;
  requestBytes: number;
}

export interface StandaloneOptions {
  rounds: number;
  durationS: number;
  warmupS: number;
  env: Record<string, string>;
}

async function statusAnswer(server: ServerProcess): Promise<string> {
  const res = await fetch(server.url + PATH, { method: 'POST', headers: HEADERS, body: STATUS_FORM });
  const text = await res.text();
  if (res.status !== 200 || !/connected as \*\*jane-doe\*\*/.test(text)) throw new Error(`${server.variant}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return text;
}

async function measure(server: ServerProcess, connections: number, durationS: number): Promise<Measured> {
  const before = await server.stats();
  const load = await runLoad({ url: server.url + PATH, body: STATUS_FORM, headers: HEADERS, connections, duration: durationS });
  return { ...load, cpuUs: ((await server.stats()).cpuUs - before.cpuUs) / load.requests };
}

async function benchBackend(backend: BackendName, scratch: Scratch, options: StandaloneOptions, progress: (line: string) => void) {
  const db: Record<string, string> =
    scratch.settings.kind === 'postgres' ? { BENCH_DATABASE_URL: scratch.settings.url } : { BENCH_DATA_DIR: dirname(scratch.settings.file) };
  const service = await startServer('standalone', { env: { ...options.env, ...db }, responses: {}, seed: SEED });
  const servers: ServerProcess[] = [service];
  try {
    const answer = await statusAnswer(service);
    const floor = await startServer('express', { env: {}, responses: { [PATH]: answer } });
    servers.push(floor);
    const results = new Map<string, Measured[]>();
    for (let round = 0; round < options.rounds; round += 1) {
      for (const server of round % 2 ? [floor, service] : [service, floor]) {
        await runLoad({ url: server.url + PATH, body: STATUS_FORM, headers: HEADERS, connections: 16, duration: warmupFor(round, options.warmupS) });
        for (const connections of CONCURRENCY) {
          const key = `${connections}|${server.variant}`;
          results.set(key, [...(results.get(key) ?? []), await measure(server, connections, options.durationS)]);
        }
      }
      progress(`  round ${round + 1}/${options.rounds}: standalone on ${backend} and the express floor done`);
    }
    const rows = CONCURRENCY.flatMap((connections) =>
      (['standalone', 'express'] as const).map((variant): StandaloneRow => {
        const runs = results.get(`${connections}|${variant}`) ?? [];
        const mid = (f: (r: Measured) => number) => median(runs.map(f));
        return {
          backend,
          connections,
          variant,
          rps: mid((r) => r.rps),
          p50: mid((r) => r.p50),
          p99: mid((r) => r.p99),
          cpuUs: mid((r) => r.cpuUs),
          rounds: runs,
        };
      }),
    );
    return { rows, answerBytes: Buffer.byteLength(answer) };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

export async function standaloneBench(options: StandaloneOptions, progress: (line: string) => void): Promise<StandaloneReport> {
  const report: StandaloneReport = { rows: [], skipped: {}, answerBytes: 0, requestBytes: Buffer.byteLength(STATUS_FORM) };
  for (const backend of ['sqlite', 'postgres'] as const) {
    let scratch: Scratch;
    try {
      scratch = await createScratch(backend);
    } catch (err) {
      report.skipped[backend] = (err as Error).message;
      progress(`  ${backend}: SKIPPED, its scratch database could not be made: ${(err as Error).message}`);
      continue;
    }
    try {
      const { rows, answerBytes } = await benchBackend(backend, scratch, options, progress);
      report.rows.push(...rows);
      report.answerBytes = answerBytes;
    } finally {
      await scratch.dispose();
    }
  }
  return report;
}

const fixed = (n: number, digits = 2) => n.toFixed(digits);

/** The table: ours against the floor per backend and concurrency, as ratios. */
export function standaloneTable(report: StandaloneReport, say: (line?: string) => void): void {
  say(`Standalone /oauth2 status through the whole service vs bare express, medians (request ${report.requestBytes} B, answer ${report.answerBytes} B)`);
  const widths = [8, 3, 8, 8, 7, 8, 8, 7, 9, 9, 7];
  const cells = (c: string[]) => c.map((x, i) => (i < 2 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ');
  say(cells(['storage', 'c', 'ours r/s', 'expr r/s', 'o/expr', 'p99 ms', 'ex p99', 'p99 x', 'CPU µs o', 'CPU µs e', 'CPU x']));
  for (const backend of ['sqlite', 'postgres'] as const) {
    if (report.skipped[backend]) say(`${backend.padEnd(8)}  skipped: ${report.skipped[backend]}`);
    for (const c of CONCURRENCY) {
      const o = report.rows.find((r) => r.backend === backend && r.connections === c && r.variant === 'standalone');
      const e = report.rows.find((r) => r.backend === backend && r.connections === c && r.variant === 'express');
      if (!o || !e) continue;
      say(
        cells([
          backend,
          String(c),
          fixed(o.rps, 0),
          fixed(e.rps, 0),
          `${fixed((100 * o.rps) / e.rps, 0)}%`,
          fixed(o.p99),
          fixed(e.p99),
          fixed(o.p99 / e.p99),
          fixed(o.cpuUs, 0),
          fixed(e.cpuUs, 0),
          fixed(o.cpuUs / e.cpuUs),
        ]),
      );
    }
  }
}
