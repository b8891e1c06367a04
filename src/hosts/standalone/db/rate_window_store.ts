/**
 * The shared per-client request counts of the token API's rate limit, one row
 * per client and minute window (token_api/shared_rate_limit.ts takes them in
 * chunks). A claim is one conditional upsert: it adds at most the chunk, never
 * past the rate, and only while the window is below the rate; two replicas
 * claiming at once cannot both pass the check on the same count (PostgreSQL
 * re-evaluates ON CONFLICT's condition on the row the first one wrote; SQLite
 * has one writer). The rate is the claimer's, read with the client in the same
 * request, so an admin's change applies at the next claim.
 */
import { sql, type Kysely } from 'kysely';
import type { RateWindowClaims, WindowClaim } from '../ports.js';
import type { Database } from './schema.js';

export class SqlRateWindowStore implements RateWindowClaims {
  constructor(private readonly db: Kysely<Database>) {}

  async claim({ clientId, windowStart, chunk, rate }: WindowClaim): Promise<number> {
    const first = Math.max(0, Math.min(chunk, rate));
    // What is left below the rate, at most the chunk: evaluated on the row as the statement finds it locked.
    const room = sql<number>`case when ${rate} - client_rate_windows.used < ${chunk} then ${rate} - client_rate_windows.used else ${chunk} end`;
    const row = await this.db
      .insertInto('client_rate_windows')
      .values({ client_id: clientId, window_start: windowStart, used: first, granted: first })
      .onConflict((oc) =>
        oc
          .columns(['client_id', 'window_start'])
          .doUpdateSet({ used: sql<number>`client_rate_windows.used + ${room}`, granted: room })
          .where('client_rate_windows.used', '<', rate),
      )
      .returning('granted')
      .executeTakeFirst();
    return row ? Number(row.granted) : 0;
  }

  /** Removes the windows that began before `before`; returns how many. */
  async prune(before: number): Promise<number> {
    const result = await this.db.deleteFrom('client_rate_windows').where('window_start', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
