/**
 * The service's probes, GET /healthz (the process answers) and GET /readyz
 * (it can serve), and the database check readiness starts with: a `select 1`
 * that gives up after a bounded time, so a stalled database is reported
 * quickly instead of hanging the probe. A failure is reported, never thrown,
 * and its reason is logged, never answered.
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

/** work's result, or undefined when it takes longer than timeoutMs. */
export async function bounded<T>(work: Promise<T>, timeoutMs: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface HealthOptions {
  /** The hosts this process serves. */
  hosts: readonly string[];
  /** The standalone host's storage kind; absent when only the Apps host runs. */
  storage?: { kind: string };
  /** true once the process stops accepting requests: /healthz then says 503. */
  shuttingDown?: () => boolean;
  /** The checks that fail now, each with why (for the log); absent: always ready. */
  unready?: () => Promise<Array<{ check: string; reason: string }>>;
  /** Where the reason of a failed check goes: the answer itself holds none. */
  logger: Logger;
  now?: () => number;
}

/**
 * GET /healthz (liveness): 200 {status: "ok", hosts, storage} while the process answers, 503
 * {status: "shutting_down"} once it stops. GET /readyz (readiness): 200 {status: "ready"} when the
 * service can serve, else 503 {status: "unavailable", failing: [...]} naming the failing checks.
 * Anyone who reaches the service may ask, so why a check fails (addresses, server messages) goes to
 * the log only, a few lines a minute however often the probe asks.
 */
export function healthRouter(options: HealthOptions): Router {
  const router = Router();
  const logUnready = rateLimitedWarn(options.logger, options.now ?? Date.now);
  const body = { hosts: options.hosts, storage: options.storage?.kind ?? 'none' };
  router.get('/healthz', (_req: Request, res: Response) => {
    res.set('Cache-Control', 'no-store');
    if (options.shuttingDown?.()) res.status(503).json({ status: 'shutting_down', ...body });
    else res.status(200).json({ status: 'ok', ...body });
  });
  router.get('/readyz', async (_req: Request, res: Response) => {
    res.set('Cache-Control', 'no-store');
    const unready = options.shuttingDown?.() ? [{ check: 'shutting_down', reason: 'the process is stopping' }] : ((await options.unready?.()) ?? []);
    if (unready.length === 0) {
      res.status(200).json({ status: 'ready', ...body });
      return;
    }
    logUnready('readiness check: cannot serve', { failing: Object.fromEntries(unready.map(({ check, reason }) => [check, reason])) });
    res.status(503).json({ status: 'unavailable', ...body, failing: unready.map(({ check }) => check) });
  });
  return router;
}
