/**
 * Single-use records (links, sign-in states, flows, used dialog nonces) keyed
 * by a hash. take() is one DELETE ... RETURNING and claim() one INSERT ... ON
 * CONFLICT DO NOTHING RETURNING: of two concurrent takes or claims of one
 * key, exactly one succeeds, on SQLite (3.35+) and PostgreSQL alike, across
 * replicas sharing the database.
 */
import type { Kysely } from 'kysely';
import { compileOnce } from './compiled_query.js';
import type { OneTimePurpose, OneTimeRecord, OneTimeStore } from '../ports.js';
import { millis, type Database } from './schema.js';

const RECORD = ['key_hash', 'purpose', 'user_id', 'provider_id', 'data', 'expires_at'] as const;
type RecordValues = Record<(typeof RECORD)[number], unknown>;

/** The record's columns in one order, for the queries compiled once. */
const valuesOf = (record: OneTimeRecord): RecordValues => ({ ...record, data: record.data ?? null });

export class SqlOneTimeStore implements OneTimeStore {
  /** Every command writes its trigger's record (claim); every connect link its own (put). */
  private readonly queries;

  constructor(private readonly db: Kysely<Database>) {
    const insert = (s: Record<(typeof RECORD)[number], never>) => db.insertInto('one_time').values(s);
    this.queries = {
      put: compileOnce(db, RECORD, insert),
      claim: compileOnce(db, RECORD, (s) =>
        insert(s)
          .onConflict((oc) => oc.column('key_hash').doNothing())
          .returning('key_hash'),
      ),
    };
  }

  async put(record: OneTimeRecord): Promise<void> {
    await this.queries.put.run(valuesOf(record));
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
    const { rows } = await this.queries.claim.run(valuesOf(record));
    return rows.length > 0;
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
