/**
 * Migration 0013: each client's count of token API requests per minute
 * window, shared by the replicas on one database (rate_window_store.ts), so a
 * client's rate holds for the service and not for each replica. `used` is
 * what the replicas have taken of the window so far; `granted` the size of
 * the last claim, which the claimer reads back in the same statement.
 */
import type { Kysely, Migration } from 'kysely';

export const clientRateWindows: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('client_rate_windows')
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('window_start', 'bigint', (c) => c.notNull())
      .addColumn('used', 'integer', (c) => c.notNull())
      .addColumn('granted', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('client_rate_windows_pk', ['client_id', 'window_start'])
      .execute();
  },
};
