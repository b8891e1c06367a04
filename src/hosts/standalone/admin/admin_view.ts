/**
 * Whether to SHOW a user the system admins' part (help's admin lines, the
 * panel's is_admin): Mattermost's answer, kept a minute per user in this
 * process, so a user's command does not wait on a call to Mattermost. Only
 * what is shown depends on it: every admin command and admin dialog re-reads
 * the rights from Mattermost (bot.isSystemAdmin) before it reads or changes
 * anything, so a demoted admin may still see the admin lines for up to a
 * minute, and running one is refused at once.
 */
import type { Logger } from '../../../log/logger.js';
import type { MattermostBot } from '../bot.js';
import type { AdminView } from '../deps.js';
import { TtlCache } from '@oauth2-connect/engine';

export const ADMIN_VIEW_TTL_MS = 60_000;
/** Past this many users the oldest answers go first. */
export const ADMIN_VIEW_MAX_USERS = 1000;

export type { AdminView };

export interface AdminViewOptions {
  bot: Pick<MattermostBot, 'isSystemAdmin'>;
  logger: Pick<Logger, 'warn'>;
  now(): number;
  ttlMs?: number;
  maxUsers?: number;
}

export function createAdminView(options: AdminViewOptions): AdminView {
  // Concurrent commands of one user share one question; a failed one is forgotten at once (TtlCache).
  const answers = new TtlCache<boolean>(options.ttlMs ?? ADMIN_VIEW_TTL_MS, options.now, options.maxUsers ?? ADMIN_VIEW_MAX_USERS);
  return {
    shownAsAdmin: (userId) =>
      answers
        .get(userId, () => options.bot.isSystemAdmin(userId))
        .catch((err: unknown) => {
          options.logger.warn('admin check failed', { error: err });
          return false;
        }),
  };
}
