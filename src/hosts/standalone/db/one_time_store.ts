/**
 * Single-use records (links, sign-in states, flows, used dialog nonces) keyed
 * by a hash. take() is one DELETE ... RETURNING and claim() one INSERT ... ON
 * CONFLICT DO NOTHING RETURNING: of two concurrent takes or claims of one
 * key, exactly one succeeds, on SQLite (3.35+) and PostgreSQL alike, across
 * replicas sharing the database.
 */
import type { Kysely } from 'kysely';
import type { OneTimePurpose, OneTimeRecord, OneTimeStore } from '../ports.js';
import { millis, type Database } from './schema.js';

export class SqlOneTimeStore implements OneTimeStore {
  constructor(private readonly db: Kysely<Database>) {}

  async put(record: OneTimeRecord): Promise<void> {
    await this.db
      .insertInto('one_time')
      .values({ ...record, data: record.data ?? null })
      .execute();
  }

  /** A record of another purpose is left alone; an expired one is left for prune and not returned. */
  async take(keyHash: string, purpose: OneTimePurpose, now: number): Promise<OneTimeRecord | undefined> {
    const row = await this.db
      .deleteFrom('one_time')
      .where('key_hash', '=', keyHash)
      .where('purpose', '=', purpose)
      .where('expires_at', '>', now)
      .returningAll()
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      key_hash: row.key_hash,
      purpose: row.purpose as OneTimePurpose,
      user_id: row.user_id,
      provider_id: row.provider_id,
      ...(row.data !== null && { data: row.data }),
      expires_at: millis(row.expires_at),
    };
  }

  /** INSERT ... ON CONFLICT DO NOTHING RETURNING: of two claims of one key, on one replica or two, exactly one inserts. */
  async claim(record: OneTimeRecord): Promise<boolean> {
    const stored = await this.db
      .insertInto('one_time')
      .values({ ...record, data: record.data ?? null })
      .onConflict((oc) => oc.column('key_hash').doNothing())
      .returning('key_hash')
      .executeTakeFirst();
    return stored !== undefined;
  }

  async holds(keyHash: string, purpose: OneTimePurpose, now: number): Promise<boolean> {
    const row = await this.db
      .selectFrom('one_time')
      .select('key_hash')
      .where('key_hash', '=', keyHash)
      .where('purpose', '=', purpose)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return row !== undefined;
  }

  async prune(now: number): Promise<number> {
    const result = await this.db.deleteFrom('one_time').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
