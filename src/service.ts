/**
 * Wires the App from a configuration: the engine, the sealer, the logger and
 * the routes. Tests build it with injected fetch and clock.
 */
import { createHmac } from 'node:crypto';
import type { Config } from './config.js';
import { routes } from './hosts/apps/calls/routes.js';
import type { Deps } from './hosts/apps/calls/deps.js';
import { createHttpApp } from './hosts/apps/http/app.js';
import { createLogger, type Logger } from './log/logger.js';
import { createOAuthEngine } from './oauth/engine.js';
import { createTokenCipher, deriveFlowSecrets } from './oauth/crypto.js';
import { ReportIndex } from './hosts/apps/store/report_index.js';
import { appsSealer } from './hosts/apps/store/sealer.js';
import express from 'express';
import { healthRouter } from './hosts/standalone/db/health.js';
import { startStandaloneHost, type StandaloneHost } from './hosts/standalone/service/host.js';
import { coreSettings } from './core/request.js';

export interface ServiceOverrides {
  fetch?: typeof fetch;
  now?: () => number;
  logger?: Logger;
}

export function createDeps(config: Readonly<Config>, overrides: ServiceOverrides = {}): Deps {
  const secrets = [config.jwtSecret ?? '', ...config.encryptionKeys.map((k) => k.key.toString('base64'))];
  const logger = overrides.logger ?? createLogger({ level: config.logLevel, secrets });
  const doFetch = overrides.fetch ?? fetch;
  const now = overrides.now ?? Date.now;
  const current = config.encryptionKeys.find((k) => k.id === config.currentKeyId);
  if (!current) throw new Error('the current encryption key is missing');
  // The flow key is derived, so the encryption key itself is never used for two purposes.
  const flowKey = createHmac('sha256', current.key).update('oauth2-connect flow secrets').digest();
  const engine = createOAuthEngine({
    fetch: doFetch,
    now,
    httpTimeoutMs: config.httpTimeoutMs,
    revocationTimeoutMs: config.revocationTimeoutMs,
    discoveryTtlMs: config.discoveryTtlMs,
    allowPrivateNetwork: config.allowPrivateNetwork,
  });
  const sealer = appsSealer(createTokenCipher({ keys: config.encryptionKeys, currentKeyId: config.currentKeyId, acceptUnbound: config.acceptUnboundSealed }));
  return {
    config,
    settings: coreSettings(config),
    logger,
    engine,
    sealer,
    flowSecrets: (state) => deriveFlowSecrets(flowKey, state),
    fetch: doFetch,
    now,
    reportIndex: new ReportIndex(logger),
  };
}

export function createService(config: Readonly<Config>, overrides: ServiceOverrides = {}) {
  const deps = createDeps(config, overrides);
  return { deps, app: createHttpApp(deps, routes) };
}

export interface RunningService {
  /** The main listener's app: /healthz, the standalone host, and the Apps host unless it has a listener of its own. */
  app: express.Express;
  /** Present when config.appsListener is set: /healthz and the Apps host, for that listener alone. */
  appsApp?: express.Express;
  deps: Deps;
  /** Present when config.standalone.hosts names it. */
  standalone?: StandaloneHost;
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

/**
 * The whole service: GET /healthz, the standalone host under /standalone
 * (before the Apps host, whose JWT check answers every POST), then the Apps
 * host; each only when config.standalone.hosts names it. With
 * config.appsListener the Apps host is on an app of its own (appsApp), and
 * the main app answers 404 to what is not the standalone host's.
 */
export async function startService(config: Readonly<Config>, overrides: ServiceOverrides = {}): Promise<RunningService> {
  const deps = createDeps(config, overrides);
  const hosts = config.standalone.hosts;
  const standalone = hosts.includes('standalone')
    ? await startStandaloneHost({ config, logger: deps.logger, engine: deps.engine, now: deps.now, fetch: deps.fetch })
    : undefined;
  const health = healthRouter({ hosts, logger: deps.logger, now: deps.now, ...(standalone && { storage: standalone.database }) });
  const app = bareApp().use(health);
  if (standalone) app.use('/standalone', standalone.router, notFound);
  const apps = hosts.includes('apps') ? createHttpApp(deps, routes) : undefined;
  const appsApp = apps && config.appsListener ? bareApp().use(health, apps) : undefined;
  if (apps && !appsApp) app.use(apps);
  app.use(notFound);
  return { app, ...(appsApp && { appsApp }), deps, ...(standalone && { standalone }), close: async () => standalone?.close() };
}
