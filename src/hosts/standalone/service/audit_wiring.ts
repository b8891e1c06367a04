/**
 * The standalone host's audit trail: entries in the service's log and in its
 * database, refused forgeries among them, and their pruning. A refused
 * request is kept at the rate its warning is logged (log/rate_limited.ts), so
 * a flood of forged requests writes a handful of rows a minute and then one
 * that counts the rest.
 */
import { createAuditTrail, type AuditTrail } from '../../../core/audit.js';
import type { Logger } from '../../../log/logger.js';
import { rateLimitedWarn, type RateLimitedLog } from '../../../log/rate_limited.js';
import type { SqlAuditStore } from '../db/index.js';

/** Rows deleted per statement, and statements per pruning pass: a long backlog is worked off over several passes. */
export const AUDIT_PRUNE_BATCH = 1000;
const AUDIT_PRUNE_BATCHES_PER_PASS = 20;

const text = (value: unknown): string => (typeof value === 'string' ? value.slice(0, 64) : typeof value === 'number' ? String(value) : '');

/**
 * One refusal as an audit entry. Nobody is vouched for, so the actor is empty; the user id the request
 * claimed (someone else's, if forged) is only named in the detail.
 */
function forgeryEntry(msg: string, fields: Record<string, unknown>) {
  const claimed = text(fields.claimed_user_id ?? fields.user_id);
  const reason = text(fields.reason) || (fields.suppressed !== undefined ? `${text(fields.suppressed)} more in the last minute` : 'refused');
  return {
    actor_user_id: '',
    action: 'forgery.refused' as const,
    target: text(fields.team_id) || text(fields.callback_id),
    outcome: 'refused' as const,
    detail: `${msg.split(':')[0]}: ${reason}${claimed ? `; claimed user ${claimed}` : ''}`,
  };
}

export function standaloneAudit(options: { logger: Logger; now: () => number; store: SqlAuditStore }): { audit: AuditTrail; refusalLog: RateLimitedLog } {
  const audit = createAuditTrail(options);
  const refusalLog = rateLimitedWarn(options.logger, Date.now, undefined, undefined, (msg, fields) => void audit.record(forgeryEntry(msg, fields)));
  return { audit, refusalLog };
}

/** Deletes the entries older than the retention, in bounded batches; returns how many. */
export async function pruneAudit(store: SqlAuditStore, before: number): Promise<number> {
  let total = 0;
  for (let i = 0; i < AUDIT_PRUNE_BATCHES_PER_PASS; i++) {
    const deleted = await store.prune(before, AUDIT_PRUNE_BATCH);
    total += deleted;
    if (deleted < AUDIT_PRUNE_BATCH) break;
  }
  return total;
}
