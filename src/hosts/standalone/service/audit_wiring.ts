/**
 * The standalone host's audit trail: entries in the service's log and in its
 * database, refused forgeries among them (core/refusal_audit.ts), and their
 * pruning.
 */
import { createAuditTrail, type AuditTrail } from '../../../core/audit.js';
import type { Logger } from '../../../log/logger.js';
import type { RateLimitedLog } from '../../../log/rate_limited.js';
import { auditedRefusalLog } from '../../../core/refusal_audit.js';
import type { SqlAuditStore } from '../db/index.js';

/** Rows deleted per statement, and statements per pruning pass: a long backlog is worked off over several passes. */
export const AUDIT_PRUNE_BATCH = 1000;
const AUDIT_PRUNE_BATCHES_PER_PASS = 20;

export function standaloneAudit(options: { logger: Logger; now: () => number; store: SqlAuditStore }): { audit: AuditTrail; refusalLog: RateLimitedLog } {
  const audit = createAuditTrail(options);
  return { audit, refusalLog: auditedRefusalLog({ logger: options.logger, now: Date.now, audit }) };
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
