/** An admin request on in-memory stores, and a saved OpenID provider, for the core admin operation tests. */
import { randomBytes } from 'node:crypto';
import type { AdminDeps } from '../../../src/core/admin/provider_secrets.js';
import type { CoreRequest, CoreValues } from '../../../src/core/request.js';
import { STANDALONE_WORDING } from '../../../src/core/info.js';
import { scopedSealer } from '../../../src/core/secret_sealer.js';
import { createMemoryLogger } from '../../../src/log/logger.js';
import { createOAuthEngine } from '../../../packages/engine/src/engine.js';
import { createTestSealer } from '../../support/standalone/bound_sealer.js';
import { MemoryConnections, MemoryProviders } from '../../support/standalone/memory_stores.js';

export const SCOPE = 'test-scope';

export function setup() {
  const providers = new MemoryProviders();
  const connections = new MemoryConnections();
  const deps: AdminDeps = {
    engine: createOAuthEngine({ fetch, now: Date.now, httpTimeoutMs: 1000, discoveryTtlMs: 1000 }),
    sealer: scopedSealer(createTestSealer(randomBytes(32)), SCOPE),
    logger: createMemoryLogger(),
    now: () => 1_800_000_000_000,
  };
  const request = (values: CoreValues, isAdmin = true): CoreRequest => ({
    user: { id: 'u1', isAdmin },
    values,
    providers,
    connections,
    host: {
      connectHint: async (id) => `/oauth2 connect ${id}`,
      redirectUri: (id) => `https://svc.example/complete/${id}`,
      notify: async () => undefined,
      usernames: async (ids) => new Map(ids.map((id) => [id, `name-${id}`])),
      helpWording: STANDALONE_WORDING,
    },
  });
  return { providers, connections, deps, request };
}

export const OIDC = {
  id: 'idp',
  display_name: 'IdP',
  preset: 'oidc' as const,
  issuer: 'https://idp.example',
  client_id: 'client-123456789',
  token_endpoint_auth_method: 'client_secret_post' as const,
  client_secret: 'sekret-value-1',
  scopes: ['openid'],
};
