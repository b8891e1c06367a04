/**
 * Refused requests (a forged or replayed command, dialog or call) as audit
 * entries, at the rate their warning is logged (log/rate_limited.ts): a flood
 * of forged requests writes a handful of entries a minute and then one that
 * counts the rest. Both hosts refuse this way; where the host keeps rows, the
 * entries are rows too.
 */
import type { Logger } from '../log/logger.js';
import { rateLimitedWarn, type RateLimitedLog } from '../log/rate_limited.js';
import type { AuditEntry, AuditTrail } from './audit.js';

const text = (value: unknown): string => (typeof value === 'string' ? value.slice(0, 64) : typeof value === 'number' ? String(value) : '');

/**
 * One refusal as an audit entry. Nobody is vouched for, so the actor is empty; the user id the request
 * claimed (someone else's, if forged) is only named in the detail. The target is what the request was for:
 * a team, a dialog's callback, or a call's path.
 */
export function refusalEntry(msg: string, fields: Record<string, unknown>): Omit<AuditEntry, 'at'> {
  const claimed = text(fields.claimed_user_id ?? fields.user_id);
  const reason = text(fields.reason) || (fields.suppressed !== undefined ? `${text(fields.suppressed)} more in the last minute` : 'refused');
  return {
    actor_user_id: '',
    action: 'forgery.refused',
    target: text(fields.team_id) || text(fields.callback_id) || text(fields.path),
    outcome: 'refused',
    detail: `${msg.split(':')[0]}: ${reason}${claimed ? `; claimed user ${claimed}` : ''}`,
  };
}

/** The rate-limited warning for refused requests, each line written also kept in the audit trail when there is one. */
export function auditedRefusalLog(options: { logger: Logger; now: () => number; audit: AuditTrail | undefined }): RateLimitedLog {
  const { logger, now, audit } = options;
  return rateLimitedWarn(logger, now, undefined, undefined, audit && ((msg, fields) => void audit.record(refusalEntry(msg, fields))));
}
