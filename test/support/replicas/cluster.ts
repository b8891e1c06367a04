/**
 * N replicas of the built service (dist/main.js) on one PostgreSQL database of
 * their own (or one process on a SQLite file of its own, storage 'sqlite'), behind a round-robin proxy, with the fake Mattermost and a real
 * oidc-provider (rotating refresh tokens). The installation, the team's
 * command token and the provider are seeded through the repositories, as
 * `oauth2-connect setup` and `/oauth2 provider add` would store them; everything a
 * user does then goes through HTTP and the service's own code paths.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRepositories, type StandaloneDatabase, type StandaloneRepositories } from '../../../src/hosts/standalone/db/index.js';
import { createStandaloneSealer } from '../../../src/hosts/standalone/db/sealer.js';
import { clientSecretSlot } from '../../../src/core/seal_slots.js';
import { toProviderConfig, type StoredProvider } from '../../../src/core/provider_records.js';
import { startOidcProvider, type OidcProviderOptions, type StartedOidcProvider } from '../oidc_provider.js';
import { type FakeMattermost, type FakeUser, mmId, startFakeMattermost } from '../standalone/fake_mattermost.js';
import { createScratch, type BackendName, type Scratch } from '../standalone_db.js';
import { commandPlace, installForFake, slashCommandForm } from '../standalone/slash_command.js';
import { connectOverHttp, startConnectOverHttp, type ConnectResult, type ConnectWorld, type PendingComplete } from './connect_over_http.js';
import { freePort, ReplicaProcess } from './replica_process.js';
import { RoundRobinProxy } from './round_robin_proxy.js';

export const PROVIDER_ID = 'test-oidc';

export interface ClusterOptions {
  replicas: number;
  /** Where the replicas keep their data (default postgres; sqlite takes one replica). */
  storage?: BackendName;
  provider?: Omit<OidcProviderOptions, 'redirectUris'>;
  /** APP_DB_POOL_MAX of each replica (each has a queries pool and a locks pool of this size). */
  poolMax?: number;
  /** Extra environment for every replica. */
  env?: Record<string, string>;
  /** Extra node flags for every replica (e.g. --cpu-prof). */
  nodeFlags?: string[];
}

export interface CommandAnswer {
  status: number;
  text: string;
}

export interface Cluster {
  /** The proxy: the address Mattermost and the browsers use (APP_ROOT_URL). */
  url: string;
  proxy: RoundRobinProxy;
  replicas: ReplicaProcess[];
  op: StartedOidcProvider;
  mm: FakeMattermost;
  /** The environment every replica runs with (the storage and the key), e.g. for the command line. */
  env: Record<string, string>;
  /** The test's own view of the database (same keys as the replicas). */
  database: StandaloneDatabase;
  repositories: StandaloneRepositories;
  admin: FakeUser;
  /** The form body Mattermost posts for `/oauth2 <text>` by `user` (for a load generator). */
  commandForm(user: FakeUser, text: string): string;
  /** Posts `/oauth2 <text>` as Mattermost would, to the proxy or to one replica's URL. */
  command(user: FakeUser, text: string, base?: string): Promise<CommandAnswer>;
  /** The whole connect flow over HTTP for `user`, signing in at the provider as `login`. */
  connect(user: FakeUser, login: string): Promise<ConnectResult>;
  /** The connect flow up to the provider's redirect back; complete() it later, at the proxy or at one replica. */
  startConnect(user: FakeUser, login: string): Promise<PendingComplete>;
  close(): Promise<void>;
}

