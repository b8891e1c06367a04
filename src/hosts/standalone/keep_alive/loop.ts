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

const ASK_EVERY_MS = 60_000;
const FIRST_ASK_WITHIN_MS = 10_000;

export interface KeepAliveLoopOptions {
  deps: StandaloneDeps;
  repositories: { connections: SqlConnectionRepository; leases: SqlLeaseStore };
  settings: KeepAliveSettings;
  onPass?(counts: KeepAliveCounts): void;
}

/** Starts the loop; the function it answers stops it (and the pass under way). */
export function startKeepAlive(options: KeepAliveLoopOptions): () => Promise<void> {
  const { deps, settings } = options;
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
      sleep: (ms) => sleep(ms, undefined, { signal: stopping.signal }),
      random: Math.random,
      ...(options.onPass && { onPass: options.onPass }),
    })
      .catch((err: unknown) => {
        if (!stopping.signal.aborted) deps.logger.warn('keep-alive pass failed; tried again later', { error: err });
      })
      .finally(() => {
        running = undefined;
      });
  };
  let timer: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    ask();
    timer = setInterval(ask, ASK_EVERY_MS);
    timer.unref();
  }, Math.random() * FIRST_ASK_WITHIN_MS);
  first.unref();
  return async () => {
    clearTimeout(first);
    clearInterval(timer);
    stopping.abort();
    await running;
  };
}
