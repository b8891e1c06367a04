/**
 * A disconnect ends the user's grants to integrations at that provider, each
 * with a `grant.revoke` audit entry, on SQLite and PostgreSQL. The grants
 * audited are the ones the delete removed: a consent given just before the
 * delete (after anything the disconnect read) is audited too, and a grant at
 * another provider is neither ended nor audited.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { createAuditTrail } from '../../../src/core/audit.js';
import { credentialHash, newCredential } from '../../../src/core/token_api/credential.js';
import type { DeletedConnection } from '../../../src/core/ports.js';
import { disconnect } from '../../../src/core/disconnect.js';
import { STANDALONE_WORDING } from '../../../src/core/info.js';
import type { StoredProvider } from '../../../src/core/provider_records.js';
import type { CoreDeps, CoreRequest } from '../../../src/core/request.js';
import { SqlAuditStore } from '../../../src/hosts/standalone/db/audit_store.js';
import { SqlConnectionRepository } from '../../../src/hosts/standalone/db/connection_repository.js';
import { SqlProviderRepository } from '../../../src/hosts/standalone/db/provider_repository.js';
import { SqlTokenClientStore } from '../../../src/hosts/standalone/db/token_client_repository.js';
import { createMemoryLogger } from '../../../src/log/logger.js';
import type { OAuthEngine } from '../../../packages/engine/src/types.js';
import { onEachBackend, testSealer } from '../../support/standalone_db.js';

const NOW = 1_780_000_000_000;

const provider = (id: string): StoredProvider => ({
  id,
  display_name: id,
  preset: 'oidc',
  issuer: `https://${id}.example`,
  client_id: 'c',
  auth: 'none',
  scopes: ['openid'],
  created_at: NOW,
  updated_at: NOW,
});

/** The SQL repository, with a step run just before its delete: a consent click landing at that moment. */
class ConsentBeforeDelete extends SqlConnectionRepository {
  beforeDelete: (() => Promise<void>) | undefined;
  override async delete(userId: string, providerId: string): Promise<DeletedConnection> {
    await this.beforeDelete?.();
    return super.delete(userId, providerId);
  }
}

onEachBackend('a disconnect ends the grants with audit entries', ({ database }) => {
  const db = () => database().db;
  const sealer = testSealer();
  const logger = createMemoryLogger();
  const engine = { revoke: async () => ({ supported: true, revoked: true }) } as unknown as OAuthEngine;
  const deps = (): CoreDeps => ({
    settings: { refreshMarginMs: 60_000 },
    logger,
    engine,
    sealer,
    now: () => NOW,
    audit: createAuditTrail({ logger, now: () => NOW, store: new SqlAuditStore(db()) }),
  });
  const grants = () => new SqlTokenClientStore(db());
  const grant = (userId: string, clientId: string, providerId = 'idp') =>
    grants().grant({ user_id: userId, client_id: clientId, provider_id: providerId, scopes: ['openid'], granted_at: NOW });

  /** The user connected at both providers (the clients they grant registered), their repository and request. */
  async function connected(userId: string) {
    const providers = new SqlProviderRepository(db());
    const connections = new ConsentBeforeDelete(db(), sealer, { providers });
    // A grant is stored only to a client that exists (create answers false for one already there).
    for (const id of ['bot', 'other', 'late'])
      await grants().create(
        { id, name: id, providers: ['idp', 'second'], scopes: [], sources: [], rate_per_minute: 60, created_by: 'admin', created_at: NOW, credential_at: NOW },
        credentialHash(newCredential()),
      );
    for (const id of ['idp', 'second']) {
      await providers.save(provider(id));
      const tokens = { access_token: `at-${userId}-${id}`, token_type: 'bearer', obtained_at: NOW };
      await connections.save({
        user_id: userId,
        provider_id: id,
        connection: { label: userId, sub: userId, since: NOW },
        tokens,
        origin: `https://${id}.example`,
      });
    }
    const req: CoreRequest = {
      user: { id: userId, isAdmin: false },
      values: { provider: 'idp' },
      providers,
      connections,
      tokenApi: grants(),
      host: {
        connectHint: async (id) => `/oauth2 connect ${id}`,
        redirectUri: () => undefined,
        notify: async () => undefined,
        usernames: async () => new Map(),
        helpWording: STANDALONE_WORDING,
      },
    };
    return { connections, req };
  }

  const ended = async (userId: string) =>
    (await new SqlAuditStore(db()).recent({ actorUserId: userId, limit: 20 }))
      .filter((e) => e.action === 'grant.revoke')
      .map((e) => `${e.target} ${e.outcome} ${e.detail}`)
      .sort();

  it('when a user disconnects, then each of their grants at that provider ends with one audit entry, and those elsewhere stay', async () => {
    const user = 'a'.repeat(26);
    const { req } = await connected(user);
    await grant(user, 'bot');
    await grant(user, 'other');
    await grant(user, 'bot', 'second');
    assert.match((await disconnect(req, deps())).text ?? '', /Disconnected your idp account/);
    assert.deepEqual(await ended(user), ['client:bot ok provider idp; ended by disconnect', 'client:other ok provider idp; ended by disconnect']);
    assert.deepEqual(
      (await grants().grantsOf(user)).map((g) => `${g.client_id} ${g.provider_id}`),
      ['bot second'],
    );
  });

  it('when a consent lands just before the delete, then the grant it gave ends with an audit entry too', async () => {
    const user = 'b'.repeat(26);
    const { connections, req } = await connected(user);
    await grant(user, 'bot');
    connections.beforeDelete = async () => assert.ok(await grant(user, 'late'), 'the late grant is stored: the connection is still there');
    await disconnect(req, deps());
    assert.deepEqual(await ended(user), ['client:bot ok provider idp; ended by disconnect', 'client:late ok provider idp; ended by disconnect']);
    assert.deepEqual(await grants().grantsOf(user), [], 'the late grant ended with the connection');
  });

  it('when a user disconnects with no grants there, then nothing is audited', async () => {
    const user = 'c'.repeat(26);
    const { req } = await connected(user);
    await grant(user, 'bot', 'second');
    await disconnect(req, deps());
    assert.deepEqual(await ended(user), []);
  });
});
