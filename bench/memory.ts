/**
 * The leak check: a fresh App process, RSS and heap after a warm-up, then
 * after 100,000 more calls (half bindings, half /status), each read after a
 * full GC (--expose-gc). Growth beyond the bounds fails the benchmark.
 *
 * The young generation has a fixed size in that process. V8 grows it with the
 * allocation rate, to a limit that depends on the Node.js line: on Node 24 it
 * doubled to 64 MB after the warm-up, which alone is +28 MB of RSS, and then
 * stayed there for 250,000 more calls. That is V8's sizing rather than anything
 * the App keeps, and fixing the size takes it out of the figure.
 */
import { runLoad } from './load.js';
import { ENDPOINTS } from './http_bench.js';
import { pluginJwt } from './payloads.js';
import { startServer } from './servers.js';

export const LEAK_BOUNDS = {
  /** RSS may grow this much (allocator and JIT settling; the young generation's size is fixed); a 200-byte-per-call leak alone is 20 MB. */
  rssMb: 24,
  /** The live heap after GC barely moves unless something is kept per call (40 bytes a call). */
  heapMb: 4,
};

/** Semi-spaces of 16 MB, the young generation 32 MB: where V8 starts on Node 24 (see above). */
const FIXED_YOUNG_GENERATION = ['--min-semi-space-size=16', '--max-semi-space-size=16'];

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
  const app = await startServer('app', { env: options.env, responses: {}, nodeFlags: FIXED_YOUNG_GENERATION });
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
