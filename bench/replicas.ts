/**
 * The standalone host on PostgreSQL behind a proxy, measured in the same run
 * as its floor.
 *   1. POST /standalone/command `status` (command token check, the signed
 *      trigger check and its single-use record, the user's providers and
 *      connections from PostgreSQL, the answer; each request with a trigger id
 *      of its own, signed before the run by the fake Mattermost) with 1 replica
 *      (direct), 1 replica behind the round-robin proxy, and 3 replicas behind
 *      it; the floor is a bare express app answering the same JSON. Throughput
 *      and p99 are given as ratios to the floor's, at each concurrency.
 *   2. The admin report with 10,000 users connected to each of 3 providers
 *      (30,000 connections, seeded through the repositories): the database
 *      scan (repository report()) and the whole `/oauth2 report` command.
 * Every process is its own (replicas, proxy, floor); they share the machine's
 * cores with the load generator, so 3 replicas are no faster than 1 on 2 cores:
 * the row shows what the proxy hop and the extra processes cost, not scaling.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { startCluster, PROVIDER_ID, type Cluster } from '../test/support/replicas/cluster.js';
import { startProxyProcess, type ProxyProcess } from '../test/support/replicas/proxy_process.js';
import { median, runLoad, type LoadResult } from './load.js';
import { startServer, type ServerProcess } from './servers.js';
import { cycled, signedPerRun, triggerWindowMs, type BodySource } from './signed_triggers.js';

export const REPLICA_CONCURRENCY = [1, 16];
export const REPORT_USERS = 10_000;
export const REPORT_PROVIDERS = 3;
const PATH = '/standalone/command';
const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded' };
/** Every answer of a run: the user's status (its expiry is relative, so it changes by the minute), never a refusal. */
const isStatus = (body: string) => body.includes('Test OIDC') && body.includes('connected as **');
const CLOCK_TICK_US = 10_000; // USER_HZ = 100 on Linux

/** CPU time (user + system) a process has used, µs, from /proc (Linux): what it spent, whatever its neighbours took. */
function processCpuUs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_US;
}

export type ReplicaSetup = 'express floor' | '1 replica' | '1 replica + proxy' | '3 replicas + proxy';
const SETUPS: ReplicaSetup[] = ['express floor', '1 replica', '1 replica + proxy', '3 replicas + proxy'];

export interface ReplicaRow {
  setup: ReplicaSetup;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  /** Throughput over the floor's (same concurrency, same run). */
  rpsRatio: number;
  /** p99 over the floor's. */
  p99Ratio: number;
  /** CPU per request of the serving processes (the floor, or the replicas; not the proxy), µs. */
  cpuUs: number;
  rounds: Measured[];
}

type Measured = LoadResult & { cpuUs: number };

export interface ReplicasReport {
  rows: ReplicaRow[];
  report: { users: number; providers: number; connections: number; seedS: number; scanMs: number; commandMs: number; runs: number };
}

export interface ReplicasOptions {
  rounds: number;
  durationS: number;
  warmupS: number;
}

/** 10,000 users x 3 providers through the repositories (10 saves at a time, the pool size), as completes would store them. */
async function seedReport(cluster: Cluster): Promise<number> {
  const started = performance.now();
  const { providers, connections } = cluster.repositories;
  const base = await providers.get(PROVIDER_ID);
  if (!base) throw new Error('the cluster has no provider');
  const ids = [PROVIDER_ID];
  for (let i = 1; i < REPORT_PROVIDERS; i += 1) {
    const id = `bench-${i}`;
    await providers.save({ ...base, id, display_name: `Bench ${i}` });
    ids.push(id);
  }
  const now = Date.now();
  const rows = ids.flatMap((provider_id) =>
    Array.from({ length: REPORT_USERS }, (_, u) => ({
      user_id: `u${String(u).padStart(25, '0')}`,
      provider_id,
      origin: base.issuer ?? '',
      connection: { label: `user ${u}`, sub: `sub-${u}`, since: now },
      tokens: { access_token: `at-${provider_id}-${u}`, token_type: 'bearer', refresh_token: `rt-${u}`, expires_at: now + 3_600_000, obtained_at: now },
    })),
  );
  let next = 0;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (next < rows.length) await connections.save(rows[next++]!);
    }),
  );
  return (performance.now() - started) / 1000;
}

