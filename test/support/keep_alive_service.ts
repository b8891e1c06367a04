/**
 * The standalone host's parts the keep-alive pass needs, over a scratch
 * database and a real OpenID provider, on a clock the test moves: the
 * repositories, the engine, a bot whose direct messages are recorded, and
 * helpers to register the provider and connect users at it.
 */
import assert from 'node:assert/strict';
import { clientSecretSlot } from '../../src/core/seal_slots.js';
import { toProviderConfig, type StoredProvider } from '../../src/core/provider_records.js';
import { openProvider } from '../../src/core/providers.js';
import { createRepositories, type StandaloneRepositories } from '../../src/hosts/standalone/db/index.js';
import { createStandaloneSealer } from '../../src/hosts/standalone/db/sealer.js';
import type { StandaloneDeps } from '../../src/hosts/standalone/deps.js';
import { runKeepAlivePass, type KeepAliveCounts, type KeepAliveSettings } from '../../src/hosts/standalone/keep_alive/pass.js';
import { createMemoryLogger } from '../../src/log/logger.js';
import { createOAuthEngine } from '@oauth2-connect/engine';
import { issuedConnection, testOidcConfig } from './issued_connection.js';
import type { StartedOidcProvider } from './oidc_provider.js';

export const DAY = 86_400_000;
export const PROVIDER = 'test-oidc';
export const SETTINGS: KeepAliveSettings = { idleMs: 30 * DAY, intervalMs: 60 * 60_000, perMinute: 600 };

/** The service's parts over the scratch database, on a clock the test moves; direct messages are recorded. */
export function serviceOn(database: Parameters<typeof createRepositories>[0], clock: { now: number }, op: StartedOidcProvider) {
  const now = () => clock.now;
  const sealer = createStandaloneSealer({ encryptionKeys: [{ id: 'k1', key: Buffer.alloc(32, 7) }], currentKeyId: 'k1' });
  const repositories: StandaloneRepositories = createRepositories(database, sealer, now);
  const logger = createMemoryLogger({ level: 'info' });
  const dms: Array<{ to: string; message: string }> = [];
  const engine = createOAuthEngine({ fetch, now, httpTimeoutMs: 5000, discoveryTtlMs: 60_000, allowPrivateNetwork: true });
  const deps = {
    settings: { refreshMarginMs: 60_000, rootUrl: 'http://127.0.0.1:9', mattermostUrl: 'http://127.0.0.1:9', httpTimeoutMs: 5000, triggerWindowMs: 30_000 },
    logger,
    now,
    engine,
    sealer,
    providers: repositories.providers,
    connections: repositories.connections,
    bot: { dm: async (to: string, message: string) => void dms.push({ to, message }) },
  } as unknown as StandaloneDeps;
  const sleeps: number[] = [];
  const pass = (settings: KeepAliveSettings = SETTINGS, holder = 'replica-a'): Promise<KeepAliveCounts | undefined> =>
    runKeepAlivePass({
      deps,
      connections: repositories.connections,
      leases: repositories.leases,
      settings,
      holder,
      // Waiting is the clock moving on.
      sleep: async (ms) => {
        sleeps.push(ms);
        clock.now += ms;
      },
      random: Math.random,
    });
  return { op, clock, repositories, deps, logger, dms, sleeps, pass };
}

export type Service = ReturnType<typeof serviceOn>;

export async function addProvider(service: Service): Promise<StoredProvider> {
  const config = { ...testOidcConfig(service.op, PROVIDER), scopes: ['openid', 'profile', 'offline_access'] };
  const bare: StoredProvider = {
    id: PROVIDER,
    display_name: 'Test OIDC',
    preset: 'oidc',
    issuer: service.op.issuer,
    client_id: config.client_id,
    auth: 'client_secret_post',
    scopes: config.scopes,
    created_at: service.clock.now,
    updated_at: service.clock.now,
  };
  const stored = { ...bare, sealed_secret: service.deps.sealer.seal(config.client_secret!, clientSecretSlot(toProviderConfig(bare, undefined))) };
  await service.repositories.providers.save(stored);
  return stored;
}

/** `user` connected now (as the clock says), signed in at the provider as `${user}-op`; its access token lasts a year when `longLived`. */
export async function connect(service: Service, stored: StoredProvider, user: string, options: { longLived?: boolean; noRefresh?: boolean } = {}) {
  const config = openProvider(stored, service.deps);
  const row = await issuedConnection(service.op, config, user, `${user}-op`);
  assert.ok(row.tokens.refresh_token, 'the provider issued a refresh token');
  if (options.longLived) row.tokens.expires_at = service.clock.now + 365 * DAY;
  if (options.noRefresh) delete row.tokens.refresh_token;
  await service.repositories.connections.save(row);
  return row;
}

export const refreshesAt = (op: StartedOidcProvider, user: string) => op.issued.filter((t) => t.grant === 'refresh_token' && t.account === `${user}-op`).length;
export const rowOf = (service: Service, user: string) => service.repositories.connections.get(user, PROVIDER);
