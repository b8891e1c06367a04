/**
 * The audit trail: admin actions (providers added, edited, removed, tested,
 * registered; token API clients), setup runs and team-sync repairs, users'
 * grants to integrations ending, and refused forgeries. Each
 * entry is one structured log line and, where the host has a database (the
 * standalone host), a row kept for APP_AUDIT_RETENTION_DAYS. An entry names
 * who (the user Mattermost vouched for; '' when nobody was), what, on what,
 * when and how it ended; its detail names fields, counts and reasons, never a
 * value that could be a secret.
 */
import type { Logger } from '../log/logger.js';

export type AuditAction =
  | 'provider.add'
  | 'provider.edit'
  | 'provider.remove'
  | 'provider.test'
  | 'provider.register'
  | 'client.add'
  | 'client.rotate'
  | 'client.remove'
  | 'grant.revoke'
  | 'migrate.providers'
  | 'migrate.users'
  | 'setup'
  | 'team_sync.repair'
  | 'forgery.refused';

/** ok: done; refused: not allowed (not an admin, a forged request); failed: tried and did not succeed. */
export type AuditOutcome = 'ok' | 'refused' | 'failed';

export interface AuditEntry {
  /** Epoch ms. */
  at: number;
  /** The acting user as Mattermost says; '' when no user was vouched for (a forged request). */
  actor_user_id: string;
  action: AuditAction;
  /** What it acted on: a provider id, `client:<name>` for a token API client, a team, or ''. */
  target: string;
  outcome: AuditOutcome;
  /** Field names, counts, reasons; never a value that could be a secret. At most DETAIL_MAX characters. */
  detail: string;
}

export const DETAIL_MAX = 500;
export const TARGET_MAX = 100;

export interface AuditFilter {
  /** Entries about this provider only. */
  target?: string;
  /** Entries by this user only. */
  actorUserId?: string;
  /** Newest first, at most this many. */
  limit: number;
}

/** Where the rows are kept (the standalone host's database). */
export interface AuditStore {
  insert(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  recent(filter: AuditFilter): Promise<AuditEntry[]>;
  /** Deletes at most `batch` entries older than `before`; returns how many. */
  prune(before: number, batch: number): Promise<number>;
}

export interface AuditTrail {
  /** Writes the log line and stores the row; never throws (a failed write is logged). */
  record(entry: Omit<AuditEntry, 'at'>): Promise<void>;
  /** Undefined where no rows are kept (the Apps host: log lines only). */
  readonly store?: AuditStore;
}

/** Control characters out, length bounded: a detail or target is for one line. */
const oneLine = (text: string, max: number) => text.replace(/\p{Cc}+/gu, ' ').slice(0, max);

export function createAuditTrail(options: { logger: Logger; now: () => number; store?: AuditStore }): AuditTrail {
  const { logger, now, store } = options;
  return {
    ...(store && { store }),
    async record(fields) {
      const entry: AuditEntry = { ...fields, at: now(), target: oneLine(fields.target, TARGET_MAX), detail: oneLine(fields.detail, DETAIL_MAX) };
      logger.info('audit', { action: entry.action, actor_user_id: entry.actor_user_id, target: entry.target, outcome: entry.outcome, detail: entry.detail });
      if (!store) return;
      await store.insert(entry).catch((error: unknown) => logger.warn('audit: the entry could not be stored', { action: entry.action, error }));
    },
  };
}
