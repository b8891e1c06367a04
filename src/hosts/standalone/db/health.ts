/**
 * Health of the standalone host's storage, for GET /healthz: a `select 1` that
 * gives up after a bounded time, so a stalled database answers 503 quickly
 * instead of hanging the probe. A failure is reported, never thrown, and its
 * reason is logged, never answered.
 */
import { Router, type Request, type Response } from 'express';
import { sql, type Kysely } from 'kysely';
import type { Logger } from '../../../log/logger.js';
import { rateLimitedWarn } from '../../../log/rate_limited.js';
import type { Database } from './schema.js';

export type DatabaseHealth = { ok: true; latency_ms: number } | { ok: false; reason: string };

const DEFAULT_TIMEOUT_MS = 2000;

export async function checkDatabase(db: Kysely<Database>, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<DatabaseHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<DatabaseHealth>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: `the database did not answer within ${timeoutMs} ms` }), timeoutMs);
  });
  const probe = sql`select 1 as one`
    .execute(db)
    .then((): DatabaseHealth => ({ ok: true, latency_ms: Math.round(performance.now() - started) }))
    // The driver's message (e.g. ECONNREFUSED 127.0.0.1:5432) holds no password.
    .catch((error: unknown): DatabaseHealth => ({
      ok: false,
      reason: `the database is unreachable: ${error instanceof Error ? error.message : String(error)}`,
    }));
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface HealthOptions {
  /** The hosts this process serves. */
  hosts: readonly string[];
  /** The standalone host's storage; absent when only the Apps host runs. */
  storage?: { kind: string; check(timeoutMs?: number): Promise<DatabaseHealth> };
  timeoutMs?: number;
  /** Where the reason of a failed check goes: the answer itself holds none. */
  logger: Logger;
  now?: () => number;
}

/**
 * GET /healthz: 200 {status: "ok", hosts, storage} when healthy, 503 {status: "unavailable", ...}
 * when the database is unreachable. Anyone who reaches the service may ask, so the driver's error
 * (addresses, ports, server messages) goes to the log only, a few lines a minute however often the
 * probe asks.
 */
export function healthRouter(options: HealthOptions): Router {
  const router = Router();
  const logUnhealthy = rateLimitedWarn(options.logger, options.now ?? Date.now);
  router.get('/healthz', async (_req: Request, res: Response) => {
    res.set('Cache-Control', 'no-store');
    if (!options.storage) {
      res.status(200).json({ status: 'ok', hosts: options.hosts, storage: 'none' });
      return;
    }
    const health = await options.storage.check(options.timeoutMs);
    const body = { hosts: options.hosts, storage: options.storage.kind };
    if (health.ok) {
      res.status(200).json({ status: 'ok', ...body, database: { ok: true, latency_ms: health.latency_ms } });
      return;
    }
    logUnhealthy('health check: database unavailable', { storage: options.storage.kind, reason: health.reason });
    res.status(503).json({ status: 'unavailable', ...body, database: { ok: false } });
  });
  return router;
}
