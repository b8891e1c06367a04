/**
 * One keep-alive pass: the replica that claims the lease walks the
 * connections not used for the idle time, oldest first, and refreshes each
 * through the path a use takes (core/keep_alive.ts), spacing the refreshes so
 * that at most `perMinute` reach the providers in any minute (plus jitter, so
 * the requests do not arrive on a beat). It stops when its lease ends; what it
 * did not reach is first in line on the next pass.
 */
import { keepConnectionAlive } from '../../../core/keep_alive.js';
import type { IdleConnection, SqlConnectionRepository, SqlLeaseStore } from '../db/index.js';
import type { StandaloneDeps } from '../deps.js';
import { backgroundRequest } from '../signin/core_request.js';

export const KEEP_ALIVE_LEASE = 'keep_alive';
const PAGE = 100;
/** Each wait is the spacing plus up to this share of it at random. */
const JITTER = 0.5;

export interface KeepAliveSettings {
  /** A connection not used for this long is refreshed (APP_KEEP_ALIVE_IDLE_DAYS); 0: off. */
  idleMs: number;
  /** How often a pass runs across all replicas, and how long it may run (APP_KEEP_ALIVE_INTERVAL_MINUTES). */
  intervalMs: number;
  /** At most this many refreshes a minute (APP_KEEP_ALIVE_PER_MINUTE). */
  perMinute: number;
}

/** What a pass did, for its log line and for metrics. */
export interface KeepAliveCounts {
  /** Refreshed: the provider renewed the connection. */
  refreshed: number;
  /** The provider refused the refresh for good: the connection is marked broken and the user was told. */
  failedForGood: number;
  /** The provider could not be reached or answered an error: tried again on a later pass. */
  failedForNow: number;
  /** Looked at and left alone: used meanwhile, broken, without a refresh token, or its provider gone. */
  skipped: number;
}

export interface KeepAlivePassParts {
  deps: StandaloneDeps;
  connections: SqlConnectionRepository;
  leases: SqlLeaseStore;
  settings: KeepAliveSettings;
  /** This process's id in the lease. */
  holder: string;
  /** Waits between refreshes; rejects when the service stops. */
  sleep(ms: number): Promise<void>;
  random(): number;
  /** Told after each pass this replica ran. */
  onPass?(counts: KeepAliveCounts): void;
}

/** Runs a pass if this replica claims it; undefined when another replica holds it or the last pass was under an interval ago. */
export async function runKeepAlivePass(parts: KeepAlivePassParts): Promise<KeepAliveCounts | undefined> {
  const { deps, leases, settings, holder } = parts;
  const started = deps.now();
  const heldUntil = await leases.claim({ name: KEEP_ALIVE_LEASE, holder, now: started, holdMs: settings.intervalMs, spacingMs: settings.intervalMs });
  if (heldUntil === undefined) return undefined;
  const counts: KeepAliveCounts = { refreshed: 0, failedForGood: 0, failedForNow: 0, skipped: 0 };
  try {
    await walkIdle(parts, started - settings.idleMs, heldUntil, counts);
  } finally {
    await leases.release(KEEP_ALIVE_LEASE, holder, deps.now()).catch(() => undefined);
  }
  deps.logger.info('keep-alive pass', { ...counts, idle_days: settings.idleMs / 86_400_000, ms: deps.now() - started });
  parts.onPass?.(counts);
  return counts;
}

async function walkIdle(parts: KeepAlivePassParts, idleBefore: number, heldUntil: number, counts: KeepAliveCounts): Promise<void> {
  const spacingMs = 60_000 / parts.settings.perMinute;
  let waitFirst = false;
  let after: IdleConnection | undefined;
  for (;;) {
    const page = await parts.connections.idle(idleBefore, PAGE, after);
    for (const idle of page) {
      if (waitFirst) await parts.sleep(Math.round(spacingMs * (1 + JITTER * parts.random())));
      if (parts.deps.now() >= heldUntil) return;
      const outcome = await keepOne(parts, idle, idleBefore);
      counts[outcome] += 1;
      waitFirst = outcome !== 'skipped';
    }
    if (page.length < PAGE) return;
    after = page[page.length - 1];
  }
}

async function keepOne(parts: KeepAlivePassParts, idle: IdleConnection, idleBefore: number): Promise<keyof KeepAliveCounts> {
  const { deps } = parts;
  try {
    const stored = await deps.providers.get(idle.provider_id);
    if (!stored) return 'skipped';
    const outcome = await keepConnectionAlive(backgroundRequest(deps, idle.user_id), deps, stored, idleBefore);
    return outcome === 'failed_for_good' ? 'failedForGood' : outcome;
  } catch (err) {
    deps.logger.warn('keep-alive refresh failed; tried again on a later pass', { user_id: idle.user_id, provider: idle.provider_id, error: err });
    return 'failedForNow';
  }
}