async function seed(repositories: StandaloneRepositories, mm: FakeMattermost, op: StartedOidcProvider, sealer: ReturnType<typeof createStandaloneSealer>) {
  const now = Date.now();
  const { teamId, commandToken } = await installForFake(repositories.installation, mm, now);
  const bare: StoredProvider = {
    id: PROVIDER_ID,
    display_name: 'Test OIDC',
    preset: 'oidc',
    issuer: op.issuer,
    client_id: op.clients.post.client_id,
    auth: 'client_secret_post',
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    created_at: now,
    updated_at: now,
  };
  const secret = op.clients.post.client_secret ?? '';
  await repositories.providers.save({ ...bare, sealed_secret: sealer.seal(secret, clientSecretSlot(toProviderConfig(bare, undefined))) });
  return { teamId, commandToken };
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const scratch: Scratch = await createScratch(options.storage ?? 'postgres');
    cleanups.push(() => scratch.dispose());
    if (scratch.settings.kind === 'sqlite' && options.replicas !== 1) throw new Error('several replicas need PostgreSQL');
    const ports = await Promise.all(Array.from({ length: options.replicas }, () => freePort()));
    const proxy = new RoundRobinProxy(ports);
    await proxy.start();
    cleanups.push(() => proxy.close());
    const mm = await startFakeMattermost(`${proxy.url}/standalone/signin/callback`);
    cleanups.push(() => mm.close());
    const op = await startOidcProvider({ ...options.provider, redirectUris: [`${proxy.url}/standalone/complete/${PROVIDER_ID}`] });
    cleanups.push(() => op.close());

    const key = randomBytes(32);
    const sealer = createStandaloneSealer({ encryptionKeys: [{ id: 'k1', key }], currentKeyId: 'k1' });
    const database = await scratch.open({ migrate: true });
    const repositories = createRepositories(database, sealer);
    const { teamId, commandToken } = await seed(repositories, mm, op, sealer);

    const env: Record<string, string> = {
      APP_HOSTS: 'standalone',
      ...(scratch.settings.kind === 'postgres'
        ? { DATABASE_URL: scratch.settings.url, APP_DB_POOL_MAX: String(options.poolMax ?? 10) }
        : { APP_DATA_DIR: dirname(scratch.settings.file) }),
      APP_ENCRYPTION_KEY: key.toString('base64'),
      APP_ENCRYPTION_KEY_ID: 'k1',
      APP_MATTERMOST_URL: mm.url,
      APP_ROOT_URL: proxy.url,
      APP_ALLOW_PRIVATE_NETWORK: 'true',
      APP_LOG_LEVEL: 'info',
      // The provider, the fake Mattermost and the proxy share the test's one event loop, which 200
      // flows at once keep busy on a shared machine: give them time rather than count a slow answer as a failure.
      APP_HTTP_TIMEOUT_MS: '30000',
      ...options.env,
    };
    const logDir = mkdtempSync(join(tmpdir(), 'replicas-'));
    cleanups.push(async () => rmSync(logDir, { recursive: true, force: true }));
    const replicas = ports.map((port, i) => new ReplicaProcess(`replica ${i}`, port, env, logDir, options.nodeFlags));
    cleanups.push(() => Promise.all(replicas.map((r) => r.kill())));
    // One at a time: each runs the (idempotent) migrations at start.
    for (const replica of replicas) await replica.start();

    const admin = mm.addUser('admin', 'system_user system_admin');
    const channelId = mmId();
    const commandForm = (user: FakeUser, text: string): string =>
      slashCommandForm(commandPlace(mm, { commandToken, teamId, channelId }), user, text).toString();
    const command = async (user: FakeUser, text: string, base = proxy.url): Promise<CommandAnswer> => {
      const res = await fetch(`${base}/standalone/command`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: commandForm(user, text),
      });
      const body = await res.text();
      let text_ = body;
      try {
        text_ = (JSON.parse(body) as { text?: string }).text ?? body;
      } catch {
        // A proxy error is plain text: keep it as it is.
      }
      return { status: res.status, text: text_ };
    };
    const browsing: ConnectWorld = {
      command: (user, text) => command(user, text),
      mmUrl: mm.url,
      issuer: op.issuer,
      completeUrl: `${proxy.url}/standalone/complete/${PROVIDER_ID}`,
      authorize: op.authorize,
    };
    return {
      url: proxy.url,
      proxy,
      replicas,
      op,
      mm,
      env,
      database,
      repositories,
      admin,
      commandForm,
      command,
      connect: (user, login) => connectOverHttp(browsing, user, login, PROVIDER_ID),
      startConnect: (user, login) => startConnectOverHttp(browsing, user, login, PROVIDER_ID),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
