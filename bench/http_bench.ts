/**
 * Throughput and latency of the App against its two floors, in one run: each
 * server in its own process, the variants taking turns (the order rotates each
 * round) so drift on the shared 2 cores hits all of them alike; medians over
 * the rounds.
 */
import { runLoad, median, type LoadResult } from './load.js';
import { bindingsBody, pluginJwt, statusBody } from './payloads.js';
import { startServer, type ServerProcess } from './servers.js';
import type { Variant } from './servers.js';

export const VARIANTS: Variant[] = ['app', 'express', 'express-json', 'node'];
export const CONCURRENCY = [1, 16, 64];
export const ENDPOINTS = { bindings: { path: '/bindings', body: bindingsBody() }, status: { path: '/status', body: statusBody() } } as const;
export type Endpoint = keyof typeof ENDPOINTS;

export interface HttpOptions {
  rounds: number;
  durationS: number;
  warmupS: number;
  env: Record<string, string>;
  secret: string;
  appNodeFlags?: string[];
}

/**
 * Every variant's first warm-up is three times as long: the App's code is still
 * being optimized after one (its first-round c=1 figure stood 20-30% above the
 * later rounds'), the floors' few functions are not; all variants get the same.
 */
export const warmupFor = (round: number, warmupS: number): number => (round === 0 ? 3 * warmupS : warmupS);

export interface HttpRow {
  endpoint: Endpoint;
  connections: number;
  variant: Variant;
  rps: number;
  p50: number;
  p99: number;
  /** Server CPU time (user + system) per request, µs: what the server spends, whatever the neighbours take. */
  cpuUs: number;
  rounds: Measured[];
}

type Measured = LoadResult & { cpuUs: number };

export interface HttpReport {
  rows: HttpRow[];
  responseBytes: Record<Endpoint, number>;
  requestBytes: Record<Endpoint, number>;
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<string> {
  const res = await fetch(url, { method: 'POST', body, headers });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}: ${text.slice(0, 200)}`);
  return text;
}

/** The App's own answers, which the floors then serve verbatim. */
async function appAnswers(app: ServerProcess, headers: Record<string, string>): Promise<Record<string, string>> {
  const responses: Record<string, string> = {};
  for (const { path, body } of Object.values(ENDPOINTS)) {
    const text = await post(app.url + path, body, headers);
    const answer = JSON.parse(text) as { type?: string; data?: unknown[]; text?: string };
    if (answer.type !== 'ok') throw new Error(`${path}: the App answered ${text.slice(0, 200)}`);
    if (path === '/bindings' && !(Array.isArray(answer.data) && answer.data.length > 0)) throw new Error('/bindings: no bindings');
    responses[path] = text;
  }
  return responses;
}

export async function httpBench(options: HttpOptions, progress: (line: string) => void): Promise<HttpReport> {
  const headers = { 'content-type': 'application/json', 'mattermost-app-authorization': `Bearer ${await pluginJwt(options.secret)}` };
  const app = await startServer('app', { env: options.env, responses: {}, nodeFlags: options.appNodeFlags ?? [] });
  const servers: ServerProcess[] = [app];
  try {
    const responses = await appAnswers(app, headers);
    for (const variant of VARIANTS.slice(1)) servers.push(await startServer(variant, { env: {}, responses }));
    for (const server of servers.slice(1)) {
      for (const { path, body } of Object.values(ENDPOINTS)) {
        if ((await post(server.url + path, body, headers)) !== responses[path]) throw new Error(`${server.variant} answers ${path} differently`);
      }
    }
    const results = new Map<string, Measured[]>();
    for (let round = 0; round < options.rounds; round += 1) {
      const order = VARIANTS.map((_, i) => servers[(i + round) % servers.length]!);
      for (const server of order) {
        for (const [name, { path, body }] of Object.entries(ENDPOINTS)) {
          const url = server.url + path;
          await runLoad({ url, body, headers, connections: 16, duration: warmupFor(round, options.warmupS) });
          for (const connections of CONCURRENCY) {
            const before = await server.stats();
            const load = await runLoad({ url, body, headers, connections, duration: options.durationS });
            const result = { ...load, cpuUs: ((await server.stats()).cpuUs - before.cpuUs) / load.requests };
            const key = `${name}|${connections}|${server.variant}`;
            results.set(key, [...(results.get(key) ?? []), result]);
          }
        }
        progress(`  round ${round + 1}/${options.rounds}: ${server.variant} done`);
      }
    }
    const rows: HttpRow[] = [];
    for (const endpoint of Object.keys(ENDPOINTS) as Endpoint[]) {
      for (const connections of CONCURRENCY) {
        for (const variant of VARIANTS) {
          const runs = results.get(`${endpoint}|${connections}|${variant}`) ?? [];
          rows.push({
            endpoint,
            connections,
            variant,
            rps: median(runs.map((r) => r.rps)),
            p50: median(runs.map((r) => r.p50)),
            p99: median(runs.map((r) => r.p99)),
            cpuUs: median(runs.map((r) => r.cpuUs)),
            rounds: runs,
          });
        }
      }
    }
    const size = (s: string) => Buffer.byteLength(s);
    return {
      rows,
      responseBytes: { bindings: size(responses['/bindings']!), status: size(responses['/status']!) },
      requestBytes: { bindings: size(ENDPOINTS.bindings.body), status: size(ENDPOINTS.status.body) },
    };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}
