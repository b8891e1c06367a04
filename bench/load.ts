/**
 * One autocannon run with exact latencies: autocannon's own histogram keeps
 * whole milliseconds, too coarse for a 2 ms budget, so every response time
 * (a float in ms, from process.hrtime) is kept from its 'response' events and
 * the percentiles are computed here. Throughput is 2xx responses / elapsed.
 * A run fails on any non-2xx answer, and on any answer `verify` rejects.
 */
import autocannon from 'autocannon';

export interface LoadSpec {
  url: string;
  /** The same body for every request; or `nextBody`, called for each request (e.g. a single-use trigger id in each). */
  body?: string;
  nextBody?: () => string;
  /** Every answer's body must pass (e.g. be the real status text, not a refusal that happens to be 200). */
  verify?: (body: string) => boolean;
  headers: Record<string, string>;
  connections: number;
  /** Seconds; or `amount` requests. */
  duration?: number;
  amount?: number;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
}

export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** autocannon's hook that rebuilds each request: here, only its body changes. */
const withBody =
  (nextBody: () => string) =>
  (request: autocannon.Request): autocannon.Request => {
    request.body = nextBody();
    return request;
  };

export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  let times = new Float64Array(1 << 16);
  let count = 0;
  let bad = 0;
  let firstMismatch: string | undefined;
  const verify = spec.verify;
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        method: 'POST',
        headers: spec.headers,
        body: spec.body,
        ...(spec.nextBody && { requests: [{ setupRequest: withBody(spec.nextBody) }] }),
        ...(verify && {
          verifyBody: (body: unknown) => {
            const ok = typeof body === 'string' && verify(body);
            if (!ok) firstMismatch ??= String(body);
            return ok;
          },
        }),
        connections: spec.connections,
        pipelining: 1,
        ...(spec.amount !== undefined ? { amount: spec.amount } : { duration: spec.duration ?? 3 }),
      },
      (err: unknown, result: autocannon.Result) => {
        const elapsedS = Number(process.hrtime.bigint() - started) / 1e9;
        if (err) return reject(err);
        if (bad > 0 || result.errors > 0 || result.timeouts > 0 || result.mismatches > 0) {
          const counts = `${bad} non-2xx answers, ${result.mismatches} answers not as expected, ${result.errors} errors, ${result.timeouts} timeouts`;
          return reject(new Error(`${spec.url}: ${counts}${firstMismatch ? `; e.g. ${firstMismatch.slice(0, 200)}` : ''}`));
        }
        const sorted = times.subarray(0, count).sort();
        resolve({ rps: count / elapsedS, p50: percentile(sorted, 50), p99: percentile(sorted, 99), requests: count });
      },
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status < 200 || status > 299) bad += 1;
      if (count === times.length) {
        const bigger = new Float64Array(times.length * 2);
        bigger.set(times);
        times = bigger;
      }
      times[count++] = ms;
    });
  });
}
