/**
 * The keep-alive pass in the background: every replica asks for it once a
 * minute (the first time a few seconds after start, at random, so replicas
 * started together do not ask on the same beat) and the lease lets one of
 * them run it once per interval. Off when the idle time is 0. stop() ends a
 * running pass at its next wait, so shutdown does not wait out the spacing.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SqlConnectionRepository, SqlLeaseStore } from '../db/index.js';
import type { StandaloneDeps } from '../deps.js';
import { runKeepAlivePass, type KeepAliveCounts, type KeepAliveSettings } from './pass.js';

export const ASK_EVERY_MS = 60_000;
export const FIRST_ASK_WITHIN_MS = 10_000;

/** The loop's time: Node's timers and Math.random, or a clock a test moves (deps.now must follow the same clock). */
export interface LoopTiming {
  /** Runs `run` once after `ms`, then every `everyMs`; the answer cancels it. */
  schedule(ms: number, everyMs: number, run: () => void): () => void;
  /** Resolves after `ms`; rejects once `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  random(): number;
}

const nodeTiming: LoopTiming = {
  schedule(ms, everyMs, run) {
    let timer: NodeJS.Timeout | undefined;
    const first = setTimeout(() => {
      run();
      timer = setInterval(run, everyMs);
      timer.unref();
    }, ms);
    first.unref();
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  },
  sleep: (ms, signal) => sleep(ms, undefined, { signal }),
  random: Math.random,
};

export interface KeepAliveLoopOptions {
  deps: StandaloneDeps;
  repositories: { connections: SqlConnectionRepository; leases: SqlLeaseStore };
  settings: KeepAliveSettings;
  onPass?(counts: KeepAliveCounts): void;
  timing?: LoopTiming;
}

/** Starts the loop; the function it answers stops it (and the pass under way). */
export function startKeepAlive(options: KeepAliveLoopOptions): () => Promise<void> {
  const { deps, settings, timing = nodeTiming } = options;
  if (settings.idleMs === 0) return async () => undefined;
  const stopping = new AbortController();
  const holder = randomUUID();
  let running: Promise<unknown> | undefined;
  const ask = () => {
    running ??= runKeepAlivePass({
      deps,
      ...options.repositories,
      settings,
      holder,
      sleep: (ms) => timing.sleep(ms, stopping.signal),
      random: () => timing.random(),
      ...(options.onPass && { onPass: options.onPass }),
    })
      .catch((err: unknown) => {
        if (!stopping.signal.aborted) deps.logger.warn('keep-alive pass failed; tried again later', { error: err });
      })
      .finally(() => {
        running = undefined;
      });
  };
  const cancel = timing.schedule(timing.random() * FIRST_ASK_WITHIN_MS, ASK_EVERY_MS, ask);
  return async () => {
    cancel();
    stopping.abort();
    await running;
  };
}
