/**
 * The connection reads of the command path, compiled once (compiled_query.ts):
 * a user's rows with the provider list's version (what status, whoami,
 * disconnect and the panel start from: one query), the same with the user's
 * grants (what status and the panel list), one row, a user's summaries.
 */
import { PostgresAdapter, type Kysely, type Selectable } from 'kysely';
import { compileOnce } from './compiled_query.js';
import { userGrantsJson } from './grant_rows.js';
import type { Connection } from '../../../core/record_schemas.js';
import { millis, optionalMillis, type ConnectionsTable, type Database } from './schema.js';

/** Every column a connection is read with (updated_at is only written). */
export type ConnectionRead = Omit<Selectable<ConnectionsTable>, 'updated_at'>;

const SUMMARY = ['provider_id', 'label', 'sub', 'since', 'expires_at', 'broken'] as const;
/** A connection's columns as the command path reads them (also by the admission's statement, command_admission.ts). */
export const ROW = ['user_id', ...SUMMARY, 'tokens', 'origin', 'used_at'] as const;

/**
 * A row of the user's view: the provider list's version, and one connection's columns (all null for a user with none);
 * `grants`, where the read asked for them, the user's grants as one JSON array (grant_rows.ts), the same on every row.
 */
export type VersionedRow = { version: number | string | null; grants?: unknown } & { [K in keyof ConnectionRead]: ConnectionRead[K] | null };

export function connectionQueries(db: Kysely<Database>) {
  const kind = db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
  const versioned = (userId: never) =>
    db
      .selectFrom('provider_list_version as v')
      .leftJoin('connections as c', (join) => join.on('c.user_id', '=', userId))
      .select(['v.version', ...ROW.map((column) => `c.${column}` as const)])
      .where('v.id', '=', 1)
      .orderBy('c.provider_id');
  return {
    /** Always one row at least (the version's); with no connection its connection columns are null. */
    withVersion: compileOnce(db, ['userId'], (s) => versioned(s.userId)),
    /** withVersion and the user's grants, in one statement (status lists both). */
    withVersionAndGrants: compileOnce(db, ['userId'], (s) => versioned(s.userId).select(userGrantsJson(kind, s.userId).as('grants'))),
    row: compileOnce(db, ['userId', 'providerId'], (s) =>
      db.selectFrom('connections').select(ROW).where('user_id', '=', s.userId).where('provider_id', '=', s.providerId),
    ),
    summaries: compileOnce(db, ['userId'], (s) => db.selectFrom('connections').select(SUMMARY).where('user_id', '=', s.userId).orderBy('provider_id')),
  };
}

/** The rows of withVersion that are connections (a user with none has the version's row alone). */
export function connectionRows(rows: ReadonlyArray<VersionedRow>): ConnectionRead[] {
  return rows.filter((row): row is VersionedRow & ConnectionRead => row.provider_id !== null);
}

/** A row's summary (the Connection the core reads). */
export function toConnection(row: Pick<Selectable<ConnectionsTable>, 'label' | 'sub' | 'since' | 'expires_at' | 'broken'>): Connection {
  const expires = optionalMillis(row.expires_at);
  return {
    label: row.label,
    sub: row.sub,
    since: millis(row.since),
    ...(expires !== undefined && { expires_at: expires }),
    ...(row.broken !== null && { broken: row.broken }),
  };
}
