/**
 * Migration 0004: the provider list's version, one row that every change to
 * the providers table moves on. Each process keeps the list it read with the
 * version it read it at (provider_repository.ts); a command's own query reads
 * the version too, so a change made by any replica is seen by the next
 * command everywhere, with no extra round trip while nothing changes.
 *
 * The database bumps it (a trigger), not the code that writes: a change by
 * a replica still on an older version of the service, or by hand in SQL,
 * counts the same.
 */
import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

const BUMP = sql`update provider_list_version set version = version + 1 where id = 1`;

/** One statement-level trigger for every kind of change (a truncate too). */
async function postgresTrigger(db: Kysely<unknown>): Promise<void> {
  await sql`create function provider_list_changed() returns trigger language plpgsql as $$
    begin
      ${BUMP};
      return null;
    end $$`.execute(db);
  await sql`create trigger providers_changed after insert or update or delete or truncate on providers
    for each statement execute function provider_list_changed()`.execute(db);
}

/** SQLite triggers are per row and per kind of change. */
async function sqliteTriggers(db: Kysely<unknown>): Promise<void> {
  for (const [change, name] of [
    ['insert', 'providers_inserted'],
    ['update', 'providers_updated'],
    ['delete', 'providers_deleted'],
  ] as const) {
    await sql`create trigger ${sql.raw(name)} after ${sql.raw(change)} on providers begin ${BUMP}; end`.execute(db);
  }
}

export const providerListVersion: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('provider_list_version')
      .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
      .addColumn('version', 'bigint', (c) => c.notNull())
      .execute();
    await sql`insert into provider_list_version (id, version) values (1, 1)`.execute(db);
    if (db.getExecutor().adapter instanceof PostgresAdapter) await postgresTrigger(db);
    else await sqliteTriggers(db);
  },
};
