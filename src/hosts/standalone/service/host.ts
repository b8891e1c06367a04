/**
 * The standalone host as the service runs it: the SQL storage (SQLite or
 * PostgreSQL), the repositories with the real bound sealer, the bot, the
 * router, and the background loops (team sync, pruning of expired sessions,
 * one-time records and past rate windows, the keep-alive pass over idle connections). close()
 * stops the loops and closes the database.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type express from 'express';
import type { Config } from '../../../config/index.js';
import { publicAddress } from '../../../config/listening.js';
import { coreSettings } from '../../../core/request.js';
import type { SecretSealer } from '../../../core/secret_sealer.js';
import type { Logger } from '../../../log/logger.js';
import { createMattermostBot } from '../bot.js';
import { deriveFlowSecrets, type OAuthEngine } from '@oauth2-connect/engine';
import { createRepositories, openDatabase, type StandaloneDatabase, type StandaloneRepositories } from '../db/index.js';
import { standaloneKeys, standaloneSettings, type StandaloneDeps } from '../deps.js';
import { commandHandler } from '../http/command_route.js';
import { createServiceTables, createStandaloneRouter } from '../http/router.js';
import { startTeamSync } from '../setup/team_sync_loop.js';
import { startKeepAlive } from '../keep_alive/loop.js';
import { createSigningKeySource } from '../trigger/signing_key.js';
import { notSetUpRouter } from './not_set_up.js';
import { mattermostPing, unreadiness, type Unready } from './readiness.js';
import { standaloneSealer } from '../db/sealer.js';
import { createAdminView } from '../admin/admin_view.js';
import { createTokenApi } from '../token_api/token_api.js';
import { tokenApiRouter, tokenHandler } from '../token_api/api_routes.js';
import { WINDOW_MS } from '../token_api/shared_rate_limit.js';
import { pruneAudit, standaloneAudit } from './audit_wiring.js';
import type { ServiceMetrics } from '../../../metrics/service_metrics.js';
import { observeEngine } from '../../../metrics/observed_engine.js';
import { mattermostCallObserver, timedFetch } from '../../../metrics/timed_fetch.js';

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
  /** The service's metrics: this host counts its requests, flows, database statements and Mattermost calls into it. */
  metrics: ServiceMetrics;
}

export interface StandaloneHost {
  router: express.Router;
  /** The token API, mounted at /api/v1; absent until APP_MATTERMOST_URL is set. */
  apiRouter?: express.Router;
  /** POST /standalone/command alone, for the service to mount ahead of everything else (the router serves it too). */
  command?: (req: IncomingMessage, res: ServerResponse) => void;
  /** POST /api/v1/token alone, for a plain UTF-8 body, ahead of everything else (apiRouter serves it too); with apiRouter. */
  token?: (req: IncomingMessage, res: ServerResponse) => void;
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
  const storage = config.database.kind;
  const onQuery = (seconds: number, ok: boolean) => options.metrics.databaseQueries.observe({ storage, outcome: ok ? 'ok' : 'error' }, seconds);
  const database = await openDatabase(config.database, { logger, lockHoldMs: 2 * config.httpTimeoutMs, onQuery, backgroundCheckpoints: true });
  const sealer = standaloneSealer(options.cipher);
  const repositories = createRepositories(database, sealer, now);
  logger.info('standalone storage', { kind: database.kind, where: database.description });
  const timers: Array<() => void | Promise<void>> = [startPruning(repositories, logger, now, config.auditRetentionMs)];
  const close = async () => {
    for (const stop of timers) await stop();
    await database.close();
  };
  if (!config.mattermostUrl) {
    logger.warn('WARNING: the standalone host is not set up: set APP_MATTERMOST_URL to the Mattermost Site URL and run oauth2-connect setup.');
    const noMattermost = async (): Promise<string> => 'APP_MATTERMOST_URL is not set';
    return { router: notSetUpRouter(), database, repositories, close, unready: () => unreadiness(database, noMattermost, READINESS_TIMEOUT_MS) };
  }
  const ping = mattermostPing({ mattermostUrl: config.mattermostUrl, fetch: options.fetch, timeoutMs: READINESS_TIMEOUT_MS, now: Date.now });
  const unready = () => unreadiness(database, ping, READINESS_TIMEOUT_MS);
  const deps = standaloneDeps(options, sealer, repositories);
  warnOpenToRelays(config, logger);
  // Read the key now, so the first command does not wait for it.
  void deps.signingKey.current();
  const sync = startTeamSync({
    store: repositories.installation,
    mattermostUrl: deps.settings.mattermostUrl,
    rootUrl: deps.settings.rootUrl,
    intervalMs: config.teamSyncIntervalMs,
    logger,
    ...(deps.audit && { audit: deps.audit }),
  });
  timers.push(() => sync.stop());
  const keepAliveMetrics = deps.metrics?.keepAlive;
  timers.push(
    startKeepAlive({
      deps,
      repositories,
      settings: config.keepAlive,
      ...(keepAliveMetrics && {
        onPass: (counts) => {
          keepAliveMetrics.inc({ outcome: 'refreshed' }, counts.refreshed);
          keepAliveMetrics.inc({ outcome: 'failed_for_good' }, counts.failedForGood);
          keepAliveMetrics.inc({ outcome: 'failed_for_now' }, counts.failedForNow);
          keepAliveMetrics.inc({ outcome: 'skipped' }, counts.skipped);
        },
      }),
    }),
  );
  const apiRouter = deps.tokenApi && tokenApiRouter(deps, deps.tokenApi);
  const token = deps.tokenApi && tokenHandler(deps, deps.tokenApi);
  const tables = createServiceTables();
  const command = commandHandler(deps, tables.subcommands);
  const api = apiRouter && token && { apiRouter, token };
  return { router: createStandaloneRouter(deps, tables), command, ...api, database, repositories, deps, close, unready };
}

