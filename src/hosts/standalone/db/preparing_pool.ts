/**
 * A pg pool as Kysely sees it, whose connections run the queries compiled once
 * (compiled_query.ts) as named prepared statements: PostgreSQL parses and plans
 * each once per connection instead of at every call. Every other query goes as
 * before (an unnamed statement), so the set of names stays the fixed one.
 */
import type pg from 'pg';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import { statementName } from './compiled_query.js';

function preparing(client: pg.PoolClient): PostgresPoolClient {
  const query = (sql: unknown, parameters?: readonly unknown[]) => {
    const name = typeof sql === 'string' ? statementName(sql) : undefined;
    if (name !== undefined) return client.query({ name, text: sql as string, values: [...(parameters ?? [])] });
    return (client.query as (a: unknown, b?: unknown) => unknown)(sql, parameters);
  };
  return { query: query as PostgresPoolClient['query'], release: (destroy) => client.release(destroy) };
}

export function preparingPool(pool: pg.Pool): PostgresPool {
  // Kysely keeps one connection object per client it is handed: hand it the same wrapper each time.
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    async connect() {
      const client = await pool.connect();
      let found = wrapped.get(client);
      if (!found) wrapped.set(client, (found = preparing(client)));
      return found;
    },
    end: () => pool.end(),
  };
}
