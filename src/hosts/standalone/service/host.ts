/**
 * The standalone host as the service runs it: the SQL storage (SQLite or
 * PostgreSQL), the repositories with the real bound sealer, the bot, the
 * router, and the background loops (team sync, pruning of expired sessions
 * and one-time records). close() stops the loops and closes the database.
 */
import type express from 'express';
import type { Config } from '../../../config.js';
import type { Logger } from '../../../log/logger.js';
import { createMattermostBot } from '../../../mattermost/bot.js';
import { deriveFlowSecrets } from '../../../oauth/crypto.js';
import { providerOrigin } from '../../../oauth/provider_origin.js';
import type { OAuthEngine } from '../../../oauth/types.js';
import { createRepositories, openDatabase, type StandaloneDatabase, type StandaloneRepositories } from '../db/index.js';
import { standaloneKeys, standaloneSettings, type StandaloneDeps } from '../deps.js';
import { createServiceTables, createStandaloneRouter } from '../http/router.js';
import { startTeamSync } from '../setup/team_sync_loop.js';
import { notSetUpRouter } from './not_set_up.js';
import { createOAuthEngine } from '../../../oauth/engine.js';
import { createStandaloneSealer, standaloneClientSecretBinding } from './sealer.js';
import { createSigningKeySource } from '../trigger/signing_key.js';
import { createAdminView } from '../admin/admin_view.js';
import { rateLimitedWarn } from '../../../log/rate_limited.js';

export const PRUNE_INTERVAL_MS = 5 * 60_000;

export interface StandaloneHostOptions {
  config: Readonly<Config>;
  logger: Logger;
  engine: OAuthEngine;
  now: () => number;
  fetch: typeof fetch;
}

export interface StandaloneHost {
  router: express.Router;
  database: StandaloneDatabase;
  repositories: StandaloneRepositories;
  /** Undefined when APP_MATTERMOST_URL is unset (the router then answers "not set up"). */
  deps?: StandaloneDeps;
  close(): Promise<void>;
}

/** Opens the database (migrations applied); the caller closes the host at shutdown. */
export async function startStandaloneHost(options: StandaloneHostOptions): Promise<StandaloneHost> {
  const { config, logger, now } = options;
  // A refresh under the lock makes at most two provider requests (discovery, token), each bounded by the HTTP timeout.
  const database = await openDatabase(config.standalone.database, { logger, lockHoldMs: 2 * config.httpTimeoutMs });
  const sealer = createStandaloneSealer(config);
  const repositories = createRepositories(database, sealer, now);
  logger.info('standalone storage', { kind: database.kind, where: database.description });
  const timers: Array<() => void> = [startPruning(repositories, logger, now)];
  const close = async () => {
    for (const stop of timers) stop();
    await database.close();
  };
  if (!config.mattermostUrl) {
    logger.warn('WARNING: the standalone host is not set up: set APP_MATTERMOST_URL to the Mattermost Site URL and run npm run setup.');
    return { router: notSetUpRouter(), database, repositories, close };
  }
  const current = config.encryptionKeys.find((k) => k.id === config.currentKeyId);
  if (!current) throw new Error('the current encryption key is missing');
  const { dialogKey, flowKey } = standaloneKeys(current.key);
  const settings = standaloneSettings(config);
  const bot = createMattermostBot({ siteUrl: settings.mattermostUrl, installation: repositories.installation, timeoutMs: config.httpTimeoutMs });
  const deps: StandaloneDeps = {
    settings,
    logger,
    now,
    engine: options.engine,
    // The configured Mattermost is configuration, not a target to guard: it often lives on a private network.
    mattermostEngine: createOAuthEngine({
      fetch: options.fetch,
      now,
      httpTimeoutMs: config.httpTimeoutMs,
      revocationTimeoutMs: config.revocationTimeoutMs,
      discoveryTtlMs: config.discoveryTtlMs,
      allowPrivateNetwork: true,
    }),
    sealer,
    flowSecrets: (state) => deriveFlowSecrets(flowKey, state),
    dialogKey,
    ...repositories,
    bot,
    adminView: createAdminView({ bot, logger, now }),
    clientSecretBinding: standaloneClientSecretBinding,
    providerOrigin,
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
  // Read the key now, so the first command does not wait for it.
  void deps.signingKey.current();
  const sync = startTeamSync({
    store: repositories.installation,
    mattermostUrl: settings.mattermostUrl,
    rootUrl: settings.rootUrl,
    intervalMs: config.teamSyncIntervalMs,
    logger,
  });
  timers.push(() => sync.stop());
  return { router: createStandaloneRouter(deps, createServiceTables(config)), database, repositories, deps, close };
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
