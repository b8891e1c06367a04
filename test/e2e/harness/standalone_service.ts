// The real standalone service (startService: SQL storage, the bound sealer, the
// router) for a standalone world, on SQLite or PostgreSQL (a scratch database
// each), listening on 127.0.0.1, with `npm run setup` applied with the admin's
// token: /oauth2 in every team, the bot, Sign in with Mattermost.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { loadConfig } from '../../../src/config.js';
import { createMemoryLogger } from '../../../src/log/logger.js';
import { startService, type RunningService } from '../../../src/service.js';
import { runSetup } from '../../../src/hosts/standalone/setup/setup.js';
import { createScratch, type BackendName } from '../../support/standalone_db.js';
import type { StandaloneWorld } from './standalone_world.js';

export interface StandaloneService {
  service: RunningService;
  /** APP_ROOT_URL: http://127.0.0.1:<port>. */
  root: string;
  /** Closes the listener (Mattermost's calls then fail as with a service that is down); `listen` opens it again on the same port. */
  stopListening(): Promise<void>;
  listen(): Promise<void>;
  /** Runs setup --remove, stops the service and drops its database. */
  close(): Promise<void>;
}

export async function startStandaloneService(w: StandaloneWorld, backend: BackendName): Promise<StandaloneService> {
  const scratch = await createScratch(backend);
  const mounted: { service?: RunningService } = {};
  const http = createServer((req, res) => mounted.service?.app(req, res));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  const root = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    APP_ROOT_URL: root,
    APP_MATTERMOST_URL: w.server.url,
    APP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    APP_ALLOW_PRIVATE_NETWORK: 'true',
    APP_HOSTS: 'standalone',
    ...(scratch.settings.kind === 'postgres' ? { DATABASE_URL: scratch.settings.url } : { APP_DATA_DIR: dirname(scratch.settings.file) }),
  };
  const stopListening = () =>
    new Promise<void>((resolve) => {
      http.closeAllConnections();
      http.close(() => resolve());
    });
  const setup = (service: RunningService, mode: 'apply' | 'remove') =>
    runSetup({ adminToken: w.admin.token, mattermostUrl: w.server.url, rootUrl: root, store: service.standalone!.repositories.installation, mode });
  try {
    const service = await startService(loadConfig(env), { logger: createMemoryLogger() });
    mounted.service = service;
    const report = await setup(service, 'apply');
    assert.deepEqual(report.problems, [], report.format());
    return {
      service,
      root,
      stopListening,
      listen: () => new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve)),
      async close() {
        await setup(service, 'remove').catch(() => undefined);
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