async function timeReport(cluster: Cluster, runs: number): Promise<{ scanMs: number; commandMs: number }> {
  const scans: number[] = [];
  const commands: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    let started = performance.now();
    const report = await cluster.repositories.connections.report();
    scans.push(performance.now() - started);
    const counted = Object.values(report).reduce((sum, r) => sum + r.connected.length, 0);
    if (counted < REPORT_USERS * REPORT_PROVIDERS) throw new Error(`the report counts ${counted} connections`);
    started = performance.now();
    const answer = await cluster.command(cluster.admin, 'report', cluster.replicas[0]!.url);
    commands.push(performance.now() - started);
    if (!answer.text.includes(`| ${REPORT_USERS} |`)) throw new Error(`the report command answered: ${answer.text.slice(0, 300)}`);
  }
  return { scanMs: median(scans), commandMs: median(commands) };
}

export async function replicasBench(options: ReplicasOptions, progress: (line: string) => void): Promise<ReplicasReport> {
  progress('  starting 3 replicas of dist/main.js on a PostgreSQL database of their own...');
  const window = triggerWindowMs(Math.max(options.durationS, 2 * options.warmupS));
  const cluster = await startCluster({ replicas: 3, env: { APP_LOG_LEVEL: 'info', APP_TRIGGER_WINDOW_MS: String(window) } });
  const stops: Array<() => Promise<void>> = [];
  try {
    const user = cluster.mm.addUser('bench');
    const page = await cluster.connect(user, 'bench-op');
    if (!/Connected to Test OIDC/.test(page.text)) throw new Error(`the bench user could not connect: ${page.text}`);
    const sign = () => cluster.commandForm(user, 'status');
    const answer = await fetch(cluster.replicas[0]!.url + PATH, { method: 'POST', headers: FORM_HEADERS, body: sign() });
    const answerText = await answer.text();
    if (answer.status !== 200 || !isStatus(answerText)) throw new Error(`status answered HTTP ${answer.status}: ${answerText.slice(0, 200)}`);

    const floor: ServerProcess = await startServer('express', { env: {}, responses: { [PATH]: answerText } });
    stops.push(() => floor.stop());
    const single: ProxyProcess = await startProxyProcess([cluster.replicas[0]!.port]);
    stops.push(() => single.stop());
    const all: ProxyProcess = await startProxyProcess(cluster.replicas.map((r) => r.port));
    stops.push(() => all.stop());
    const urls: Record<ReplicaSetup, string> = {
      'express floor': floor.url + PATH,
      '1 replica': cluster.replicas[0]!.url + PATH,
      '1 replica + proxy': single.url + PATH,
      '3 replicas + proxy': all.url + PATH,
    };
    for (const [setup, url] of Object.entries(urls)) {
      const text = await (await fetch(url, { method: 'POST', headers: FORM_HEADERS, body: sign() })).text();
      if (!isStatus(text)) throw new Error(`${setup} answers differently: ${text.slice(0, 200)}`);
    }
    // The floor reads no trigger: it cycles through bodies of the same kind.
    const floorBodies = cycled(Array.from({ length: 2000 }, sign));
    const bodies = Object.fromEntries(SETUPS.map((setup) => [setup, setup === 'express floor' ? floorBodies : signedPerRun(sign)])) as Record<
      ReplicaSetup,
      BodySource
    >;
    const load = async (setup: ReplicaSetup, url: string, connections: number, duration: number) => {
      const pool = bodies[setup].forRun(connections, duration);
      const result = await runLoad({ url, nextBody: pool.next, verify: isStatus, headers: FORM_HEADERS, connections, duration });
      bodies[setup].saw(result.rps);
      if (pool.signedLate() > 0) progress(`  ${setup}, c=${connections}: ${pool.signedLate()} triggers signed during the run (the pre-signed ones ran out)`);
      return result;
    };

    const pids = cluster.replicas.map((r) => r.pid!);
    const cpuOf: Record<ReplicaSetup, () => Promise<number>> = {
      'express floor': async () => (await floor.stats()).cpuUs,
      '1 replica': async () => processCpuUs(pids[0]!),
      '1 replica + proxy': async () => processCpuUs(pids[0]!),
      '3 replicas + proxy': async () => pids.reduce((sum, pid) => sum + processCpuUs(pid), 0),
    };
    // Every replica warm (JIT, pools) before anything is measured: behind the proxy each gets only a third.
    for (const replica of cluster.replicas) await load('1 replica', replica.url + PATH, 4, 2 * options.warmupS);
    const results = new Map<string, Measured[]>();
    for (let round = 0; round < options.rounds; round += 1) {
      // The order rotates each round, so drift on the shared cores hits every setup alike.
      for (const setup of SETUPS.map((_, i) => SETUPS[(i + round) % SETUPS.length]!)) {
        await load(setup, urls[setup], 16, options.warmupS);
        for (const connections of REPLICA_CONCURRENCY) {
          const before = await cpuOf[setup]();
          const run = await load(setup, urls[setup], connections, options.durationS);
          const measured = { ...run, cpuUs: ((await cpuOf[setup]()) - before) / run.requests };
          const key = `${setup}|${connections}`;
          results.set(key, [...(results.get(key) ?? []), measured]);
        }
      }
      progress(`  round ${round + 1}/${options.rounds} done`);
    }
    const rows: ReplicaRow[] = [];
    for (const connections of REPLICA_CONCURRENCY) {
      const measured = (setup: ReplicaSetup) => {
        const runs = results.get(`${setup}|${connections}`) ?? [];
        return {
          runs,
          rps: median(runs.map((r) => r.rps)),
          p50: median(runs.map((r) => r.p50)),
          p99: median(runs.map((r) => r.p99)),
          cpuUs: median(runs.map((r) => r.cpuUs)),
        };
      };
      const base = measured('express floor');
      for (const setup of SETUPS) {
        const m = measured(setup);
        rows.push({
          setup,
          connections,
          rps: m.rps,
          p50: m.p50,
          p99: m.p99,
          rpsRatio: m.rps / base.rps,
          p99Ratio: m.p99 / base.p99,
          cpuUs: m.cpuUs,
          rounds: m.runs,
        });
      }
    }

    progress(`  seeding ${REPORT_USERS} users x ${REPORT_PROVIDERS} providers through the repositories...`);
    const seedS = await seedReport(cluster);
    const runs = 5;
    const timed = await timeReport(cluster, runs);
    return {
      rows,
      report: { users: REPORT_USERS, providers: REPORT_PROVIDERS, connections: REPORT_USERS * REPORT_PROVIDERS, seedS, runs, ...timed },
    };
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
    await cluster.close();
  }
}

