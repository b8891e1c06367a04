/**
 * What a database of the standalone host holds, as backup and restore report
 * it: counts (never a value), its schema against this version's migrations,
 * and the keys its sealed values are under (ids only).
 */
import SQLite from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { MIGRATIONS } from '../db/migrations.js';
import type { Database } from '../db/schema.js';
import { rotateSealedValues, type KindReport } from '../db/key_rotation.js';
import type { SealingKeys } from '../db/sealer.js';

/** The tables every version of the schema has: a file without them is not this product's database. */
const OWN_TABLES = ['kysely_migration', 'providers', 'connections', 'installation', 'team_commands', 'sessions', 'one_time'];

export type Inspection =
  | { ok: true; applied: string[]; pending: string[] }
  | {
      ok: false;
      /** An admin's sentence: why this file cannot be restored. */
      reason: string;
    };

/** Opens `file` read-only and says whether it is a database of this product that this version can run on. */
export function inspectDatabaseFile(file: string): Inspection {
  let db: SQLite.Database;
  try {
    db = new SQLite(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    return { ok: false, reason: `it cannot be opened (${(error as Error).message})` };
  }
  try {
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') return { ok: false, reason: `it is damaged (SQLite's check says: ${String(check).slice(0, 200)})` };
    const tables = new Set((db.prepare(`select name from sqlite_master where type = 'table'`).all() as Array<{ name: string }>).map((t) => t.name));
    const missing = OWN_TABLES.filter((t) => !tables.has(t));
    if (missing.length > 0) return { ok: false, reason: `it is not an OAuth2 Connect database (no ${missing.join(', ')} table)` };
    const applied = (db.prepare('select name from kysely_migration order by name').all() as Array<{ name: string }>).map((m) => m.name);
    const unknown = applied.filter((name) => !Object.hasOwn(MIGRATIONS, name));
    if (unknown.length > 0) {
      return {
        ok: false,
        reason: `its schema is newer than this version (migrations ${unknown.join(', ')} are unknown here): restore it with the version that made it, or a later one`,
      };
    }
    return { ok: true, applied, pending: Object.keys(MIGRATIONS).filter((name) => !applied.includes(name)) };
  } catch (error) {
    // "file is not a database" comes with the first read, not the open.
    return { ok: false, reason: `it is not an OAuth2 Connect database (${(error as Error).message})` };
  } finally {
    db.close();
  }
}

export interface Contents {
  providers: number;
  connections: number;
  users: number;
  installation: boolean;
  teamCommands: number;
  /** The last migration applied. */
  schema: string;
}

export async function readContents(db: Kysely<Database>): Promise<Contents> {
  const count = async (table: 'providers' | 'connections' | 'installation' | 'team_commands') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const users = await db
    .selectFrom('connections')
    .select((eb) => eb.fn.count<number | string>('user_id').distinct().as('n'))
    .executeTakeFirstOrThrow();
  const last = await sql<{ name: string }>`select name from kysely_migration order by name desc limit 1`.execute(db);
  return {
    providers: await count('providers'),
    connections: await count('connections'),
    users: Number(users.n),
    installation: (await count('installation')) > 0,
    teamCommands: await count('team_commands'),
    schema: last.rows[0]?.name ?? 'none',
  };
}

/** One line: what the database holds. */
export function describeContents(c: Contents): string {
  const installation = c.installation ? 'the installation (bot token and sign-in secret)' : 'no installation (setup has not run)';
  return `${c.providers} provider(s), ${c.connections} connection(s) of ${c.users} user(s), ${installation}, ${c.teamCommands} team command(s); schema ${c.schema}`;
}

/** The key ids the sealed values are under, e.g. "k2 (124)"; values no configured key opens are counted apart. */
export async function describeSealing(db: Kysely<Database>, keys: SealingKeys): Promise<string> {
  const reports = await rotateSealedValues(db, keys, { checkOnly: true });
  return sealingSummary(reports, keys.currentKeyId);
}

export function sealingSummary(reports: KindReport[], currentKeyId: string): string {
  const byKey = new Map<string, number>();
  const add = (id: string, n: number) => n > 0 && byKey.set(id, (byKey.get(id) ?? 0) + n);
  const notConfigured = new Map<string, number>();
  let unreadable = 0;
  for (const r of reports) {
    add(currentKeyId, r.current + r.unbound);
    for (const [id, n] of Object.entries(r.previous)) add(id, n);
    for (const [id, n] of Object.entries(r.unknownKeys)) notConfigured.set(id, (notConfigured.get(id) ?? 0) + n);
    unreadable += r.unreadable;
  }
  const keys = [...byKey].map(([id, n]) => `${id} (${n})`);
  keys.push(...[...notConfigured].map(([id, n]) => `${id} (${n}, not configured here)`));
  const unknown = [...notConfigured.values()].reduce((a, b) => a + b, 0);
  const others = unreadable - unknown;
  return `sealed values under key ${keys.join(', ') || 'none'}${others > 0 ? `; ${others} open with none of the configured keys` : ''}`;
}

/** Sealed values the configured keys do not open (0 when all open). */
export function unopened(reports: KindReport[]): number {
  return reports.reduce((n, r) => n + r.unreadable, 0);
}
