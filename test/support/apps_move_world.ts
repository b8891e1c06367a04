/**
 * The upgrade from Mattermost v11 (Apps plugin) to v12 in one test: a service
 * with both hosts (APP_HOSTS=apps,standalone) behind the fake Apps plugin, on
 * a scratch SQLite file or PostgreSQL database, with the standalone host set
 * up (as `npx oauth2-connect setup` leaves it) against a fake Mattermost
 * without the Apps plugin. `upgrade()` then stops that service and starts the
 * standalone host alone on the same storage, key and address, as after the
 * upgrade. Users exist on both fakes with the same ids (one Mattermost).
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { completeUrl } from '../../src/hosts/standalone/providers.js';
import { createMemoryLogger } from '../../src/log/logger.js';
import { startService, type RunningService } from '../../src/service.js';
import { FakeBackend } from '../scenarios/backends/fake.js';
import type { ScenarioUser } from '../scenarios/backend.js';
import { FakeStandaloneMattermost } from '../scenarios/hosts/standalone_fake.js';
import type { World } from '../scenarios/world.js';
import { startOidcProvider, type StartedOidcProvider } from './oidc_provider.js';
import { providerRedirects, TEST_PROVIDER_IDS } from './redirects.js';
import { createScratch, type BackendName, type Scratch } from './standalone_db.js';

export interface MoveWorld {
  /** The Apps side: the fake Apps plugin and its users. */
  apps: FakeBackend;
  /** The Mattermost the standalone host talks to (the same server after the upgrade). */
  mm: FakeStandaloneMattermost;
  provider: StartedOidcProvider;
  /** APP_ROOT_URL, the same before and after the upgrade. */
  root: string;
  jwtSecret: string;
  /** The running service: both hosts until upgrade(), then the standalone host alone. */
  service(): RunningService;
  logs: string[];
  secrets(): string[];
  clock: { offsetMs: number };
  /** For the Apps steps (test/scenarios/steps.ts). */
  appsWorld: World;
  scratch: Scratch;
  /** Every request the fake Apps plugin's server received (users' and the App's), as `METHOD path`, in order. */
  pluginRequests: string[];
  /** While set, the fake Apps plugin's server answers GET /api/v4/users/me with a 500 (Mattermost failing). */
  faults: { me: boolean };
  /** Stops the service and starts it again with both hosts on the same storage (a restart, or a redeploy). */
  restart(): Promise<void>;
  /** A user on both fakes with one id. */
  createUser(prefix: string): Promise<ScenarioUser>;
  upgrade(): Promise<void>;
  close(): Promise<void>;
}

export async function startMoveWorld(storage: BackendName): Promise<MoveWorld> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const scratch = await createScratch(storage);
    cleanups.push(() => scratch.dispose());
    const mounted: { service?: RunningService } = {};
    const http = createServer((req, res) => mounted.service?.app(req, res));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => (http.closeAllConnections(), http.close(() => resolve()))));
    const root = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const pluginRequests: string[] = [];
    const faults = { me: false };
    const apps = await FakeBackend.start({
      extraRoutes: (app) =>
        app.use((req, res, next) => {
          pluginRequests.push(`${req.method} ${req.path}`);
          if (faults.me && req.path === '/api/v4/users/me') return void res.status(500).json({ message: 'unavailable' });
          next();
        }),
    });
    cleanups.push(() => apps.close());
    const mm = await FakeStandaloneMattermost.start(root);
    cleanups.push(() => mm.close());
    const appsComplete = `${apps.siteUrl}/plugins/com.mattermost.apps/apps/oauth2-connect/oauth2/remote/complete`;
    const provider = await startOidcProvider({ redirectUris: [...providerRedirects(appsComplete), ...TEST_PROVIDER_IDS.map((id) => completeUrl(root, id))] });
    cleanups.push(() => provider.close());

    const key = randomBytes(32).toString('base64');
    const jwtSecret = randomBytes(32).toString('base64url');
    const logger = createMemoryLogger({ secrets: [key, jwtSecret] });
    const clock = { offsetMs: 0 };
    const storageEnv: Record<string, string> =
      scratch.settings.kind === 'postgres' ? { DATABASE_URL: scratch.settings.url } : { APP_DATA_DIR: dirname(scratch.settings.file) };
    const start = (hosts: string, mattermostUrl: string) =>
      startService(
        loadConfig({
          APP_HOSTS: hosts,
          APP_ROOT_URL: root,
          APP_MATTERMOST_URL: mattermostUrl,
          APP_ENCRYPTION_KEY: key,
          APP_JWT_SECRET: jwtSecret,
          APP_ALLOW_PRIVATE_NETWORK: 'true',
          APP_LOG_LEVEL: 'debug',
          ...storageEnv,
        }),
        { logger, now: () => Date.now() + clock.offsetMs },
      );
    mounted.service = await start('apps,standalone', apps.siteUrl);
    cleanups.push(() => mounted.service!.close());
    await apps.installApp(`${root}/manifest.json`, jwtSecret);
    await mm.install(mounted.service, root);

    return {
      apps,
      mm,
      provider,
      root,
      jwtSecret,
      service: () => mounted.service!,
      logs: logger.lines,
      secrets: () => [key, jwtSecret, ...mm.secrets, ...Object.values(provider.clients).flatMap((c) => c.client_secret ?? [])],
      clock,
      appsWorld: { backend: apps, provider, completeUrl: appsComplete } as unknown as World,
      scratch,
      pluginRequests,
      faults,
      async restart() {
        const before = mounted.service!;
        delete mounted.service;
        await before.close();
        mounted.service = await start('apps,standalone', apps.siteUrl);
      },
      async createUser(prefix) {
        const user = await apps.createUser(`${prefix}${Date.now() % 100000}`);
        mm.fake.users.set(user.id, { id: user.id, username: user.username, roles: 'system_user' });
        return user;
      },
      async upgrade() {
        const before = mounted.service!;
        delete mounted.service;
        await before.close();
        mounted.service = await start('standalone', mm.url);
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
