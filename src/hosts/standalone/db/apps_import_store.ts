/**
 * The ledger of the move from the Apps host (core/apps_move/ports.ts) in SQL
 * (migration 0008; the change marks: apps_copy_marks.ts). Every user's status on this host asks it which of their
 * Apps connections were not copied; while the ledger holds no such
 * connection at all (an installation that never ran on the Apps host, or
 * every user copied), the process knows it for a minute and asks nothing.
 */
import type { Kysely } from 'kysely';
import type { MoveEntry, MoveLedger, MoveProgress } from '../../../core/apps_move/ports.js';
import { SqlAppsCopyMarks } from './apps_copy_marks.js';
import { millis, type Database } from './schema.js';

/** Rows per insert: far under both dialects' limits on bound values. */
const BATCH = 200;
const NOTHING_PENDING_KEPT_MS = 60_000;
/** User copying, once on, stays on; "off" is asked again after this long (another replica may turn it on). */
const OFF_KEPT_MS = 5_000;

export class SqlAppsImportLedger implements MoveLedger {
  private nothingPendingUntil = 0;
  /** Read after every Apps call: true is kept for good, false for OFF_KEPT_MS. */
  private enabled: { value: boolean; until: number } | undefined;
  private asking: Promise<boolean> | undefined;
  private readonly marks: SqlAppsCopyMarks;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: () => number = Date.now,
  ) {
    this.marks = new SqlAppsCopyMarks(db);
  }

  usersEnabledKnown(): boolean | undefined {
    return this.enabled && (this.enabled.value || this.clock() < this.enabled.until) ? this.enabled.value : undefined;
  }

  async usersEnabled(): Promise<boolean> {
    const known = this.usersEnabledKnown();
    if (known !== undefined) return known;
    // Calls that find the answer expired together share one read.
    this.asking ??= this.enabledAt()
      .then((at) => {
        // Turned on by this process while the read ran: on stays.
        if (!this.enabled?.value) this.enabled = { value: at !== undefined, until: this.clock() + OFF_KEPT_MS };
        return this.enabled!.value;
      })
      .finally(() => {
        this.asking = undefined;
      });
    return this.asking;
  }

  private async enabledAt(): Promise<number | undefined> {
    const row = await this.db.selectFrom('apps_import_state').select('users_enabled_at').where('id', '=', 1).executeTakeFirst();
    return row && millis(row.users_enabled_at);
  }

  async enableUsers(at: number): Promise<boolean> {
    const result = await this.db
      .insertInto('apps_import_state')
      .values({ id: 1, users_enabled_at: at })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    this.enabled = { value: true, until: Infinity };
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  async know(entries: MoveEntry[], at: number): Promise<void> {
    for (let i = 0; i < entries.length; i += BATCH) {
      const rows = entries.slice(i, i + BATCH).map((e) => ({ user_id: e.user_id, provider_id: e.provider_id, known_at: at, copied_at: null }));
      await this.db
        .insertInto('apps_import_connections')
        .values(rows)
        .onConflict((oc) => oc.columns(['user_id', 'provider_id']).doNothing())
        .execute();
    }
    if (entries.length > 0) this.nothingPendingUntil = 0;
  }

  async copied(userId: string, providerIds: string[], at: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const provider_id of providerIds) {
        await trx
          .insertInto('apps_import_connections')
          .values({ user_id: userId, provider_id, known_at: at, copied_at: at })
          .onConflict((oc) => oc.columns(['user_id', 'provider_id']).doUpdateSet({ copied_at: at }))
          .execute();
      }
      await trx
        .insertInto('apps_import_users')
        .values({ user_id: userId, visited_at: at, copied: providerIds.length })
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ visited_at: at, copied: providerIds.length }))
        .execute();
    });
  }

  async copiedOf(userId: string): Promise<Array<{ provider_id: string; copied_at: number }>> {
    const rows = await this.db
      .selectFrom('apps_import_connections')
      .select(['provider_id', 'copied_at'])
      .where('user_id', '=', userId)
      .where('copied_at', 'is not', null)
      .execute();
    return rows.map((r) => ({ provider_id: r.provider_id, copied_at: millis(r.copied_at!) }));
  }

  async forget(userId: string, providerId: string): Promise<void> {
    await this.db.deleteFrom('apps_import_connections').where('user_id', '=', userId).where('provider_id', '=', providerId).execute();
  }

  async visited(userId: string): Promise<boolean> {
    return (await this.db.selectFrom('apps_import_users').select('user_id').where('user_id', '=', userId).executeTakeFirst()) !== undefined;
  }

  markChanged(userId: string): Promise<void> {
    return this.marks.markChanged(userId);
  }

  copyDue(userId: string): Promise<{ mark?: string } | undefined> {
    return this.marks.copyDue(userId, () => this.visited(userId));
  }

  settled(userId: string, mark: string): Promise<void> {
    return this.marks.settled(userId, mark);
  }

  async notCopied(userId: string): Promise<string[]> {
    if (this.clock() < this.nothingPendingUntil) return [];
    const pending = this.db.selectFrom('apps_import_connections').where('copied_at', 'is', null);
    const rows = await pending.select('provider_id').where('user_id', '=', userId).orderBy('provider_id').execute();
    if (rows.length === 0 && !(await pending.select('user_id').limit(1).executeTakeFirst())) {
      this.nothingPendingUntil = this.clock() + NOTHING_PENDING_KEPT_MS;
    }
    return rows.map((r) => r.provider_id);
  }

  async progress(): Promise<MoveProgress> {
    const counts = await this.db
      .selectFrom('apps_import_connections')
      .select((eb) => [eb.fn.count<number | string>('user_id').distinct().as('known'), eb.fn.count<number | string>('copied_at').as('connections')])
      .executeTakeFirstOrThrow();
    const copiedUsers = await this.db
      .selectFrom('apps_import_connections')
      .select((eb) => eb.fn.count<number | string>('user_id').distinct().as('n'))
      .where('copied_at', 'is not', null)
      .executeTakeFirstOrThrow();
    const visited = await this.db
      .selectFrom('apps_import_users')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    const enabledAt = await this.enabledAt();
    return {
      knownUsers: Number(counts.known),
      visitedUsers: Number(visited.n),
      copiedUsers: Number(copiedUsers.n),
      copiedConnections: Number(counts.connections),
      ...(enabledAt !== undefined && { usersEnabledAt: enabledAt }),
    };
  }
}
