/**
 * Named leases in the database, so one replica at a time runs a background
 * pass. A claim is one conditional update: it takes the row only when the
 * last holder's lease has ended and the next pass is due, and two replicas
 * claiming at once cannot both match it (PostgreSQL re-checks the condition
 * on the row the first one wrote; SQLite has one writer). A replica that dies
 * holding a lease holds it only until it ends.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface LeaseClaim {
  name: string;
  /** Who claims (one id per process), so only it releases. */
  holder: string;
  now: number;
  /** How long the holder may run before another replica may claim. */
  holdMs: number;
  /** How long after this claim the next pass is due. */
  spacingMs: number;
}

export class SqlLeaseStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** When the lease ends, if this claim took it; undefined when another holds it or the next pass is not yet due. */
  async claim({ name, holder, now, holdMs, spacingMs }: LeaseClaim): Promise<number | undefined> {
    await this.db
      .insertInto('leases')
      .values({ name, holder: '', held_until: 0, next_at: 0 })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const heldUntil = now + holdMs;
    const result = await this.db
      .updateTable('leases')
      .set({ holder, held_until: heldUntil, next_at: now + spacingMs })
      .where('name', '=', name)
      .where('next_at', '<=', now)
      .where('held_until', '<=', now)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n ? heldUntil : undefined;
  }

  /** Ends the holder's lease now (the next pass stays due when the claim said). */
  async release(name: string, holder: string, now: number): Promise<void> {
    await this.db.updateTable('leases').set({ held_until: now }).where('name', '=', name).where('holder', '=', holder).execute();
  }
}