/** The printed table: one line per setup and concurrency, ratios to the floor of the same run. */
export function replicasTable(report: ReplicasReport, say: (line?: string) => void): void {
  const fixed = (n: number, digits = 2) => n.toFixed(digits);
  const cells = (values: string[]) => values.map((v, i) => (i === 0 ? v.padEnd(19) : v.padStart(i === 1 ? 3 : 11))).join('  ');
  say(cells(['setup', 'c', 'r/s', 'p50 ms', 'p99 ms', 'r/s / floor', 'p99 / floor', 'CPU µs/req']));
  for (const row of report.rows) {
    say(
      cells([
        row.setup,
        String(row.connections),
        fixed(row.rps, 0),
        fixed(row.p50),
        fixed(row.p99),
        fixed(row.rpsRatio),
        fixed(row.p99Ratio),
        fixed(row.cpuUs, 0),
      ]),
    );
  }
  const r = report.report;
  say(
    `Admin report, ${r.users.toLocaleString('en')} users x ${r.providers} providers (${r.connections.toLocaleString('en')} connections, seeded in ${fixed(r.seedS, 1)} s), median of ${r.runs}: database scan ${fixed(r.scanMs, 0)} ms, whole /oauth2 report command ${fixed(r.commandMs, 0)} ms`,
  );
}
