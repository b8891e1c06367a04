/**
 * Whether the standalone host can serve, for GET /readyz: its database
 * answers, its schema has every migration, its storage holds the installation
 * setup made, and Mattermost answers GET /api/v4/system/ping. The answer names
 * the failing checks only; why goes to the log. Mattermost's answer is kept
 * for a few seconds, so however often /readyz is asked, Mattermost is asked
 * at most once in that time.
 */
import { sql } from 'kysely';
import { bounded } from '../db/health.js';
import { MIGRATIONS } from '../db/migrations.js';
import type { StandaloneDatabase } from '../db/open_database.js';

export type ReadinessCheck = 'database' | 'schema' | 'installation' | 'mattermost';

/** Each failing check with why (for the log), in the order above. */
export type Unready = Array<{ check: ReadinessCheck; reason: string }>;

export const PING_CACHE_MS = 5000;

/** true when Mattermost answered its ping with 200 within timeoutMs; the answer is reused for PING_CACHE_MS. */
export function mattermostPing(options: {
  mattermostUrl: string;
  fetch: typeof fetch;
  timeoutMs: number;
  now: () => number;
}): () => Promise<string | undefined> {
  let last: { at: number; result: Promise<string | undefined> } | undefined;
  const ask = async (): Promise<string | undefined> => {
    try {
      const res = await options.fetch(`${options.mattermostUrl}/api/v4/system/ping`, { signal: AbortSignal.timeout(options.timeoutMs) });
      await res.body?.cancel();
      return res.ok ? undefined : `Mattermost answered its ping with ${res.status}`;
    } catch (err) {
      return `Mattermost did not answer its ping: ${(err as Error).message}`;
    }
  };
  return () => {
    if (!last || options.now() - last.at >= PING_CACHE_MS) last = { at: options.now(), result: ask() };
    return last.result;
  };
}

/** What a reachable database lacks: tables of a migration not applied, or the installation row. */
async function storageProblems(database: StandaloneDatabase, timeoutMs: number): Promise<Unready> {
  const applied = await bounded(
    sql<{ name: string }>`select name from kysely_migration`.execute(database.db).then(
      (result) => new Set(result.rows.map((row) => row.name)),
      () => new Set<string>(),
    ),
    timeoutMs,
  );
  const missing = Object.keys(MIGRATIONS).filter((name) => !applied?.has(name));
  if (!applied || missing.length > 0) return [{ check: 'schema', reason: applied ? `migrations not applied: ${missing.join(', ')}` : 'no answer' }];
  const row = await bounded(
    database.db
      .selectFrom('installation')
      .select('id')
      .executeTakeFirst()
      .catch(() => undefined),
    timeoutMs,
  );
  return row ? [] : [{ check: 'installation', reason: 'the storage holds no installation: setup has not run against it' }];
}

/** The failing checks (empty when ready); the database is asked first, Mattermost at the same time. */
export async function unreadiness(database: StandaloneDatabase, ping: () => Promise<string | undefined>, timeoutMs: number): Promise<Unready> {
  const mattermost = ping();
  const health = await database.check(timeoutMs);
  const storage: Unready = health.ok ? await storageProblems(database, timeoutMs) : [{ check: 'database', reason: health.reason }];
  const pingProblem = await mattermost;
  return pingProblem ? [...storage, { check: 'mattermost', reason: pingProblem }] : storage;
}
