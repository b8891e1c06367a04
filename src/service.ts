/**
 * The composition root: the parts both hosts share are made once
 * (service_parts.ts), then each host that config.hosts names is built from
 * them and mounted. Tests build it with injected fetch, clock and logger.
 */
import { withServedHosts, type Config } from './config/index.js';
import { coreSettings } from './core/request.js';
import { createAuditTrail, type AuditStore } from './core/audit.js';
import { routes } from './hosts/apps/calls/routes.js';
import type { Deps } from './hosts/apps/calls/deps.js';
import { appsHttp } from './hosts/apps/http/app.js';
import { ReportIndex } from './hosts/apps/store/report_index.js';
import { appsSealer } from './hosts/apps/store/sealer.js';
import { deriveFlowSecrets, purposeKey } from '@oauth2-connect/engine';
import type { RequestListener } from 'node:http';
import express from 'express';
import { healthRouter } from './hosts/standalone/db/health.js';
import { startStandaloneHost, type StandaloneHost } from './hosts/standalone/service/host.js';
import { moveTarget } from './hosts/standalone/service/move_target.js';
import { plainUtf8 } from './util/plain_body.js';
import { TOKEN_URL } from './hosts/standalone/token_api/api_routes.js';
import { createUserCopies } from './hosts/apps/calls/user_copier.js';
import { metricsRoute } from './metrics/metrics_route.js';
import { observeEngine } from './metrics/observed_engine.js';
import { mattermostCallObserver, timedFetch } from './metrics/timed_fetch.js';
import { serviceParts, type ServiceOverrides, type ServiceParts } from './service_parts.js';
import { decideHosts, readAppsPluginRecord } from './served_hosts.js';

export type { ServiceOverrides };

/**
 * The Apps host's dependencies from the shared parts. Its own stores are per user or the App's one document,
 * so its audit entries are rows only where the standalone host's database is open in the same process
 * (both hosts, the default); else they are log lines alone.
 */
function appsDeps(parts: ServiceParts, auditRows?: AuditStore): Deps {
  const flowKey = purposeKey(parts.currentKey, 'oauth2-connect flow secrets');
  return {
    config: parts.config,
    settings: coreSettings(parts.config),
    logger: parts.logger,
    engine: observeEngine(parts.engine, parts.metrics, 'apps'),
    sealer: appsSealer(parts.cipher),
    flowSecrets: (state) => deriveFlowSecrets(flowKey, state),
    // The Apps host's own fetch goes only to Mattermost (the engine has its own).
    fetch: timedFetch(parts.fetch, mattermostCallObserver(parts.metrics, 'apps')),
    metrics: parts.metrics,
    now: parts.now,
    reportIndex: new ReportIndex(parts.logger),
    audit: createAuditTrail({ logger: parts.logger, now: parts.now, ...(auditRows && { store: auditRows }) }),
  };
}

export function createDeps(config: Readonly<Config>, overrides: ServiceOverrides = {}): Deps {
  return appsDeps(serviceParts(config, overrides));
}

/** The Apps host alone: its express app, and the listener that serves its calls ahead of express (what a server listens with). */
export function createService(config: Readonly<Config>, overrides: ServiceOverrides = {}) {
  const deps = createDeps(config, overrides);
  return { deps, ...appsHttp(deps, routes) };
}

export interface RunningService {
  /** The configuration served: its hosts decided (served_hosts.ts) and the warnings that apply to them. */
  config: Readonly<Config>;
  /** Why these hosts, for the start-up log line. */
  hostsWhy: string;
  /** The main listener's app: /healthz, the standalone host, and the Apps host unless it has a listener of its own. */
  app: express.Express;
  /** What the main listener serves: the app, with the standalone host's command route and token endpoint, and the Apps host's calls, answered before the app sees them. */
  listener: RequestListener;
  /** Present when config.appsListener is set: what that listener serves, /healthz and the Apps host (its calls answered before express sees them). */
  appsApp?: RequestListener;
  /** Present when config.metricsListener is set: GET /metrics alone, for that listener. */
  metricsApp?: express.Express;
  deps: Deps;
  /** Present when config.hosts names it. */
  standalone?: StandaloneHost;
  /** Marks the process as shutting down: /healthz and /readyz then say 503. */
  stopping(): void;
  /** Stops the standalone host's loops and closes its database. */
  close(): Promise<void>;
}

const notFound = (_req: express.Request, res: express.Response) => {
  res.status(404).json({ text: 'Not found.' });
};

function bareApp(): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  return app;
}

