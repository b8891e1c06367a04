/**
 * Starts the App: load the configuration (a bad value stops here with the
 * variable's name), create the development key if no key is set, listen,
 * and on SIGTERM/SIGINT stop accepting, let in-flight calls finish, and exit
 * within the shutdown timeout.
 */
import type { Server } from 'node:http';
import { ConfigError, loadConfig } from './config.js';
import { withDevelopmentKey } from './development_key.js';
import { startService } from './service.js';

async function start(): Promise<void> {
  let config;
  try {
    config = withDevelopmentKey(loadConfig());
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : `Could not start: ${(err as Error).message}`);
    process.exit(1);
  }
  let service;
  try {
    service = await startService(config);
  } catch (err) {
    console.error(`Could not start: ${(err as Error).message}`);
    process.exit(1);
  }
  const { app, deps } = service;
  for (const warning of config.warnings) deps.logger.warn(`WARNING: ${warning}`);
  const server: Server = app.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    deps.logger.info('listening', {
      url: `http://${config.host}:${port}`,
      manifest: `${config.rootUrl}/manifest.json`,
      use_jwt: config.jwtSecret !== undefined,
      hosts: config.standalone.hosts,
      health: `${config.rootUrl}/healthz`,
    });
  });
  server.on('error', (err) => {
    deps.logger.error('server error', { error: err });
    process.exit(1);
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    deps.logger.info('shutting down', { signal });
    const force = setTimeout(() => {
      deps.logger.warn('shutdown timeout: closing remaining connections');
      server.closeAllConnections();
      process.exit(0);
    }, config.shutdownTimeoutMs);
    force.unref();
    server.close(() => {
      void Promise.allSettled([deps.reportIndex.flush(), service.close()]).finally(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void start();
