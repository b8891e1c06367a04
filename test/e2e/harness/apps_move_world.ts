// A real Mattermost with the real Apps plugin, of one test file's own, for the
// move from the Apps host to the standalone host: an admin, a team, the App
// installed from a service with both hosts on a scratch SQLite storage, that
// storage set up by `oauth2-connect setup`, and a test provider registered on
// the Apps host. `start(hosts)` starts the service on the same storage, key and
// address again (a restart, or the standalone host alone after the upgrade).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { loadConfig } from '../../../src/config/index.js';
import { completeUrl } from '../../../src/hosts/standalone/providers.js';
import { runSetup } from '../../../src/hosts/standalone/setup/setup.js';
import { createMemoryLogger } from '../../../src/log/logger.js';
import { startService, type RunningService } from '../../../src/service.js';
import { RealBackend } from '../../scenarios/backends/real.js';
import { registerTestProvider } from '../../scenarios/steps.js';
import type { World } from '../../scenarios/world.js';
import { startOidcProvider, type StartedOidcProvider } from '../../support/oidc_provider.js';
import { providerRedirects, TEST_PROVIDER_IDS } from '../../support/redirects.js';
import { createScratch, type Scratch } from '../../support/standalone_db.js';
import { ensureBuilt } from './build.js';
import * as mm from './mm_api.js';
import { startMattermost, type MattermostServer } from './servers.js';

export interface AppsMoveWorld {
  server: MattermostServer;
  admin: mm.Session;
  backend: RealBackend;
  provider: StartedOidcProvider;
  /** For the Apps steps (test/scenarios/steps.ts). */
  world: World;
  teamId: string;
  channelId: string;
  /** APP_ROOT_URL, the same across restarts. */
  root: string;
  key: string;
  jwtSecret: string;
  logger: ReturnType<typeof createMemoryLogger>;
  service(): RunningService;
  /** Stops the running service and starts it again with `hosts` on the same storage. */
  restart(hosts: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * `name` names the server's database; `intercept` answers a request to the service's address first
 * when it returns true (a test serving an earlier manifest, say).
 */
export async function startAppsMoveWorld(name: string, intercept?: (req: IncomingMessage, res: ServerResponse) => boolean): Promise<AppsMoveWorld> {
  const built = await ensureBuilt();
  const server = await startMattermost(built, name);
  await mm.createUser(server.directUrl, 'admin');
  const admin = await mm.login(server.directUrl, 'admin');
  await mm.ensureRolePermission(admin.client, 'system_admin', 'manage_oauth');
  const team = await mm.createTeam(admin.client, name);
  const channelId = (await admin.client.json<{ id: string }>('GET', `/api/v4/teams/${team.id}/channels/name/town-square`)).id;
  await mm.waitPluginActive(admin.client, await mm.uploadAndEnablePlugin(admin.client, built.appsPluginBundle));
  const backend = await RealBackend.on({ siteUrl: server.url, directUrl: server.directUrl, adminUsername: 'admin', teamId: team.id, channelId });

  const scratch: Scratch = await createScratch('sqlite');
  const mounted: { service?: RunningService } = {};
  const http = createServer((req, res) => {
    if (!intercept?.(req, res)) mounted.service?.app(req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const root = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const appsComplete = `${server.url}/plugins/com.mattermost.apps/apps/oauth2-connect/oauth2/remote/complete`;
  const provider = await startOidcProvider({ redirectUris: [...providerRedirects(appsComplete), ...TEST_PROVIDER_IDS.map((id) => completeUrl(root, id))] });
  const key = randomBytes(32).toString('base64');
  const jwtSecret = randomBytes(32).toString('base64url');
  const logger = createMemoryLogger({ secrets: [key, jwtSecret] });
  const start = (hosts: string) =>
    startService(
      loadConfig({
        APP_HOSTS: hosts,
        APP_ROOT_URL: root,
        APP_MATTERMOST_URL: server.url,
        APP_ENCRYPTION_KEY: key,
        APP_JWT_SECRET: jwtSecret,
        APP_ALLOW_PRIVATE_NETWORK: 'true',
        APP_DATA_DIR: dirname((scratch.settings as { file: string }).file),
      }),
      { logger },
    );
  mounted.service = await start('apps,standalone');
  await backend.installApp(`${root}/manifest.json`, jwtSecret);
  const setup = await runSetup({
    adminToken: admin.token,
    mattermostUrl: server.url,
    rootUrl: root,
    store: mounted.service.standalone!.repositories.installation,
    mode: 'apply',
  });
  assert.deepEqual(setup.problems, [], setup.format());
  const world = { backend, provider, completeUrl: appsComplete } as unknown as World;
  assert.equal((await registerTestProvider(world)).type, 'ok');

  return {
    server,
    admin,
    backend,
    provider,
    world,
    teamId: team.id,
    channelId,
    root,
    key,
    jwtSecret,
    logger,
    service: () => mounted.service!,
    async restart(hosts) {
      const before = mounted.service!;
      delete mounted.service;
      await before.close();
      mounted.service = await start(hosts);
    },
    async close() {
      await mounted.service?.close();
      http.closeAllConnections();
      http.close();
      await provider.close();
      await scratch.dispose();
      await server.stop();
    },
  };
}
