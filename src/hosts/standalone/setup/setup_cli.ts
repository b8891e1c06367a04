/**
 * The command line of `oauth2-connect setup` (`npm run setup` in a checkout)
 * [--check | --sync | --remove] [--bot-role regular|admin] [--force], as a
 * function the tests call. It reads the service's own configuration
 * (loadConfig) and says which storage it opens. Reads the admin
 * token from MM_ADMIN_TOKEN or, in a terminal, from a hidden prompt; it is
 * never stored nor printed.
 */
import { ConfigError, loadConfig, maskDatabaseUrl, type Config, type DatabaseSettings } from '../../../config/index.js';
import type { InstallationStore } from '../ports.js';
import { teamRepairEntry, type SetupReport } from './report.js';
import type { AuditEntry, AuditStore } from '../../../core/audit.js';
import { parseCommandLine, USAGE } from './setup_args.js';
import { runSetup, type SetupMode, type SetupOptions } from './setup.js';

export interface OpenedStore {
  store: InstallationStore;
  /** Where the run's audit entries go (the service's audit trail). */
  audit?: AuditStore;
  close(): Promise<void>;
}

export interface SetupCliDeps {
  env: Record<string, string | undefined>;
  /** Opens the installation store the service uses (the SQL store). */
  openStore(config: Readonly<Config>): Promise<OpenedStore>;
  /** Asks for the token when MM_ADMIN_TOKEN is unset; undefined when there is no terminal. */
  askToken(): Promise<string | undefined>;
  print(text: string): void;
  makeClient?: SetupOptions['makeClient'];
}

/** The storage setup opens, as a message names it: kind and where, any password masked. */
export function describeStorage(settings: DatabaseSettings): string {
  return settings.kind === 'sqlite' ? `SQLite file ${settings.file}` : `PostgreSQL ${maskDatabaseUrl(settings.url)}`;
}

function describeFailure(err: unknown, mattermostUrl: string): string {
  if (err instanceof TypeError) return `cannot reach Mattermost at ${mattermostUrl} (${err.message}); check APP_MATTERMOST_URL`;
  const status = (err as { status_code?: number }).status_code;
  if (status !== undefined) return `Mattermost answered HTTP ${status}: ${(err as Error).message}`;
  return (err as Error).message;
}

/** A run that changed or found something is kept in the audit trail: one entry for the run, one per repair it found. */
async function auditSetup(opened: OpenedStore, report: SetupReport, mode: string, print: (text: string) => void): Promise<void> {
  if (!opened.audit || report.quiet || report.actorUserId === '') return;
  const at = Date.now();
  const counts = `${report.done.length} changes, ${report.findings.length} findings, ${report.problems.length} problems`;
  const entries: AuditEntry[] = [
    { at, actor_user_id: report.actorUserId, action: 'setup', target: '', outcome: report.healthy ? 'ok' : 'failed', detail: `${mode}: ${counts}` },
    ...report.findings.map((f) => teamRepairEntry(f, report.actorUserId, at)),
  ];
  for (const entry of entries)
    await opened.audit.insert(entry).catch((err: unknown) => print(`The audit entry could not be stored: ${(err as Error).message}`));
}

/** Returns the exit code: 0 all good, 1 problems found, 2 bad usage or configuration. */
export async function runSetupCli(args: string[], deps: SetupCliDeps): Promise<number> {
  const parsed = parseCommandLine(args);
  if (parsed === undefined || parsed === 'help') {
    deps.print(USAGE);
    return parsed === 'help' ? 0 : 2;
  }
  const { mode, botRole, force } = parsed;
  let config: Readonly<Config>;
  try {
    config = loadConfig(deps.env);
  } catch (err) {
    deps.print(err instanceof ConfigError ? err.message : String(err));
    return 2;
  }
  if (!config.mattermostUrl) {
    deps.print('APP_MATTERMOST_URL is not set: set it to your Mattermost Site URL (the service calls only that address).');
    return 2;
  }
  const adminToken = deps.env.MM_ADMIN_TOKEN?.trim() || (await deps.askToken())?.trim();
  if (!adminToken) {
    deps.print("No admin token: set MM_ADMIN_TOKEN to a system admin's personal access token, or run setup in a terminal to be asked for it.");
    return 2;
  }
  const heading = `OAuth2 Connect setup (${mode}) against ${config.mattermostUrl}, service at ${config.rootUrl}`;
  // A cron job mails what is printed: --sync prints only when there is something to say.
  const said: string[] = [];
  const print = mode === 'sync' ? (text: string) => said.push(text) : deps.print;
  const storage = describeStorage(config.database);
  print(heading);
  print(`Storage: ${storage} (DATABASE_URL, else the SQLite file in APP_DATA_DIR)`);
  let opened: OpenedStore;
  try {
    opened = await deps.openStore(config);
  } catch (err) {
    deps.print([...said, `Cannot open the service's storage (${storage}): ${(err as Error).message}`].join('\n'));
    return 2;
  }
  try {
    const setupMode: SetupMode = mode === 'sync' ? 'apply' : mode;
    const report = await runSetup({
      adminToken,
      mattermostUrl: config.mattermostUrl,
      rootUrl: config.rootUrl,
      store: opened.store,
      storage,
      mode: setupMode,
      botRole,
      force,
      makeClient: deps.makeClient,
    });
    await auditSetup(opened, report, mode, deps.print);
    if (mode === 'sync' && report.quiet) {
      said.length = 0;
      return 0;
    }
    print(report.format({ withFine: mode !== 'sync' }));
    print(summary(report, setupMode));
    return report.healthy ? 0 : 1;
  } catch (err) {
    print(`Setup stopped: ${describeFailure(err, config.mattermostUrl)}`);
    return 1;
  } finally {
    await opened.close();
    if (said.length > 0 && mode === 'sync') deps.print(said.join('\n'));
  }
}

function summary(report: SetupReport, mode: SetupMode): string {
  const nothingChanged = mode === 'apply' && report.done.length === 0;
  if (report.healthy) return nothingChanged ? 'Everything was already in place.' : 'Done.';
  const wrong = report.problems.length + report.findings.filter((f) => !f.repaired).length;
  return `${wrong} problem(s) found${nothingChanged ? '; nothing was changed' : ''}.`;
}
