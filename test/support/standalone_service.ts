/**
 * The real standalone service (startService: SQL storage on a scratch SQLite
 * file or PostgreSQL database, the bound sealer, the router with every
 * subcommand) listening on 127.0.0.1 for tests. The listener comes first: its
 * URL is the service's root, which the Mattermost it talks to may need to know
 * (the fake's OAuth app callback) before the service starts.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { createMemoryLogger } from '../../src/log/logger.js';
import { startService, type RunningService } from '../../src/service.js';
import { createScratch, type BackendName, type Scratch } from './standalone_db.js';

export interface ListeningService {
  service: RunningService;
  /** APP_ROOT_URL: http://127.0.0.1:<port>. */
  root: string;
  /** The service's log lines (memory logger). */
  logs: string[];
  /** APP_ENCRYPTION_KEY, which no log line may hold. */
  encryptionKey: string;
  /** Where its storage is (a replica of it shares it). */
  database: Scratch['settings'];
  /** APP_METRICS_TOKEN: GET /metrics answers a request that carries it (and no log line may hold it). */
  metricsToken: string;
  /** Closes the listener (Mattermost's calls then fail as with a service that is down); `listen` opens it again on the same port. */
  stopListening(): Promise<void>;
  listen(): Promise<void>;
  /** Stops the service and drops its database. */
  close(): Promise<void>;
}

export interface ListeningServiceOptions {
  storage: BackendName;
  /** The Mattermost Site URL, given the service's root. */
  mattermostUrl(root: string): string | Promise<string>;
  /** The service's clock (default Date.now). */
  now?: () => number;
  /** Another replica of a running service: its database (not dropped at close) and encryption key. */
  replicaOf?: Pick<ListeningService, 'database' | 'encryptionKey'>;
  /** More settings, e.g. APP_MATTERMOST_SOURCES. */
  env?: Record<string, string>;
}

export async function startListeningService(options: ListeningServiceOptions): Promise<ListeningService> {
  const scratch: Pick<Scratch, 'settings' | 'dispose'> = options.replicaOf
    ? { settings: options.replicaOf.database, dispose: async () => undefined }
    : await createScratch(options.storage);
  const mounted: { service?: RunningService } = {};
  const http = createServer((req, res) => mounted.service?.listener(req, res));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  const root = `http://127.0.0.1:${port}`;
  const stopListening = () =>
    new Promise<void>((resolve) => {
      http.closeAllConnections();
      http.close(() => resolve());
    });
  try {
    const encryptionKey = options.replicaOf?.encryptionKey ?? randomBytes(32).toString('base64');
    const metricsToken = randomBytes(32).toString('base64url');
    const env: Record<string, string> = {
      APP_ROOT_URL: root,
      APP_MATTERMOST_URL: await options.mattermostUrl(root),
      APP_ENCRYPTION_KEY: encryptionKey,
      APP_METRICS_TOKEN: metricsToken,
      APP_ALLOW_PRIVATE_NETWORK: 'true',
      // Shorter than the default, so a scenario can wait a trigger out.
      APP_TRIGGER_WINDOW_MS: '10000',
      APP_HOSTS: 'standalone',
      ...(scratch.settings.kind === 'postgres' ? { DATABASE_URL: scratch.settings.url } : { APP_DATA_DIR: dirname(scratch.settings.file) }),
      ...options.env,
    };
    const logger = createMemoryLogger();
    const service = await startService(loadConfig(env), { logger, ...(options.now && { now: options.now }) });
    mounted.service = service;
    return {
      service,
      root,
      logs: logger.lines,
      encryptionKey,
      database: scratch.settings,
      metricsToken,
      stopListening,
      listen: () => new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve)),
      async close() {
        if (http.listening) await stopListening();
        await service.close();
        await scratch.dispose();
      },
    };
  } catch (err) {
    await stopListening();
    await mounted.service?.close();
    await scratch.dispose();
    throw err;
  }
}
