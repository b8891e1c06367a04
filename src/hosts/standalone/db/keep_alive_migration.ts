/**
 * The keep-alive pass's storage: when each connection was last used (a call
 * with its token or a refresh; rows made before count from their last
 * change), indexed for the pass's oldest-first scan, and the lease row that
 * lets one replica at a time run a pass and spaces the passes out.
 */
import { sql, type Kysely, type Migration } from 'kysely';

export const keepAlive: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('connections')
      .addColumn('used_at', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
    await sql`update connections set used_at = updated_at`.execute(db);
    await db.schema.createIndex('connections_used_idx').on('connections').columns(['used_at', 'user_id', 'provider_id']).execute();
    await db.schema
      .createTable('leases')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('holder', 'text', (c) => c.notNull())
      .addColumn('held_until', 'bigint', (c) => c.notNull())
      .addColumn('next_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
