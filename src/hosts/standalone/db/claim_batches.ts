/**
 * SQLite: the trigger records of commands that arrive together (in one turn of
 * the event loop, as concurrent commands do) are inserted in one transaction,
 * so they share one commit to the WAL instead of one each: each commit writes
 * every page it changed, and the records' table and index pages are mostly
 * the same ones. The first record of a turn is inserted at once by its own
 * statement (a command alone waits for nothing); the others of that turn wait
 * for the end of it and go in one transaction. Each command goes on only after
 * the commit that holds its record, and a failed commit fails every command of
 * its batch: none is admitted without its record stored.
 */
import type { Kysely, QueryResult } from 'kysely';
import type { CompiledOnce } from './compiled_query.js';
import type { Database } from './schema.js';

interface Waiting<K extends string, R> {
  values: Readonly<Record<K, unknown>>;
  resolve(result: QueryResult<R>): void;
  reject(error: unknown): void;
}

export function inBatches<K extends string, R>(
  db: Kysely<Database>,
  query: CompiledOnce<K, R>,
): (values: Readonly<Record<K, unknown>>) => Promise<QueryResult<R>> {
  let waiting: Waiting<K, R>[] = [];
  const flush = () => {
    const batch = waiting;
    waiting = [];
    const done = (results: QueryResult<R>[]) => batch.forEach((w, i) => w.resolve(results[i]!));
    const failed = (error: unknown) => batch.forEach((w) => w.reject(error));
    if (batch.length === 1) {
      query.run(batch[0]!.values).then((result) => done([result]), failed);
      return;
    }
    db.transaction()
      .execute(async (trx) => {
        const results: QueryResult<R>[] = [];
        for (const w of batch) results.push(await query.run(w.values, trx));
        return results;
      })
      .then(done, failed);
  };
  let turnStarted = false;
  const endOfTurn = () => {
    turnStarted = false;
    if (waiting.length > 0) flush();
  };
  return (values) => {
    if (!turnStarted) {
      turnStarted = true;
      setImmediate(endOfTurn);
      return query.run(values);
    }
    return new Promise((resolve, reject) => waiting.push({ values, resolve, reject }));
  };
}
