/**
 * The standalone bench's rounds: each server in turn warmed up at 16
 * connections, then measured at each concurrency (throughput, exact latencies,
 * the server's own CPU per request), every answer checked against the status
 * text. The bodies of each run are ready before it starts (bench/signed_triggers.ts).
 */
import { CONCURRENCY, warmupFor } from './http_bench.js';
import { runLoad, type LoadResult } from './load.js';
import type { ServerProcess } from './servers.js';
import type { BodySource } from './signed_triggers.js';
import { HEADERS, PATH, sameAnswer } from './standalone_command.js';

export type Measured = LoadResult & { cpuUs: number };

export interface RoundOptions {
  rounds: number;
  durationS: number;
  warmupS: number;
}

/** One server under load, and where its runs get their bodies. */
export interface Target {
  server: ServerProcess;
  bodies: BodySource;
}

async function run(target: Target, answer: string, connections: number, durationS: number): Promise<LoadResult & { late: number }> {
  const pool = target.bodies.forRun(connections, durationS);
  const load = await runLoad({
    url: target.server.url + PATH,
    nextBody: pool.next,
    verify: sameAnswer(answer),
    headers: HEADERS,
    connections,
    duration: durationS,
  });
  target.bodies.saw(load.rps);
  return { ...load, late: pool.signedLate() };
}

async function measure(target: Target, answer: string, connections: number, durationS: number): Promise<Measured & { late: number }> {
  const before = await target.server.stats();
  const load = await run(target, answer, connections, durationS);
  return { ...load, cpuUs: ((await target.server.stats()).cpuUs - before.cpuUs) / load.requests };
}

/** Each round: every server warmed up, then measured at each concurrency; the order rotates each round. */
export async function measureRounds(targets: Target[], answer: string, options: RoundOptions, done: (round: number) => void) {
  const results = new Map<string, Measured[]>();
  let signedLate = 0;
  for (let round = 0; round < options.rounds; round += 1) {
    // Rotating the order makes drift on the shared cores hit every server alike.
    for (const target of targets.map((_, i) => targets[(i + round) % targets.length]!)) {
      await run(target, answer, 16, warmupFor(round, options.warmupS));
      for (const connections of CONCURRENCY) {
        const { late, ...measured } = await measure(target, answer, connections, options.durationS);
        signedLate += late;
        const key = `${connections}|${target.server.variant}`;
        results.set(key, [...(results.get(key) ?? []), measured]);
      }
    }
    done(round);
  }
  return { results, signedLate };
}
