/**
 * The hot path's queries (the command token, the trigger's record, the user's
 * connections, the provider list), built and compiled by Kysely once and then
 * run with each call's values: building and compiling a query cost more than
 * running it on SQLite. Where a value goes is marked by a slot when the query
 * is built; each run puts its values in the slots' places (constants stay).
 *
 * On PostgreSQL each is also a named prepared statement (see preparingPool):
 * parsed and planned once per connection. Their SQL names its columns (never
 * `*`), so a column added later does not change what a prepared plan returns.
 */
import { createHash } from 'node:crypto';
import { createQueryId, type Compilable, type CompiledQuery, type Kysely, type QueryResult } from 'kysely';
import type { Database } from './schema.js';

/** Where a value goes, in a query built once. */
class Slot {
  constructor(readonly name: string) {}
}

/** The slots a builder puts in place of values (typed `never` so they fit any column). */
export type Slots<K extends string> = Readonly<Record<K, never>>;

export interface CompiledOnce<K extends string, R> {
  /** Runs the query with these values, on the database or inside a transaction. */
  run(values: Readonly<Record<K, unknown>>, on?: Kysely<Database>): Promise<QueryResult<R>>;
  /** The compiled SQL (for tests and the statement names). */
  readonly sql: string;
}

/** PostgreSQL statement names by SQL text: only the queries compiled here, a fixed set. */
const statementNames = new Map<string, string>();

/** The prepared statement's name of a compiled SQL text; undefined for any other query. */
export const statementName = (sql: string): string | undefined => statementNames.get(sql);

export function compileOnce<K extends string, R>(db: Kysely<Database>, names: readonly K[], build: (slots: Slots<K>) => Compilable<R>): CompiledOnce<K, R> {
  const slots = Object.fromEntries(names.map((name) => [name, new Slot(name)])) as unknown as Slots<K>;
  const compiled: CompiledQuery<R> = build(slots).compile();
  statementNames.set(compiled.sql, `oauth2_connect_${createHash('sha256').update(compiled.sql).digest('hex').slice(0, 20)}`);
  return {
    sql: compiled.sql,
    run: (values, on = db) =>
      on.executeQuery<R>({ ...compiled, queryId: createQueryId(), parameters: compiled.parameters.map((p) => (p instanceof Slot ? values[p.name as K] : p)) }),
  };
}
