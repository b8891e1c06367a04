/**
 * The standalone host's HTTP side on 127.0.0.1 for tests: the router mounted
 * under /standalone in an express app, the in-memory stores, the real OAuth
 * engine, the bot facade pointed at the fake Mattermost, and helpers to post
 * commands and dialog submissions as Mattermost would.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createMemoryLogger } from '../../../src/log/logger.js';
import { createMattermostBot } from '../../../src/hosts/standalone/bot.js';
import { createOAuthEngine } from '../../../packages/engine/src/engine.js';
import { deriveFlowSecrets } from '../../../packages/engine/src/crypto.js';
import { type StandaloneDeps, standaloneKeys } from '../../../src/hosts/standalone/deps.js';
import { createServiceTables, createStandaloneRouter, type StandaloneTables } from '../../../src/hosts/standalone/http/router.js';
import type { StoredProvider } from '../../../src/core/provider_records.js';
import { toProviderConfig } from '../../../src/core/provider_records.js';
import { standaloneSealer } from '../../../src/hosts/standalone/db/sealer.js';
import { clientSecretSlot } from '../../../src/core/seal_slots.js';
import { createTestSealer } from './bound_sealer.js';
import { type FakeMattermost, type FakeUser, mmId, startFakeMattermost } from './fake_mattermost.js';
import { createMemoryStores, type MemoryStores } from './memory_stores.js';
import type { StartedOidcProvider } from '../oidc_provider.js';
import { commandPlace, installForFake, slashCommandForm } from './slash_command.js';
import { createSigningKeySource } from '../../../src/hosts/standalone/trigger/signing_key.js';
import { rateLimitedWarn } from '../../../src/log/rate_limited.js';
import { createAdminView } from '../../../src/hosts/standalone/admin/admin_view.js';
import type { TokenClientStore } from '../../../src/core/token_api/types.js';
import { createTokenApi } from '../../../src/hosts/standalone/token_api/token_api.js';
import { createAuditTrail, type AuditStore } from '../../../src/core/audit.js';

export interface StandaloneWorld {
  rootUrl: string;
  mm: FakeMattermost;
  stores: MemoryStores;
  deps: StandaloneDeps;
  logs: string[];
  teamId: string;
  commandToken: string;
  /** The key the sealer and the dialog and flow keys come from (for secret scans). */
  encryptionKey: Buffer;
  clock: { offsetMs: number };
  addProvider(provider: Omit<StoredProvider, 'sealed_secret' | 'created_at' | 'updated_at'>, secret?: string): Promise<void>;
  command(user: FakeUser, text: string, overrides?: Record<string, string | undefined>): Promise<Response>;
  submitDialog(body: Record<string, unknown>): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/** The "Test OIDC" provider on the test OpenID provider's client_secret_post client, as several tests register it. */
export function addTestOidcProvider(world: Pick<StandaloneWorld, 'addProvider'>, op: StartedOidcProvider, id = 'test-oidc'): Promise<void> {
  const { client_id, client_secret } = op.clients.post;
  return world.addProvider(
    { id, display_name: 'Test OIDC', preset: 'oidc', issuer: op.issuer, client_id, auth: 'client_secret_post', scopes: ['openid', 'profile', 'email'] },
    client_secret,
  );
}

/**
 * `tokenClients`: the token API's clients and grants (a real database's); without it the world serves no token API.
 * `audit`: where the audit trail's entries go; without it the world records none.
 */
export async function startStandaloneWorld(
  options: { tables?: StandaloneTables; tokenClients?: TokenClientStore; audit?: AuditStore; mattermostSources?: string[] } = {},
): Promise<StandaloneWorld> {
  // The server listens first (its URL goes into deps); the express app is attached once built.
  const mounted: { app?: express.Express } = {};
  const server: Server = createServer((req, res) => mounted.app?.(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const rootUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const mm = await startFakeMattermost(`${rootUrl}/standalone/signin/callback`);
  const stores = createMemoryStores();
  const key = randomBytes(32);
  const { dialogKey, flowKey, consentKey } = standaloneKeys(key);
  const logger = createMemoryLogger();
  const clock = { offsetMs: 0 };
  const now = () => Date.now() + clock.offsetMs;
  // Under the host's seal scope, as the service seals.
  const sealer = standaloneSealer(createTestSealer(key));
  const bot = createMattermostBot({ siteUrl: mm.url, installation: stores.installation, timeoutMs: 5000 });
  const deps: StandaloneDeps = {
    settings: {
      rootUrl,
      mattermostUrl: mm.url,
      httpTimeoutMs: 5000,
      triggerWindowMs: 10_000,
      mattermostSources: options.mattermostSources ?? [],
      refreshMarginMs: 60_000,
    },
    logger,
    now,
    sealer,
    dialogKey,
    // The test provider and the fake Mattermost listen on 127.0.0.1.
    engine: createOAuthEngine({ fetch, now, httpTimeoutMs: 5000, discoveryTtlMs: 60_000, allowPrivateNetwork: true }),
    mattermostEngine: createOAuthEngine({ fetch, now, httpTimeoutMs: 5000, discoveryTtlMs: 60_000, allowPrivateNetwork: true }),
    flowSecrets: (state) => deriveFlowSecrets(flowKey, state),
    ...stores,
    bot,
    adminView: createAdminView({ bot, logger, now }),
    fetch,
    signingKey: createSigningKeySource({
      mattermostUrl: mm.url,
      fetch,
      timeoutMs: 5000,
      now,
      onFailure: (reason) => logger.warn('signing key', { reason }),
    }),
    wallClock: Date.now,
    refusalLog: rateLimitedWarn(logger, Date.now),
    ...(options.tokenClients && { tokenApi: createTokenApi(options.tokenClients, consentKey, logger, now) }),
    ...(options.audit && { audit: createAuditTrail({ logger, now, store: options.audit }) }),
  };
  const app = express();
  app.use('/standalone', createStandaloneRouter(deps, options.tables ?? createServiceTables()));
  mounted.app = app;
  const { teamId, commandToken } = await installForFake(stores.installation, mm, now());
  const channelId = mmId();

  return {
    rootUrl,
    mm,
    stores,
    deps,
    logs: logger.lines,
    teamId,
    commandToken,
    encryptionKey: key,
    clock,
    async addProvider(provider, secret) {
      const bare = { ...provider, created_at: now(), updated_at: now() };
      const sealed = secret === undefined ? undefined : sealer.seal(secret, clientSecretSlot(toProviderConfig(bare, undefined)));
      await stores.providers.save(sealed === undefined ? bare : { ...bare, sealed_secret: sealed });
    },
    command(user, text, overrides = {}) {
      const form = slashCommandForm(commandPlace(mm, { commandToken, teamId, channelId }), user, text, overrides);
      return fetch(`${rootUrl}/standalone/command`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    },
    async submitDialog(body) {
      const response = await fetch(`${rootUrl}/standalone/dialog`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (response.status !== 200) throw new Error(`dialog answered HTTP ${response.status}`);
      return (await response.json()) as Record<string, unknown>;
    },
    async close() {
      await mm.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
