/**
 * The standalone command path: a status command through the whole service
 * (POST /standalone/command: command token check, the signed trigger check with
 * its single-use record, database reads, answer), single process, on SQLite
 * and on PostgreSQL (a database of its own, dropped after), against two floors
 * answering the same JSON in the same run: bare express, and express parsing
 * the same urlencoded body. Every request carries a trigger id of its own,
 * signed for the seeded user (bench/signed_triggers.ts); every answer must be
 * the status text. As bench/http_bench.ts: each server in its own process, the
 * three taking turns each round, medians over the rounds; CPU is the server's own.
 */
import { dirname } from 'node:path';
import type { BackendName, Scratch } from '../test/support/standalone_db.js';
import { onEachScratchBackend } from './scratch_backends.js';
import { createTriggerSigner } from '../test/support/standalone/trigger_signer.js';
import { CONCURRENCY } from './http_bench.js';
import { median } from './load.js';
import { startServer, type ServerProcess, type StandaloneSeed } from './servers.js';
import { serveClientConfig } from './client_config_server.js';
import { signatureCheckUs } from './signature_check.js';
import { cycled, signedPerRun, triggerWindowMs } from './signed_triggers.js';
import { firstStatusAnswer, HEADERS, PATH, SEED, statusForm } from './standalone_command.js';
import { measureRounds, type Measured, type Target } from './standalone_rounds.js';

/** Bodies the floors cycle through: they read no trigger, but get bodies of the same size and shape. */
const FLOOR_BODIES = 2000;

export type Side = 'standalone' | 'express' | 'express-form';
export const SIDES: Side[] = ['standalone', 'express', 'express-form'];

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
  /** Triggers signed during measured runs because the pre-signed ones ran out (0 when the pools were big enough). */
  signedLate: number;
  /** CPU µs to read one trigger and check its signature, in this run (bench/signature_check.ts). */
  signatureCheckUs: number;
}

export interface StandaloneOptions {
  rounds: number;
  durationS: number;
  warmupS: number;
  env: Record<string, string>;
  /** Extra node flags of the service's process, e.g. --cpu-prof (BENCH_CPU_PROF=1). */
  serviceNodeFlags?: string[];
}

type Signer = () => string;

const medianRows = (backend: BackendName, results: Map<string, Measured[]>): StandaloneRow[] =>
  CONCURRENCY.flatMap((connections) =>
    SIDES.map((variant): StandaloneRow => {
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

/** The two floors, answering the service's own status text; they read no trigger, so they cycle through signed bodies. */
async function startFloors(answer: string, sign: Signer, servers: ServerProcess[]): Promise<Target[]> {
  const floorBodies = cycled(Array.from({ length: FLOOR_BODIES }, sign));
  const targets: Target[] = [];
  for (const variant of ['express', 'express-form'] as const) {
    const floor = await startServer(variant, { env: {}, responses: { [PATH]: answer } });
    servers.push(floor);
    const text = await (await fetch(floor.url + PATH, { method: 'POST', headers: HEADERS, body: sign() })).text();
    if (text !== answer) throw new Error(`${variant} answers differently: ${text.slice(0, 200)}`);
    targets.push({ server: floor, bodies: floorBodies });
  }
  return targets;
}

async function benchBackend(
  backend: BackendName,
  scratch: Scratch,
  seed: StandaloneSeed,
  sign: Signer,
  options: StandaloneOptions,
  progress: (line: string) => void,
) {
  const db: Record<string, string> =
    scratch.settings.kind === 'postgres' ? { BENCH_DATABASE_URL: scratch.settings.url } : { BENCH_DATA_DIR: dirname(scratch.settings.file) };
  const service = await startServer('standalone', { env: { ...options.env, ...db }, responses: {}, seed, nodeFlags: options.serviceNodeFlags ?? [] });
  const servers: ServerProcess[] = [service];
  try {
    const answer = await firstStatusAnswer(service.url, sign);
    const targets = [{ server: service, bodies: signedPerRun(sign) }, ...(await startFloors(answer, sign, servers))];
    const { results, signedLate } = await measureRounds(targets, answer, options, (round) =>
      progress(`  round ${round + 1}/${options.rounds}: standalone on ${backend} and the two express floors done`),
    );
    if (signedLate > 0) progress(`  ${backend}: ${signedLate} triggers were signed during measured runs (the pre-signed ones ran out)`);
    return { rows: medianRows(backend, results), answerBytes: Buffer.byteLength(answer), signedLate };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

export async function standaloneBench(options: StandaloneOptions, progress: (line: string) => void): Promise<StandaloneReport> {
  const signer = createTriggerSigner();
  const sign: Signer = () => statusForm(signer.sign(SEED.userId));
  const mattermost = await serveClientConfig(signer.publicKeyBase64);
  const seed: StandaloneSeed = { ...SEED, mattermostUrl: mattermost.url, triggerWindowMs: triggerWindowMs(Math.max(options.durationS, 3 * options.warmupS)) };
  const report: StandaloneReport = {
    rows: [],
    skipped: {},
    answerBytes: 0,
    requestBytes: Buffer.byteLength(sign()),
    signedLate: 0,
    signatureCheckUs: signatureCheckUs(signer, SEED.userId),
  };
  try {
    await onEachScratchBackend(report.skipped, progress, async (backend, scratch) => {
      const { rows, answerBytes, signedLate } = await benchBackend(backend, scratch, seed, sign, options, progress);
      report.rows.push(...rows);
      report.answerBytes = answerBytes;
      report.signedLate += signedLate;
    });
  } finally {
    await mattermost.close();
  }
  return report;
}
