/**
 * The command line of `npm run setup` [--check | --remove], as a function the
 * tests call. Reads the admin token from MM_ADMIN_TOKEN or, in a terminal,
 * from a hidden prompt; it is never stored nor printed.
 */
import { ConfigError, loadConfig, type Config } from '../../../config.js';
import type { InstallationStore } from '../ports.js';
import { runSetup, type SetupMode, type SetupOptions } from './setup.js';

export interface OpenedStore {
  store: InstallationStore;
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

const USAGE = `usage: npm run setup [-- --check | --remove]
  (no option)  create or update the bot, the Sign-in OAuth app and /oauth2 in every team
  --check      only report what is missing or wrong (exit 1 when something is)
  --remove     delete the commands and the OAuth app, disable the bot, forget the installation
The system admin's token comes from MM_ADMIN_TOKEN or, in a terminal, a prompt. It is not stored.`;

function parseMode(args: string[]): SetupMode | 'help' | undefined {
  if (args.length === 0) return 'apply';
  if (args.length > 1) return undefined;
  return ({ '--check': 'check', '--remove': 'remove', '--help': 'help', '-h': 'help' } as const)[args[0] as '--check'];
}

function describeFailure(err: unknown, mattermostUrl: string): string {
  if (err instanceof TypeError) return `cannot reach Mattermost at ${mattermostUrl} (${err.message}); check APP_MATTERMOST_URL`;
  const status = (err as { status_code?: number }).status_code;
  if (status !== undefined) return `Mattermost answered HTTP ${status}: ${(err as Error).message}`;
  return (err as Error).message;
}

/** Returns the exit code: 0 all good, 1 problems found, 2 bad usage or configuration. */
export async function runSetupCli(args: string[], deps: SetupCliDeps): Promise<number> {
  const mode = parseMode(args);
  if (mode === undefined || mode === 'help') {
    deps.print(USAGE);
    return mode === 'help' ? 0 : 2;
  }
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
  deps.print(`OAuth2 Connect setup (${mode}) against ${config.mattermostUrl}, service at ${config.rootUrl}`);
  let opened: OpenedStore;
  try {
    opened = await deps.openStore(config);
  } catch (err) {
    deps.print(`Cannot open the service's database: ${(err as Error).message}`);
    return 2;
  }
  try {
    const report = await runSetup({
      adminToken,
      mattermostUrl: config.mattermostUrl,
      rootUrl: config.rootUrl,
      store: opened.store,
      mode,
      makeClient: deps.makeClient,
    });
    deps.print(report.format());
    const nothingChanged = mode === 'apply' && report.done.length === 0;
    deps.print(
      report.healthy
        ? nothingChanged
          ? 'Everything was already in place.'
          : 'Done.'
        : `${report.problems.length} problem(s) found${mode === 'apply' && nothingChanged ? '; nothing was changed' : ''}.`,
    );
    return report.healthy ? 0 : 1;
  } catch (err) {
    deps.print(`Setup stopped: ${describeFailure(err, config.mattermostUrl)}`);
    return 1;
  } finally {
    await opened.close();
  }
}
