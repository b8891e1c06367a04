/**
 * Providers in SQL: the StoredProvider record as JSON, keyed by id; removing
 * one removes its connections. The list is kept in the process with the
 * version it was read at (provider_list_version.ts): while the version holds,
 * reading the list is reading that one column, and a command whose own query
 * read the version (the user's connections) reads nothing more. The kept
 * records are frozen: a caller that changed one would change every later answer.
 */
import type { Kysely } from 'kysely';
import type { ProviderRepository } from '../../../core/ports.js';
import type { StoredProvider } from '../../../core/provider_records.js';
import { compileOnce } from './compiled_query.js';
import type { Database } from './schema.js';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

const queries = (db: Kysely<Database>) => ({
  version: compileOnce(db, [], () => db.selectFrom('provider_list_version').select('version').where('id', '=', 1)),
  // The version and the records in one statement: the list kept is exactly the one of that version.
  list: compileOnce(db, [], () =>
    db
      .selectFrom('provider_list_version as v')
      .leftJoin('providers as p', (join) => join.onTrue())
      .select(['v.version', 'p.record'])
      .where('v.id', '=', 1)
      .orderBy('p.id'),
  ),
});

export class SqlProviderRepository implements ProviderRepository {
  private kept: { version: number; providers: StoredProvider[] } | undefined;
  private readonly queries: ReturnType<typeof queries>;

  constructor(private readonly db: Kysely<Database>) {
    this.queries = queries(db);
  }

  async list(): Promise<StoredProvider[]> {
    const { rows } = await this.queries.version.run({});
    return this.at(Number(rows[0]?.version));
  }

  async get(id: string): Promise<StoredProvider | undefined> {
    return (await this.list()).find((p) => p.id === id);
  }

  /** The list at `version`, which the caller's own query just read: the kept one while it is that version, else read again. */
  async at(version: number): Promise<StoredProvider[]> {
    if (this.kept?.version === version) return this.kept.providers;
    const { rows } = await this.queries.list.run({});
    const providers = deepFreeze(rows.flatMap((row) => (row.record === null ? [] : [JSON.parse(row.record) as StoredProvider])));
    // Kept even if an older read finishes last: it is only used while the database says its version.
    this.kept = { version: Number(rows[0]?.version), providers };
    return providers;
  }

  async save(provider: StoredProvider): Promise<void> {
    const record = JSON.stringify(provider);
    await this.db
      .insertInto('providers')
      .values({ id: provider.id, record, created_at: provider.created_at, updated_at: provider.updated_at })
      .onConflict((oc) => oc.column('id').doUpdateSet({ record, updated_at: provider.updated_at }))
      .execute();
  }

  /**
   * Removes the provider and its users' connections, in one transaction: their tokens belong to that
   * registration, so if it is added again they must reconnect (what the remove answer promises). The
   * connections go before their grants, as a disconnect deletes them (connection_repository.ts delete).
   */
  async remove(id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('connections').where('provider_id', '=', id).execute();
      await trx.deleteFrom('token_grants').where('provider_id', '=', id).execute();
      const result = await trx.deleteFrom('providers').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    });
  }
}
