/** Starts the App in-process on 127.0.0.1 with a test configuration and a log capture. */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, type Config } from '../../src/config/index.js';
import { createMemoryLogger } from '../../src/log/logger.js';
import { createService, type ServiceOverrides } from '../../src/service.js';
import type { Deps } from '../../src/hosts/apps/calls/deps.js';

export interface RunningApp {
  url: string;
  config: Readonly<Config>;
  deps: Deps;
  /** Every log line the App wrote. */
  logs: string[];
  /** The secrets of this run, to check that no log line contains them. */
  secrets: string[];
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export async function startApp(env: Record<string, string> = {}, overrides: ServiceOverrides = {}): Promise<RunningApp> {
  const port = await freePort();
  const jwtSecret = env.APP_JWT_SECRET ?? randomBytes(32).toString('base64url');
  const key = randomBytes(32).toString('base64');
  const config = loadConfig({
    PORT: String(port),
    HOST: '127.0.0.1',
    APP_JWT_SECRET: jwtSecret,
    APP_ENCRYPTION_KEY: key,
    APP_LOG_LEVEL: 'debug',
    APP_ALLOW_PRIVATE_NETWORK: 'true',
    ...env,
  });
  const logger = createMemoryLogger({ secrets: [jwtSecret, key] });
  // What a server of the Apps host listens with: its calls answered ahead of express, the rest by the app.
  const { listener, deps } = createService(config, { logger, ...overrides });
  const server: Server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    config,
    deps,
    logs: logger.lines,
    secrets: [jwtSecret, key],
    close: async () => {
      await deps.reportIndex.flush();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
