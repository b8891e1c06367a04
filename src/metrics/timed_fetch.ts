/** Mattermost calls, timed: a fetch that observes each request's duration and whether it answered 2xx. */
import { performance } from 'node:perf_hooks';
import { secondsSince, type HostLabel, type ServiceMetrics } from './service_metrics.js';

/** Records one Mattermost call: its duration and whether it succeeded. */
export type MattermostCallObserver = (seconds: number, ok: boolean) => void;

export function mattermostCallObserver(metrics: ServiceMetrics, host: HostLabel): MattermostCallObserver {
  return (seconds, ok) => metrics.mattermostRequests.observe({ host, outcome: ok ? 'ok' : 'error' }, seconds);
}

/** Times `work` (a call to Mattermost) into `observe`, passing its result or error through. */
export async function timed<T>(observe: MattermostCallObserver | undefined, work: () => Promise<T>, ok: (value: T) => boolean = () => true): Promise<T> {
  if (!observe) return work();
  const started = performance.now();
  try {
    const value = await work();
    observe(secondsSince(started), ok(value));
    return value;
  } catch (err) {
    observe(secondsSince(started), false);
    throw err;
  }
}

export function timedFetch(doFetch: typeof fetch, observe: MattermostCallObserver): typeof fetch {
  return (input, init) =>
    timed(
      observe,
      () => doFetch(input, init),
      (response) => response.ok,
    );
}