/**
 * A service that others than this machine can reach, without APP_MATTERMOST_SOURCES, takes commands from anyone who
 * holds a fresh trigger id of a user (mattermost_source.ts says how one gets them): say so at every start.
 */
function warnOpenToRelays(config: Readonly<Config>, logger: Logger): void {
  const exposed = publicAddress(config);
  if (config.mattermostSources.length > 0 || !exposed) return;
  logger.warn(
    `WARNING: APP_MATTERMOST_SOURCES is not set and ${exposed} is not a loopback address: commands, dialog submissions and button clicks are taken from any address. Set it to the Mattermost server's addresses; behind a reverse proxy, admit only them to /standalone/command, /standalone/dialog and /standalone/consent there and set it to any.`,
  );
}

function standaloneDeps(options: StandaloneHostOptions, sealer: SecretSealer, repositories: StandaloneRepositories): StandaloneDeps {
  const { config, logger, now } = options;
  const shared = config.database.kind === 'postgres';
  const { dialogKey, flowKey, consentKey } = standaloneKeys(options.currentKey);
  const settings = { ...standaloneSettings(config), ...coreSettings(config) };
  const observe = mattermostCallObserver(options.metrics, 'standalone');
  // Every fetch of this host's own goes to the configured Mattermost (the engines have theirs).
  const mattermostFetch = timedFetch(options.fetch, observe);
  const bot = createMattermostBot({ siteUrl: settings.mattermostUrl, installation: repositories.installation, timeoutMs: config.httpTimeoutMs, observe });
  return {
    settings,
    logger,
    now,
    engine: observeEngine(options.engine, options.metrics, 'standalone'),
    mattermostEngine: options.mattermostEngine,
    sealer,
    flowSecrets: (state) => deriveFlowSecrets(flowKey, state),
    dialogKey,
    ...repositories,
    bot,
    adminView: createAdminView({ bot, logger, now }),
    fetch: mattermostFetch,
    metrics: options.metrics,
    signingKey: createSigningKeySource({
      mattermostUrl: settings.mattermostUrl,
      fetch: mattermostFetch,
      timeoutMs: config.httpTimeoutMs,
      now: Date.now,
      onFailure: (reason) => logger.warn("cannot read Mattermost's signing key: commands are refused until it can be read", { reason }),
    }),
    wallClock: Date.now,
    // One process on SQLite: its buckets are the limit. Replicas share PostgreSQL, and the count per window with it.
    tokenApi: createTokenApi(repositories.tokenClients, consentKey, logger, now, repositories.tokenIssuance, shared ? repositories.rateWindows : undefined),
    ...standaloneAudit({ logger, now, store: repositories.auditLog }),
  };
}

/** Expired sessions and one-time records are useless, audit entries past their retention are due to go, and so are past rate windows; removing them keeps the tables small. */
export function startPruning(repositories: StandaloneRepositories, logger: Logger, now: () => number, auditRetentionMs: number): () => void {
  const prune = async () => {
    const sessions = await repositories.sessions.prune(now());
    const records = await repositories.oneTime.prune(now());
    const audit = await pruneAudit(repositories.auditLog, now() - auditRetentionMs);
    // The current window and the one before stay: a replica whose clock is a little behind may still claim on it.
    const rateWindows = await repositories.rateWindows.prune(now() - 2 * WINDOW_MS);
    if (sessions + records + audit + rateWindows > 0) logger.debug('pruned expired records', { sessions, one_time: records, audit, rate_windows: rateWindows });
  };
  const timer = setInterval(() => prune().catch((error: unknown) => logger.warn('pruning failed', { error: (error as Error).message })), PRUNE_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
