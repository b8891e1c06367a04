/**
 * The standalone host as the service runs it: the SQL storage (SQLite or
 * PostgreSQL), the repositories with the real bound sealer, the bot, the
 * router, and the background loops (team sync, pruning of expired sessions
 * and one-time records). close() stops the loops and closes the database.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type express from 'express';
import type { Config } from '../../../config/index.js';
import { coreSettings } from '../../../core/request.js';
import type { SecretSealer } from '../../../core/secret_sealer.js';
import type { Logger } from '../../../log/logger.js';
import { rateLimitedWarn } from '../../../log/rate_limited.js';
import { createMattermostBot } from '../bot.js';
import { deriveFlowSecrets } from '../../../oauth/crypto.js';
import type { OAuthEngine } from '../../../oauth/types.js';
import { createRepositories, openDatabase, type StandaloneDatabase, type StandaloneRepositories } from '../db/index.js';
import { standaloneKeys, standaloneSettings, type StandaloneDeps } from '../deps.js';
import { commandHandler } from '../http/command_route.js';
import { createServiceTables, createStandaloneRouter } from '../http/router.js';
import { startTeamSync } from '../setup/team_sync_loop.js';
import { createSigningKeySource } from '../trigger/signing_key.js';
import { notSetUpRouter } from './not_set_up.js';
import { mattermostPing, unreadiness, type Unready } from './readiness.js';
import { standaloneSealer } from '../db/sealer.js';
import { createAdminView } from '../admin/admin_view.js';

export const PRUNE_INTERVAL_MS = 5 * 60_000;
/** How long /readyz waits for each of its checks: a probe must answer before its own timeout. */
const READINESS_TIMEOUT_MS = 2000;

/** What the service made once for both hosts (service_parts.ts). */
export interface StandaloneHostOptions {
  config: Readonly<Config>;
  logger: Logger;
  now: () => number;
  fetch: typeof fetch;
  /** The current encryption key: this host's dialog and flow keys are derived from it. */
  currentKey: Buffer;
  /** The service's cipher; this host puts its seal scope on it. */
  cipher: SecretSealer;
  engine: OAuthEngine;
  mattermostEngine: OAuthEngine;
}

export interface StandaloneHost {
  router: express.Router;
  /** POST /standalone/command alone, for the service to mount ahead of everything else (the router serves it too). */
  command?: (req: IncomingMessage, res: ServerResponse) => void;
  database: StandaloneDatabase;
  repositories: StandaloneRepositories;
  /** Undefined when APP_MATTERMOST_URL is unset (the router then answers "not set up"). */
  deps?: StandaloneDeps;
  /** What keeps the host from serving now (GET /readyz); empty when it can. */
  unready(): Promise<Unready>;
  close(): Promise<void>;
}

/** Opens the database (migrations applied); the caller closes the host at shutdown. */
export async function startStandaloneHost(options: StandaloneHostOptions): Promise<StandaloneHost> {
  const { config, logger, now } = options;
  // A refresh under the lock makes at most two provider requests (discovery, token), each bounded by the HTTP timeout.
  const database = await openDatabase(config.database, { logger, lockHoldMs: 2 * config.httpTimeoutMs });
  const sealer = standaloneSealer(options.cipher);
  const repositories = createRepositories(database, sealer, now);
  logger.info('standalone storage', { kind: database.kind, where: database.description });
  const timers: Array<() => void> = [startPruning(repositories, logger, now)];
  const close = async () => {
    for (const stop of timers) stop();
    await database.close();
  };
  if (!config.mattermostUrl) {
    logger.warn('WARNING: the standalone host is not set up: set APP_MATTERMOST_URL to the Mattermost Site URL and run npm run setup.');
    const noMattermost = async (): Promise<string> => 'APP_MATTERMOST_URL is not set';
    return { router: notSetUpRouter(), database, repositories, close, unready: () => unreadiness(database, noMattermost, READINESS_TIMEOUT_MS) };
  }
  const ping = mattermostPing({ mattermostUrl: config.mattermostUrl, fetch: options.fetch, timeoutMs: READINESS_TIMEOUT_MS, now: Date.now });
  const unready = () => unreadiness(database, ping, READINESS_TIMEOUT_MS);
  const deps = standaloneDeps(options, sealer, repositories);
  // Read the key now, so the first command does not wait for it.
  void deps.signingKey.current();
  const sync = startTeamSync({
    store: repositories.installation,
    mattermostUrl: deps.settings.mattermostUrl,
    rootUrl: deps.settings.rootUrl,
    intervalMs: config.teamSyncIntervalMs,
    logger,
  });
  timers.push(() => sync.stop());
  const tables = createServiceTables();
  const command = commandHandler(deps, tables.subcommands);
  return { router: createStandaloneRouter(deps, tables), command, database, repositories, deps, close, unready };
}

function standaloneDeps(options: StandaloneHostOptions, sealer: SecretSealer, repositories: StandaloneRepositories): StandaloneDeps {
  const { config, logger, now } = options;
  const { dialogKey, flowKey } = standaloneKeys(options.currentKey);
  const settings = { ...standaloneSettings(config), ...coreSettings(config) };
  const bot = createMattermostBot({ siteUrl: settings.mattermostUrl, installation: repositories.installation, timeoutMs: config.httpTimeoutMs });
  return {
    settings,
    logger,
    now,
    engine: options.engine,
    mattermostEngine: options.mattermostEngine,
    sealer,
    flowSecrets: (state) => deriveFlowSecrets(flowKey, state),
    dialogKey,
    ...repositories,
    bot,
    adminView: createAdminView({ bot, logger, now }),
    fetch: options.fetch,
    signingKey: createSigningKeySource({
      mattermostUrl: settings.mattermostUrl,
      fetch: options.fetch,
      timeoutMs: config.httpTimeoutMs,
      now: Date.now,
      onFailure: (reason) => logger.warn("cannot read Mattermost's signing key: commands are refused until it can be read", { reason }),
    }),
    wallClock: Date.now,
    refusalLog: rateLimitedWarn(logger, Date.now),
  };
}

/** Expired sessions and one-time records are useless; removing them keeps the tables small. */
function startPruning(repositories: StandaloneRepositories, logger: Logger, now: () => number): () => void {
  const prune = async () => {
    const sessions = await repositories.sessions.prune(now());
    const records = await repositories.oneTime.prune(now());
    if (sessions + records > 0) logger.debug('pruned expired records', { sessions, one_time: records });
  };
  const timer = setInterval(() => prune().catch((error: unknown) => logger.warn('pruning failed', { error: (error as Error).message })), PRUNE_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
