/**
 * The token API's issuance path: POST /api/v1/token with a valid credential
 * for a user who granted the client, the stored token fresh (no refresh), on
 * SQLite and on PostgreSQL, against the express+json floor answering the same
 * JSON in the same run (it parses the body and serializes the answer; the
 * ratio is what the service adds: the credential's hash lookup, the provider,
 * connection and grant reads, the log line). Each server in its own process,
 * taking turns each round; medians over the rounds; CPU is the server's own.
 * Budget: CPU per request <= 2x the floor; p99 at c=16 < 10 ms.
 */
import { createHash, randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { createScratch, type BackendName, type Scratch } from '../test/support/standalone_db.js';
import { onEachScratchBackend } from './scratch_backends.js';
import { CONCURRENCY, warmupFor } from './http_bench.js';
import { median, runLoad } from './load.js';
import { startServer, type ServerProcess } from './servers.js';
import { SEED } from './standalone_command.js';

const PATH = '/api/v1/token';
export const TOKEN_BUDGET = { cpuRatio: 2, p99MsAt16: 10 };
export const TOKEN_BUDGET_LINE = `token issuance CPU per request <= ${TOKEN_BUDGET.cpuRatio}x the express+json floor; p99 at c=16 < ${TOKEN_BUDGET.p99MsAt16} ms`;

/** 'token-api-base': another checkout's build (BENCH_TOKEN_BASE), for a change's before and after in the same rounds. */
export type TokenSide = 'token-api' | 'token-api-base' | 'express-json';

export interface TokenRow {
  backend: BackendName;
  connections: number;
  variant: TokenSide;
  rps: number;
  p50: number;
  p99: number;
  cpuUs: number;
}

export interface TokenReport {
  rows: TokenRow[];
  skipped: Record<string, string>;
}

export interface TokenBenchOptions {
  rounds: number;
  durationS: number;
  warmupS: number;
  env: Record<string, string>;
  /** Extra node flags of the service's process, e.g. --cpu-prof (BENCH_CPU_PROF=1). */
  serviceNodeFlags?: string[];
  /** Another checkout (its dist/ built) whose service runs in the same rounds on a scratch database of its own. */
  baseRoot?: string;
}

interface Target {
  server: ServerProcess;
  variant: TokenSide;
  /** What every answer must be (each build seeds its own token's expiry). */
  answer: string;
}

async function measureRounds(targets: Target[], headers: Record<string, string>, body: string, options: TokenBenchOptions) {
  const runs = new Map<string, Array<Omit<TokenRow, 'backend' | 'connections' | 'variant'>>>();
  const load = (target: Target, connections: number, duration: number) =>
    runLoad({ url: target.server.url + PATH, body, headers, connections, duration, verify: (text) => text === target.answer });
  for (let round = 0; round < options.rounds; round += 1) {
    for (const target of targets.map((_, i) => targets[(i + round) % targets.length]!)) {
      await load(target, 16, warmupFor(round, options.warmupS));
      for (const connections of CONCURRENCY) {
        const before = await target.server.stats();
        const result = await load(target, connections, options.durationS);
        const cpuUs = ((await target.server.stats()).cpuUs - before.cpuUs) / result.requests;
        const key = `${connections}|${target.variant}`;
        runs.set(key, [...(runs.get(key) ?? []), { rps: result.rps, p50: result.p50, p99: result.p99, cpuUs }]);
      }
    }
  }
  return runs;
}

const dbEnv = (scratch: Scratch): Record<string, string> =>
  scratch.settings.kind === 'postgres' ? { BENCH_DATABASE_URL: scratch.settings.url } : { BENCH_DATA_DIR: dirname(scratch.settings.file) };

/** The base checkout's service on a scratch database of its own, seeded alike (dropped with the run). */
async function startBase(backend: BackendName, baseRoot: string, options: TokenBenchOptions, seed: object, cleanups: Array<() => Promise<unknown>>) {
  const { startServer: startBaseServer } = (await import(`${baseRoot}/bench/servers.ts`)) as { startServer: typeof startServer };
  const scratch = await createScratch(backend);
  cleanups.push(() => scratch.dispose());
  return startBaseServer('standalone', { env: { ...options.env, ...dbEnv(scratch) }, responses: {}, seed: seed as never });
}

async function benchBackend(backend: BackendName, scratch: Scratch, options: TokenBenchOptions): Promise<TokenRow[]> {
  const credential = `o2c_${randomBytes(32).toString('base64url')}`;
  const tokenCredentialHash = createHash('sha256').update(credential).digest('base64url');
  // No Mattermost is called on this path: the address only has to be one.
  const seed = { ...SEED, mattermostUrl: 'http://127.0.0.1:9', triggerWindowMs: 30_000, tokenCredentialHash };
  const service = await startServer('standalone', {
    env: { ...options.env, ...dbEnv(scratch) },
    responses: {},
    seed,
    nodeFlags: options.serviceNodeFlags ?? [],
  });
  const servers: ServerProcess[] = [service];
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${credential}` };
    const body = JSON.stringify({ user_id: SEED.userId, provider: 'github' });
    const first = await fetch(service.url + PATH, { method: 'POST', headers, body });
    const answer = await first.text();
    if (first.status !== 200 || !answer.includes('gho_bench_access')) throw new Error(`token API: HTTP ${first.status} ${answer.slice(0, 300)}`);
    const floor = await startServer('express-json', { env: {}, responses: { [PATH]: answer } });
    servers.push(floor);
    const targets: Target[] = [
      { server: service, variant: 'token-api', answer },
      { server: floor, variant: 'express-json', answer },
    ];
    if (options.baseRoot) {
      const base = await startBase(backend, options.baseRoot, options, seed, cleanups);
      servers.push(base);
      const baseAnswer = await fetch(base.url + PATH, { method: 'POST', headers, body });
      if (baseAnswer.status !== 200) throw new Error(`base token API: HTTP ${baseAnswer.status}`);
      targets.push({ server: base, variant: 'token-api-base', answer: await baseAnswer.text() });
    }
    const runs = await measureRounds(targets, headers, body, options);
    return CONCURRENCY.flatMap((connections) =>
      targets.map(({ variant }) => {
        const list = runs.get(`${connections}|${variant}`) ?? [];
        const mid = (f: (r: (typeof list)[number]) => number) => median(list.map(f));
        return { backend, connections, variant, rps: mid((r) => r.rps), p50: mid((r) => r.p50), p99: mid((r) => r.p99), cpuUs: mid((r) => r.cpuUs) };
      }),
    );
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    for (const cleanup of cleanups) await cleanup();
  }
}

export async function tokenApiBench(options: TokenBenchOptions, progress: (line: string) => void): Promise<TokenReport> {
  const report: TokenReport = { rows: [], skipped: {} };
  await onEachScratchBackend(report.skipped, progress, async (backend, scratch) => {
    report.rows.push(...(await benchBackend(backend, scratch, options)));
    progress(`  token API on ${backend} and the express+json floor done`);
  });
  return report;
}

const fixed = (n: number, digits = 2) => n.toFixed(digits);

export function tokenApiTable(report: TokenReport, say: (line: string) => void): void {
  const withBase = report.rows.some((r) => r.variant === 'token-api-base');
  say('Token API: POST /api/v1/token, valid credential and grant, fresh token; floor = express+json answering the same JSON, same run');
  const baseHeads = withBase ? ['base r/s', 'base p99', 'base CPU µs', 'base ratio'] : [];
  say(['storage ', ' c', 'ours r/s', 'floor r/s', 'p50 ms', 'p99 ms', 'floor p99', 'CPU µs/req o/f', 'CPU ratio', ...baseHeads].join('  '));
  for (const backend of ['sqlite', 'postgres'] as const) {
    for (const c of CONCURRENCY) {
      const [o, f, b] = (['token-api', 'express-json', 'token-api-base'] as const).map((variant) =>
        report.rows.find((r) => r.backend === backend && r.connections === c && r.variant === variant),
      );
      if (!o || !f) continue;
      const baseCells = b
        ? [fixed(b.rps, 0).padStart(8), fixed(b.p99).padStart(8), fixed(b.cpuUs, 0).padStart(11), `${fixed(b.cpuUs / f.cpuUs)}x`.padStart(10)]
        : [];
      say(
        [
          backend.padEnd(8),
          String(c).padStart(2),
          fixed(o.rps, 0).padStart(8),
          fixed(f.rps, 0).padStart(9),
          fixed(o.p50).padStart(6),
          fixed(o.p99).padStart(6),
          fixed(f.p99).padStart(9),
          `${fixed(o.cpuUs, 0)}/${fixed(f.cpuUs, 0)}`.padStart(14),
          `${fixed(o.cpuUs / f.cpuUs)}x`.padStart(9),
          ...baseCells,
        ].join('  '),
      );
    }
  }
  for (const [backend, why] of Object.entries(report.skipped)) say(`  ${backend}: skipped (${why})`);
}

export function tokenApiBudgets(report: TokenReport) {
  const list: Array<{ name: string; budget: string; value: string; met: boolean; hard: false }> = [];
  for (const backend of ['sqlite', 'postgres'] as const) {
    for (const c of CONCURRENCY) {
      const o = report.rows.find((r) => r.backend === backend && r.connections === c && r.variant === 'token-api');
      const f = report.rows.find((r) => r.backend === backend && r.connections === c && r.variant === 'express-json');
      if (!o || !f) continue;
      const ratio = o.cpuUs / f.cpuUs;
      list.push({
        name: `token API CPU per request vs the express+json floor, ${backend}, c=${c}`,
        budget: `<= ${TOKEN_BUDGET.cpuRatio}x`,
        value: `${fixed(ratio)}x`,
        met: ratio <= TOKEN_BUDGET.cpuRatio,
        hard: false,
      });
      if (c === 16)
        list.push({
          name: `token API p99 at c=16, ${backend}`,
          budget: `< ${TOKEN_BUDGET.p99MsAt16} ms`,
          value: `${fixed(o.p99)} ms`,
          met: o.p99 < TOKEN_BUDGET.p99MsAt16,
          hard: false,
        });
    }
  }
  return list;
}
