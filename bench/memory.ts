/**
 * The leak check: a fresh App process, RSS and heap after a warm-up, then
 * after 100,000 more calls (half bindings, half /status), each read after a
 * full GC (--expose-gc). Growth beyond the bounds fails the benchmark.
 */
import { runLoad } from './load.js';
import { ENDPOINTS } from './http_bench.js';
import { pluginJwt } from './payloads.js';
import { startServer } from './servers.js';

export const LEAK_BOUNDS = {
  /** RSS may grow this much (allocator and JIT settling); a 200-byte-per-call leak alone is 20 MB. */
  rssMb: 24,
  /** The live heap after GC barely moves unless something is kept per call (40 bytes a call). */
  heapMb: 4,
};

export interface MemoryReport {
  calls: number;
  warmupCalls: number;
  rssWarmMb: number;
  rssAfterMb: number;
  heapWarmMb: number;
  heapAfterMb: number;
  rssGrowthMb: number;
  heapGrowthMb: number;
  logLinesPerCall: number;
  bounds: typeof LEAK_BOUNDS;
  ok: boolean;
}

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

async function calls(url: string, total: number, headers: Record<string, string>): Promise<void> {
  for (const { path, body } of Object.values(ENDPOINTS)) {
    await runLoad({ url: url + path, body, headers, connections: 16, amount: total / 2 });
  }
}

export async function memoryBench(options: { env: Record<string, string>; secret: string; calls?: number; warmupCalls?: number }): Promise<MemoryReport> {
  const total = options.calls ?? 100_000;
  const warmup = options.warmupCalls ?? 20_000;
  const headers = { 'content-type': 'application/json', 'mattermost-app-authorization': `Bearer ${await pluginJwt(options.secret)}` };
  const app = await startServer('app', { env: options.env, responses: {} });
  try {
    await calls(app.url, warmup, headers);
    const warm = await app.stats(true);
    await calls(app.url, total, headers);
    const after = await app.stats(true);
    const rssGrowthMb = mb(after.rss - warm.rss);
    const heapGrowthMb = mb(after.heapUsed - warm.heapUsed);
    return {
      calls: total,
      warmupCalls: warmup,
      rssWarmMb: mb(warm.rss),
      rssAfterMb: mb(after.rss),
      heapWarmMb: mb(warm.heapUsed),
      heapAfterMb: mb(after.heapUsed),
      rssGrowthMb,
      heapGrowthMb,
      logLinesPerCall: (after.logLines - warm.logLines) / total,
      bounds: LEAK_BOUNDS,
      ok: rssGrowthMb <= LEAK_BOUNDS.rssMb && heapGrowthMb <= LEAK_BOUNDS.heapMb,
    };
  } finally {
    await app.stop();
  }
}
