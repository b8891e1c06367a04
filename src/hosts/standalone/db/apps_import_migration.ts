/**
 * Migration 0008: the ledger of the move from the Apps host (apps_import_store.ts).
 * Whether user copying is on (one row), each connection the Apps host held
 * (known from its report, and when it was copied), and each user whose copy
 * ran. Kept after the upgrade: progress stays readable, and a user whose
 * connection was not copied is told to reconnect.
 */
import { sql, type Kysely, type Migration } from 'kysely';

export const appsImport: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('apps_import_state')
      .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
      .addColumn('users_enabled_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('apps_import_connections')
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('provider_id', 'text', (c) => c.notNull())
      .addColumn('known_at', 'bigint', (c) => c.notNull())
      .addColumn('copied_at', 'bigint')
      .addPrimaryKeyConstraint('apps_import_connections_pk', ['user_id', 'provider_id'])
      .execute();
    await db.schema
      .createTable('apps_import_users')
      .addColumn('user_id', 'text', (c) => c.primaryKey())
      .addColumn('visited_at', 'bigint', (c) => c.notNull())
      .addColumn('copied', 'integer', (c) => c.notNull())
      .execute();
  },
};