/** The path Mattermost posts every /oauth2 command to (the standalone router serves it too, for any other spelling of it). */
const COMMAND_URL = '/standalone/command';

/** What the main app serves itself on the main listener; with the Apps host there, every other path is the Apps host's. */
const MAIN_APP_PATHS = /^\/(?:standalone|api\/v1|healthz|readyz|metrics)(?:[/?]|$)/i;

/**
 * The main listener's first decision, before express: every /oauth2 command, and every token request with a plain
 * UTF-8 body, is answered by its own route, since none of express's layers is needed there (each route reads its
 * own body and writes its own answer; express serves those two paths too, for any other spelling or body). An Apps
 * call goes straight to the Apps host's app, not through the main app's health, metrics, standalone and token API
 * layers, none of which serves it. Anything else goes to the main app.
 */
function mainListener(standalone: StandaloneHost | undefined, apps: RequestListener | undefined, app: express.Express): RequestListener {
  const { command, token } = standalone ?? {};
  return (req, res) => {
    if (req.method === 'POST' && req.url === COMMAND_URL && command) command(req, res);
    else if (req.method === 'POST' && req.url === TOKEN_URL && token && plainUtf8(req)) token(req, res);
    else if (apps && !MAIN_APP_PATHS.test(req.url ?? '/')) apps(req, res);
    else app(req, res);
  };
}

/**
 * The whole service: GET /healthz and /readyz, GET /metrics with APP_METRICS_TOKEN
 * (or on a listener of its own with APP_METRICS_ADDRESS), the standalone host under /standalone
 * (before the Apps host, whose JWT check answers every POST), then the Apps
 * host; each only when config.hosts names it. With
 * config.appsListener the Apps host is on an app of its own (appsApp), and
 * the main app answers 404 to what is not the standalone host's.
 */
export async function startService(loaded: Readonly<Config>, overrides: ServiceOverrides = {}): Promise<RunningService> {
  const loadedParts = serviceParts(loaded, overrides);
  const standalone = loaded.hosts.includes('standalone') ? await startStandaloneHost(loadedParts) : undefined;
  let config: Readonly<Config>;
  let hostsWhy: string;
  try {
    const record = standalone && !loaded.hostsChosen ? await readAppsPluginRecord(standalone.repositories.installation, loaded.mattermostUrl) : undefined;
    const served = decideHosts(loaded, record);
    config = withServedHosts(loaded, served.hosts);
    hostsWhy = served.why;
  } catch (err) {
    await standalone?.close();
    throw err;
  }
  const parts = { ...loadedParts, config };
  const deps = appsDeps(parts, standalone?.repositories.auditLog);
  const hosts = config.hosts;
  // Both hosts here: the Apps host can copy its providers and users into the standalone host's storage (the move to v12).
  const target = standalone && hosts.includes('apps') ? moveTarget(standalone, parts.cipher) : undefined;
  const copies = target && createUserCopies(target, deps);
  if (target && copies) Object.assign(deps, { moveTarget: target, userCopies: copies });
  let shuttingDown = false;
  const health = healthRouter({
    hosts,
    logger: deps.logger,
    now: deps.now,
    shuttingDown: () => shuttingDown,
    ...(standalone && { storage: standalone.database, unready: () => standalone.unready() }),
  });
  const app = bareApp().use(health);
  const metrics = (token: string | undefined) => metricsRoute({ metrics: parts.metrics, logger: parts.logger, token });
  // On the main listener only behind the token; on a listener of its own the token is asked when set.
  if (config.metricsToken) app.use(metrics(config.metricsToken));
  const metricsApp = config.metricsListener ? bareApp().use(metrics(config.metricsToken), notFound) : undefined;
  if (standalone) app.use('/standalone', standalone.router, notFound);
  if (standalone?.apiRouter) app.use('/api/v1', standalone.apiRouter, notFound);
  const apps = hosts.includes('apps') ? appsHttp(deps, routes) : undefined;
  const appsApp = apps && config.appsListener ? apps.servedAhead(bareApp().use(health, apps.app)) : undefined;
  if (apps && !appsApp) app.use(apps.app);
  app.use(notFound);
  const stopping = () => {
    shuttingDown = true;
  };
  // On the main listener unless the Apps host has a listener of its own.
  const listener = mainListener(standalone, appsApp ? undefined : apps?.listener, app);
  return {
    config,
    hostsWhy,
    app,
    listener,
    ...(appsApp && { appsApp }),
    ...(metricsApp && { metricsApp }),
    deps,
    ...(standalone && { standalone }),
    stopping,
    close: async () => {
      await copies?.idle();
      await standalone?.close();
    },
  };
}
