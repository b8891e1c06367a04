/**
 * The token API's storage on SQLite and PostgreSQL: a client is found only by
 * its current credential's hash, its id is taken once, removing it removes its
 * grants, and a grant ends with the user's connection (a disconnect) and with
 * the provider (an admin's removal).
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { StoredProvider } from '../../../src/core/provider_records.js';
import { credentialHash, newCredential } from '../../../src/core/token_api/credential.js';
import type { TokenClient } from '../../../src/core/token_api/types.js';
import { SqlConnectionRepository } from '../../../src/hosts/standalone/db/connection_repository.js';
import { SqlProviderRepository } from '../../../src/hosts/standalone/db/provider_repository.js';
import { SqlTokenClientStore } from '../../../src/hosts/standalone/db/token_client_repository.js';
import { onEachBackend, testSealer } from '../../support/standalone_db.js';

const NOW = 1_780_000_000_000;
const USER = 'u'.repeat(26);

const client = (id: string): TokenClient => ({
  id,
  name: id,
  providers: ['idp'],
  scopes: ['openid'],
  sources: ['10.0.0.0/8'],
  rate_per_minute: 60,
  created_by: 'a'.repeat(26),
  created_at: NOW,
  credential_at: NOW,
});

const provider = (id: string): StoredProvider =>
  ({
    id,
    display_name: id,
    preset: 'oidc',
    issuer: `https://${id}.example`,
    client_id: 'c',
    auth: 'client_secret_basic',
    scopes: ['openid'],
    created_at: NOW,
    updated_at: NOW,
  }) as StoredProvider;

onEachBackend('token API storage', ({ database }) => {
  const store = () => new SqlTokenClientStore(database().db);
  const grant = (clientId: string, providerId = 'idp') => ({
    user_id: USER,
    client_id: clientId,
    provider_id: providerId,
    scopes: ['openid'],
    granted_at: NOW,
  });

  it('when a client is created and rotated, then only the current credential finds it, and its id is taken once', async () => {
    const first = newCredential();
    assert.equal(await store().create(client('bot'), credentialHash(first)), true);
    assert.equal(await store().create(client('bot'), credentialHash(newCredential())), false, 'the id is taken');
    assert.deepEqual((await store().byCredentialHash(credentialHash(first)))?.client, client('bot'));
    const second = newCredential();
    assert.equal(await store().rotate('bot', credentialHash(second), NOW + 1), true);
    assert.equal(await store().byCredentialHash(credentialHash(first)), undefined);
    assert.equal((await store().byCredentialHash(credentialHash(second)))?.client.credential_at, NOW + 1);
    assert.equal(await store().rotate('gone', credentialHash(second), NOW), false);
  });

  it('when grants are given, used and the client removed, then the grants go with it', async () => {
    await store().create(client('other'), credentialHash(newCredential()));
    await store().grant(grant('bot'));
    await store().grant(grant('other'));
    await store().touch('bot', USER, 'idp', NOW + 5);
    assert.equal((await store().getGrant(USER, 'bot', 'idp'))?.last_used_at, NOW + 5);
    assert.equal((await store().get('bot'))?.last_used_at, NOW + 5);
    assert.equal(await store().remove('bot'), true);
    assert.deepEqual(
      (await store().grantsOf(USER)).map((g) => g.client_id),
      ['other'],
    );
  });

  it("when the user disconnects or the admin removes the provider, then the user's grants there end", async () => {
    const db = database().db;
    const providers = new SqlProviderRepository(db);
    const connections = new SqlConnectionRepository(db, testSealer(), { providers });
    for (const id of ['idp', 'second']) await providers.save(provider(id));
    const row = (providerId: string) => ({
      user_id: USER,
      provider_id: providerId,
      connection: { label: 'me', sub: 's', since: NOW },
      tokens: { access_token: randomBytes(8).toString('hex'), token_type: 'bearer', obtained_at: NOW },
      origin: `https://${providerId}.example`,
    });
    await connections.save(row('idp'));
    await connections.save(row('second'));
    await store().grant(grant('other', 'second'));
    await store().grant(grant('alpha'));
    await store().touch('alpha', USER, 'idp', NOW + 7);
    const atIdp = (await store().grantsOf(USER)).filter((g) => g.provider_id === 'idp');
    assert.deepEqual(
      atIdp.map((g) => g.client_id),
      ['alpha', 'other'],
    );
    assert.deepEqual(
      await connections.delete(USER, 'idp'),
      { deleted: true, endedGrants: atIdp },
      'the delete answers the grants it removed, as grantsOf lists them',
    );
    assert.deepEqual(await connections.delete(USER, 'idp'), { deleted: false, endedGrants: [] });
    assert.equal(await store().getGrant(USER, 'other', 'idp'), undefined);
    assert.ok(await store().getGrant(USER, 'other', 'second'), 'a grant at another provider stays');
    assert.equal(await providers.remove('second'), true);
    assert.deepEqual(await store().grantsOf(USER), []);
  });
});
