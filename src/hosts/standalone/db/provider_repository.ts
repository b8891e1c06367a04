/** Providers in SQL: the StoredProvider record as JSON, keyed by id; removing one removes its connections. */
import type { Kysely } from 'kysely';
import type { ProviderRepository } from '../../../core/ports.js';
import type { StoredProvider } from '../../../core/provider_records.js';
import type { Database } from './schema.js';

export class SqlProviderRepository implements ProviderRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<StoredProvider[]> {
    const rows = await this.db.selectFrom('providers').select('record').orderBy('id').execute();
    return rows.map((row) => JSON.parse(row.record) as StoredProvider);
  }

  async get(id: string): Promise<StoredProvider | undefined> {
    const row = await this.db.selectFrom('providers').select('record').where('id', '=', id).executeTakeFirst();
    return row ? (JSON.parse(row.record) as StoredProvider) : undefined;
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
   * registration, so if it is added again they must reconnect (what the remove answer promises).
   */
  async remove(id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('connections').where('provider_id', '=', id).execute();
      const result = await trx.deleteFrom('providers').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    });
  }
}
