/**
 * The composition root: the parts both hosts share are made once
 * (service_parts.ts), then each host that config.hosts names is built from
 * them and mounted. Tests build it with injected fetch, clock and logger.
 */
import type { Config } from './config/index.js';
import { coreSettings } from './core/request.js';
import { routes } from './hosts/apps/calls/routes.js';
import type { Deps } from './hosts/apps/calls/deps.js';
import { createHttpApp } from './hosts/apps/http/app.js';
import { ReportIndex } from './hosts/apps/store/report_index.js';
import { appsSealer } from './hosts/apps/store/sealer.js';
import { deriveFlowSecrets, purposeKey } from './oauth/crypto.js';
import type { RequestListener } from 'node:http';
import express from 'express';
import { healthRouter } from './hosts/standalone/db/health.js';
import { startStandaloneHost, type StandaloneHost } from './hosts/standalone/service/host.js';
import { serviceParts, type ServiceOverrides, type ServiceParts } from './service_parts.js';

export type { ServiceOverrides };

/** The Apps host's dependencies from the shared parts. */
function appsDeps(parts: ServiceParts): Deps {
  const flowKey = purposeKey(parts.currentKey, 'oauth2-connect flow secrets');
  return {
    config: parts.config,
    settings: coreSettings(parts.config),
    logger: parts.logger,
    engine: parts.engine,
    sealer: appsSealer(parts.cipher),
    flowSecrets: (state) => deriveFlowSecrets(flowKey, state),
    fetch: parts.fetch,
    now: parts.now,
    reportIndex: new ReportIndex(parts.logger),
  };
}

export function createDeps(config: Readonly<Config>, overrides: ServiceOverrides = {}): Deps {
  return appsDeps(serviceParts(config, overrides));
}

export function createService(config: Readonly<Config>, overrides: ServiceOverrides = {}) {
  const deps = createDeps(config, overrides);
  return { deps, app: createHttpApp(deps, routes) };
}

export interface RunningService {
  /** The main listener's app: /healthz, the standalone host, and the Apps host unless it has a listener of its own. */
  app: express.Express;
  /** What the main listener serves: the app, with the standalone host's command route answered before express sees it. */
  listener: RequestListener;
  /** Present when config.appsListener is set: /healthz and the Apps host, for that listener alone. */
  appsApp?: express.Express;
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

/**
 * Every /oauth2 command takes this route: answered before express sees the request, since none of its layers is needed
 * there (the route reads its own body and writes its own answer). Anything else goes to the app as before.
 */
function commandFirst(command: RequestListener, app: express.Express): RequestListener {
  return (req, res) => {
    if (req.method === 'POST' && req.url === COMMAND_URL) command(req, res);
    else app(req, res);
  };
}

/**
 * The whole service: GET /healthz and /readyz, the standalone host under /standalone
 * (before the Apps host, whose JWT check answers every POST), then the Apps
 * host; each only when config.hosts names it. With
 * config.appsListener the Apps host is on an app of its own (appsApp), and
 * the main app answers 404 to what is not the standalone host's.
 */
export async function startService(config: Readonly<Config>, overrides: ServiceOverrides = {}): Promise<RunningService> {
  const parts = serviceParts(config, overrides);
  const deps = appsDeps(parts);
  const hosts = config.hosts;
  const standalone = hosts.includes('standalone') ? await startStandaloneHost(parts) : undefined;
  let shuttingDown = false;
  const health = healthRouter({
    hosts,
    logger: deps.logger,
    now: deps.now,
    shuttingDown: () => shuttingDown,
    ...(standalone && { storage: standalone.database, unready: () => standalone.unready() }),
  });
  const app = bareApp().use(health);
  if (standalone) app.use('/standalone', standalone.router, notFound);
  const apps = hosts.includes('apps') ? createHttpApp(deps, routes) : undefined;
  const appsApp = apps && config.appsListener ? bareApp().use(health, apps) : undefined;
  if (apps && !appsApp) app.use(apps);
  app.use(notFound);
  const stopping = () => {
    shuttingDown = true;
  };
  const listener = standalone?.command ? commandFirst(standalone.command, app) : app;
  return { app, listener, ...(appsApp && { appsApp }), deps, ...(standalone && { standalone }), stopping, close: async () => standalone?.close() };
}
