/**
 * Runs syncTeams at start and then every `intervalMs` (default 5 min) with
 * the bot token from the installation store, so a team created later gets
 * `/oauth2` without a person. Mattermost has no "team created" event (see
 * docs/mattermost.md, "Managing commands"), hence polling. Only an admin bot can: with
 * a regular bot (read at each tick, so a later setup's choice counts) a run
 * does nothing and `setup --sync` does the work. Findings are warnings and one
 * direct message to the system admins per run. Runs never overlap; a failed
 * run is logged (no secret) and retried at the next tick.
 */
import type { Logger } from '../../../log/logger.js';
import { createMattermostClient, type MattermostClient4 } from '../client4.js';
import type { Installation, InstallationStore } from '../ports.js';
import { alertSystemAdmins } from './admin_alert.js';
import { botRoleOf } from './bot_role.js';
import { findingLine, teamRepairEntry, type SetupReport } from './report.js';
import type { AuditTrail } from '../../../core/audit.js';
import { syncTeams } from './team_sync.js';

export const DEFAULT_TEAM_SYNC_INTERVAL_MS = 5 * 60_000;

export interface TeamSyncLoopOptions {
  store: InstallationStore;
  mattermostUrl: string;
  rootUrl: string;
  intervalMs?: number;
  logger: Pick<Logger, 'info' | 'warn'>;
  makeClient?: (url: string, token: string) => MattermostClient4;
  /** Each finding (a team's command someone changed) is an audit entry, by the bot that repaired it. */
  audit?: AuditTrail;
}

export interface TeamSyncLoop {
  /** One run now (also what the timer does); resolves to undefined when not installed. */
  runNow(): Promise<SetupReport | undefined>;
  stop(): void;
}

export function startTeamSync(options: TeamSyncLoopOptions): TeamSyncLoop {
  const makeClient = options.makeClient ?? createMattermostClient;
  let running: Promise<SetupReport | undefined> | undefined;

  let saidRegular = false;

  async function once(): Promise<SetupReport | undefined> {
    const installation = await options.store.getInstallation();
    if (!installation) {
      options.logger.warn('team sync: not installed yet; run oauth2-connect setup');
      return undefined;
    }
    if (botRoleOf(installation) === 'regular') {
      if (!saidRegular)
        options.logger.info('team sync: off, the bot is a regular user; run `oauth2-connect setup --sync` on a schedule (README "Standalone host: which bot")');
      saidRegular = true;
      return undefined;
    }
    saidRegular = false;
    const client = makeClient(options.mattermostUrl, installation.bot_token);
    const report = await syncTeams({ client, store: options.store, rootUrl: options.rootUrl, botUserId: installation.bot_user_id });
    for (const line of report.done) options.logger.info(`team sync: ${line}`);
    for (const f of report.findings) options.logger.warn(`team sync: ${findingLine(f)}`);
    for (const f of report.findings) {
      const { at: _at, ...entry } = teamRepairEntry(f, installation.bot_user_id, 0);
      await options.audit?.record(entry);
    }
    for (const p of report.problems) options.logger.warn(`team sync: ${p.what}`, { fix: p.fix });
    await alert(client, installation, report);
    return report;
  }

  async function alert(client: MattermostClient4, installation: Installation, report: SetupReport): Promise<void> {
    if (report.findings.length === 0) return;
    const outcome = await alertSystemAdmins(client, installation.bot_user_id, report.findings, 'team sync');
    if (outcome.sent.length > 0) options.logger.info(`team sync: told the system admins by direct message: ${outcome.sent.join(', ')}`);
    for (const failure of outcome.failed) options.logger.warn(`team sync: the direct message to the system admins failed: ${failure}`);
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
