/** The audit trail's rows (src/core/audit.ts): written once, read newest first, pruned by age in bounded batches. */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuditAction, AuditEntry, AuditFilter, AuditOutcome, AuditStore } from '../../../core/audit.js';
import { millis, type Database } from './schema.js';

export class SqlAuditStore implements AuditStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(entry: AuditEntry): Promise<void> {
    await this.db
      .insertInto('audit_log')
      .values({ id: randomUUID(), ...entry })
      .execute();
  }

  async recent(filter: AuditFilter): Promise<AuditEntry[]> {
    let query = this.db.selectFrom('audit_log').select(['at', 'actor_user_id', 'action', 'target', 'outcome', 'detail']);
    if (filter.target !== undefined) query = query.where('target', '=', filter.target);
    if (filter.actorUserId !== undefined) query = query.where('actor_user_id', '=', filter.actorUserId);
    const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
    return rows.map((row) => ({ ...row, at: millis(row.at), action: row.action as AuditAction, outcome: row.outcome as AuditOutcome }));
  }

  async prune(before: number, batch: number): Promise<number> {
    // A subquery picks the batch: neither SQLite (by default) nor PostgreSQL takes DELETE ... LIMIT.
    const oldest = this.db.selectFrom('audit_log').select('id').where('at', '<', before).orderBy('at').limit(batch);
    const result = await this.db.deleteFrom('audit_log').where('id', 'in', oldest).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
