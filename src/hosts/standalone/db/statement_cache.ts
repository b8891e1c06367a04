/**
 * better-sqlite3 behind Kysely with its statements kept: Kysely's SQLite
 * driver prepares every query afresh, which cost about a tenth of a status
 * command's CPU. Each SQL text is prepared once on the one connection and
 * reused (bounded: the oldest goes past `max`). Reuse is safe: Kysely runs one
 * query at a time on that connection, each to completion (nothing here streams).
 */
import type { Database as SqliteHandle, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

export const STATEMENTS_KEPT = 200;

export function keepingStatements(sqlite: SqliteHandle, max = STATEMENTS_KEPT): SqliteDatabase & { readonly kept: number } {
  const statements = new Map<string, Statement>();
  return {
    prepare(sql) {
      const found = statements.get(sql);
      if (found) return found;
      const statement = sqlite.prepare(sql);
      if (statements.size >= max) statements.delete(statements.keys().next().value as string);
      statements.set(sql, statement);
      return statement;
    },
    close: () => {
      statements.clear();
      sqlite.close();
    },
    get kept() {
      return statements.size;
    },
  };
}
