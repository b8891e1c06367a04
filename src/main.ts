/**
 * Starts the App: load the configuration (a bad value stops here with the
 * variable's name), create the development key if no key is set, listen
 * (on a second address too when the Apps host has a listener of its own),
 * and on SIGTERM/SIGINT stop accepting, let in-flight calls finish, and exit
 * within the shutdown timeout.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import { ConfigError, loadConfig } from './config/index.js';
import { defaultRootUrl } from './config/listening.js';
import { withDevelopmentKey } from './config/development_key.js';
import type { Logger } from './log/logger.js';
import { startService } from './service.js';

async function start(): Promise<void> {
  let loaded;
  try {
    loaded = withDevelopmentKey(loadConfig());
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : `Could not start: ${(err as Error).message}`);
    process.exit(1);
  }
  let service;
  try {
    service = await startService(loaded);
  } catch (err) {
    // A ConfigError here is a rule of a host decided at start (the Apps host's secret): its message says what to set.
    console.error(err instanceof ConfigError ? err.message : `Could not start: ${(err as Error).message}`);
    process.exit(1);
  }
  const { listener, appsApp, metricsApp, deps, config } = service;
  for (const warning of config.warnings) deps.logger.warn(`WARNING: ${warning}`);
  const apps = config.appsListener;
  const servers = [
    listen(listener, config.port, config.host, deps.logger, {
      ...(!apps && { manifest: `${config.rootUrl}/manifest.json`, use_jwt: config.jwtSecret !== undefined }),
      hosts: config.hosts.filter((host) => !(apps && host === 'apps')),
      hosts_why: service.hostsWhy,
      health: `${config.rootUrl}/healthz`,
    }),
  ];
  if (appsApp && apps) {
    servers.push(
      listen(appsApp, apps.port, apps.host, deps.logger, {
        manifest: `${apps.rootUrl}/manifest.json`,
        use_jwt: config.jwtSecret !== undefined,
        hosts: ['apps'],
      }),
    );
  }

  if (metricsApp && config.metricsListener) {
    const { host, port } = config.metricsListener;
    servers.push(listen(metricsApp, port, host, deps.logger, { metrics: `${defaultRootUrl(host, port)}/metrics`, bearer: config.metricsToken !== undefined }));
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    service.stopping();
    deps.logger.info('shutting down', { signal });
    const force = setTimeout(() => {
      deps.logger.warn('shutdown timeout: closing remaining connections');
      for (const server of servers) server.closeAllConnections();
      process.exit(0);
    }, config.shutdownTimeoutMs);
    force.unref();
    const closed = servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
    void Promise.all(closed).then(() => Promise.allSettled([deps.reportIndex.flush(), service.close()]).finally(() => process.exit(0)));
    for (const server of servers) server.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** Listens on host:port and logs where; a listening error (port taken) stops the process. */
function listen(app: RequestListener, port: number, host: string, logger: Logger, fields: Record<string, unknown>): Server {
  const server = createServer(app);
  server.listen(port, host, () => {
    const address = server.address();
    const actual = typeof address === 'object' && address ? address.port : port;
    logger.info('listening', { url: defaultRootUrl(host, actual), ...fields });
  });
  server.on('error', (err) => {
    logger.error('server error', { error: err });
    process.exit(1);
  });
  return server;
}

void start();
