/**
 * whoami on a storage that reads the providers and the user's rows together
 * (ConnectionRepository.withProviders): a fresh token from that read is used
 * as it is, with no lock and no second read; anything that may need a refresh
 * (near expiry, a refused token) or that must not reach the provider (a moved
 * provider) goes through the lock and the read inside it, as before.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../src/config/index.js';
import { UserFacingError } from '../../../src/core/errors.js';
import { STANDALONE_WORDING } from '../../../src/core/info.js';
import type { UserConnections } from '../../../src/core/ports.js';
import type { StoredProvider } from '../../../src/core/provider_records.js';
import { coreSettings, type CoreDeps, type CoreRequest } from '../../../src/core/request.js';
import { whoami } from '../../../src/core/whoami.js';
import { createMemoryLogger } from '../../../src/log/logger.js';
import { OAuthError } from '../../../packages/engine/src/errors.js';
import type { OAuthEngine, TokenSet } from '../../../packages/engine/src/types.js';
import { MemoryConnections, MemoryProviders } from '../../support/standalone/memory_stores.js';

const NOW = 1_800_000_000_000;
const ISSUER = 'https://idp.example.com';
const provider: StoredProvider = {
  id: 'idp',
  display_name: 'IdP',
  preset: 'oidc',
  issuer: ISSUER,
  client_id: 'c',
  auth: 'none',
  scopes: ['openid'],
  created_at: 1,
  updated_at: 1,
};
const tokens = (access: string, expiresAt: number): TokenSet => ({
  access_token: access,
  refresh_token: 'r',
  token_type: 'Bearer',
  expires_at: expiresAt,
  obtained_at: 1,
});

/** Memory rows read the way the SQL storage reads them, counting what whoami does with them. */
class ViewedConnections extends MemoryConnections {
  readonly seen = { views: 0, gets: 0, locks: 0 };
  constructor(private readonly providers: MemoryProviders) {
    super();
  }
  async withProviders(userId: string): Promise<UserConnections> {
    this.seen.views += 1;
    const rows = [...this.rows.values()].filter((r) => r.user_id === userId).map((r) => structuredClone(r));
    const connections = Object.fromEntries(rows.map((r) => [r.provider_id, r.connection]));
    return { providers: await this.providers.list(), connections, opened: async (id) => rows.find((r) => r.provider_id === id) };
  }
  override async get(userId: string, providerId: string) {
    this.seen.gets += 1;
    return super.get(userId, providerId);
  }
  override withLock<T>(userId: string, providerId: string, fn: () => Promise<T>): Promise<T> {
    this.seen.locks += 1;
    return super.withLock(userId, providerId, fn);
  }
}

async function world(stored: TokenSet, options: { origin?: string; refused?: string[] } = {}) {
  const calls: string[] = [];
  const engine = {
    account: async (_c: unknown, t: TokenSet) => {
      calls.push(`account ${t.access_token}`);
      if (options.refused?.includes(t.access_token)) throw new OAuthError('invalid_grant', 'token refused');
      return { sub: 'alice-sub', label: 'alice', profile: {} };
    },
    refresh: async () => {
      calls.push('refresh');
      return tokens('at-new', NOW + 3_600_000);
    },
  } as unknown as OAuthEngine;
  const providers = new MemoryProviders();
  await providers.save(provider);
  const connections = new ViewedConnections(providers);
  await connections.save({
    user_id: 'alice',
    provider_id: 'idp',
    connection: { label: 'alice', sub: 'alice-sub', since: 1 },
    tokens: stored,
    origin: options.origin ?? ISSUER,
  });
  const req: CoreRequest = {
    user: { id: 'alice', isAdmin: false },
    values: {},
    providers,
    connections,
    host: {
      connectHint: async (id) => `[Reconnect](https://svc/connect/${id})`,
      redirectUri: () => undefined,
      notify: async () => undefined,
      usernames: async () => new Map(),
      helpWording: STANDALONE_WORDING,
    },
  };
  const deps: CoreDeps = {
    settings: coreSettings(loadConfig({})),
    logger: createMemoryLogger(),
    engine,
    sealer: { seal: (s) => s, open: (s) => ({ plaintext: s, stale: false }) },
    now: () => NOW,
  };
  return { req, deps, calls, connections };
}

describe('whoami with the rows read with the view', () => {
  it('when the token read with the view is fresh, then it is used as read: one read, no lock', async () => {
    const w = await world(tokens('at-1', NOW + 3_600_000));
    assert.match((await whoami(w.req, w.deps)).text ?? '', /you are \*\*alice\*\*/);
    assert.deepEqual(w.calls, ['account at-1']);
    assert.deepEqual(w.connections.seen, { views: 1, gets: 0, locks: 0 });
  });

  it('when the token read with the view expires within the margin, then it is read again inside the lock and refreshed there once', async () => {
    const w = await world(tokens('at-1', NOW + 1000));
    assert.match((await whoami(w.req, w.deps)).text ?? '', /you are \*\*alice\*\*/);
    assert.deepEqual(w.calls, ['refresh', 'account at-new']);
    assert.equal(w.connections.seen.locks, 1);
    assert.ok(w.connections.seen.gets >= 1, 'read inside the lock');
    assert.equal((await w.connections.get('alice', 'idp'))?.tokens.access_token, 'at-new');
  });

  it('when the provider refuses the fresh token, then the retry refreshes inside the lock rather than reuse what the view read', async () => {
    const w = await world(tokens('at-1', NOW + 3_600_000), { refused: ['at-1'] });
    assert.match((await whoami(w.req, w.deps)).text ?? '', /you are \*\*alice\*\*/);
    assert.deepEqual(w.calls, ['account at-1', 'refresh', 'account at-new']);
    assert.equal(w.connections.seen.locks, 1);
  });

  it('when the row was issued where the provider no longer is, then the fresh token reaches nothing and the connection is marked broken', async () => {
    const w = await world(tokens('at-1', NOW + 3_600_000), { origin: 'https://old-idp.example.com' });
    await assert.rejects(whoami(w.req, w.deps), (err: unknown) => err instanceof UserFacingError && /does not belong here/.test(err.message));
    assert.deepEqual(w.calls, []);
    assert.match((await w.connections.summaries('alice')).idp?.broken ?? '', /does not belong here/);
  });
});
