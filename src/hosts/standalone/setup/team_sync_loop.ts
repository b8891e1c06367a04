/**
 * Runs syncTeams at start and then every `intervalMs` (default 5 min) with
 * the bot token from the installation store, so a team created later gets
 * `/oauth2` without a person. Mattermost has no "team created" event (see
 * README "Standalone host: setup"), hence polling. Runs never overlap; a
 * failed run is logged (no secret) and retried at the next tick.
 */
import type { Logger } from '../../../log/logger.js';
import { createMattermostClient, type MattermostRestClient } from '../../../mattermost/client4.js';
import type { InstallationStore } from '../ports.js';
import type { SetupReport } from './report.js';
import { syncTeams } from './team_sync.js';

export const DEFAULT_TEAM_SYNC_INTERVAL_MS = 5 * 60_000;

export interface TeamSyncLoopOptions {
  store: InstallationStore;
  mattermostUrl: string;
  rootUrl: string;
  intervalMs?: number;
  logger: Pick<Logger, 'info' | 'warn'>;
  makeClient?: (url: string, token: string) => MattermostRestClient;
}

export interface TeamSyncLoop {
  /** One run now (also what the timer does); resolves to undefined when not installed. */
  runNow(): Promise<SetupReport | undefined>;
  stop(): void;
}

export function startTeamSync(options: TeamSyncLoopOptions): TeamSyncLoop {
  const makeClient = options.makeClient ?? createMattermostClient;
  let running: Promise<SetupReport | undefined> | undefined;

  async function once(): Promise<SetupReport | undefined> {
    const installation = await options.store.getInstallation();
    if (!installation) {
      options.logger.warn('team sync: not installed yet; run npm run setup');
      return undefined;
    }
    const client = makeClient(options.mattermostUrl, installation.bot_token);
    const report = await syncTeams({ client, store: options.store, rootUrl: options.rootUrl, botUserId: installation.bot_user_id });
    for (const line of report.done) options.logger.info(`team sync: ${line}`);
    for (const p of report.problems) options.logger.warn(`team sync: ${p.what}`, { fix: p.fix });
    return report;
  }

  function runNow(): Promise<SetupReport | undefined> {
    running ??= once()
      .catch((err: unknown) => {
        const status = (err as { status_code?: number }).status_code;
        options.logger.warn('team sync failed; retrying at the next interval', { status, error: (err as Error).message });
        return undefined;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  }

  void runNow();
  const timer = setInterval(() => void runNow(), options.intervalMs ?? DEFAULT_TEAM_SYNC_INTERVAL_MS);
  timer.unref();
  return { runNow, stop: () => clearInterval(timer) };
}
